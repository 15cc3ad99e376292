export { ConfigError } from './config-error';
export { configSchema, METADATA_VALIDATOR_TYPES } from './config-schema';
export type { FileSourceConfig, HopperConfig, MetadataFieldConfig, SubmissionProfileConfig, ThreatGridConfig, ThreatGridRateLimit } from './config-schema';
export { hashTagOf, hasHashTag } from './hash-tag';
export { deepMerge } from './deep-merge';
export { ENV_KEYS, envOverrides } from './env-overrides';
export { defaultConfigFile, loadConfig, loadConfigOrExit, parseConfig } from './load-config';
export { CLASSIFICATION_ENGINE, HOPPER_CONFIG, HopperConfigModule } from './config.module';
