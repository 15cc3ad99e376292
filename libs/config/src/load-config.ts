import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { InvalidDefinition, loadClassificationFile } from '@hopper/classification';
import { ConfigError } from './config-error';
import { configSchema, HopperConfig } from './config-schema';
import { deepMerge, isPlainObject, PlainObject } from './deep-merge';
import { envOverrides } from './env-overrides';

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  /** The defaults file; `config/hopper.yml` of the project by default. */
  defaultsFile?: string;
}

/**
 * The configuration in force: `config/hopper.yml`, then the file named by HOPPER_CONFIG merged over it,
 * then the connection and secret variables of the environment. Throws ConfigError naming every bad key.
 */
export function loadConfig(options: LoadConfigOptions = {}): HopperConfig {
  const env = options.env ?? process.env;
  let merged = readYamlObject(options.defaultsFile ?? defaultConfigFile(), 'defaults');
  if (env.HOPPER_CONFIG) merged = deepMerge(merged, readYamlObject(env.HOPPER_CONFIG, 'HOPPER_CONFIG'));
  merged = deepMerge(merged, envOverrides(env));
  const config = parseConfig(merged);
  if (!existsSync(config.classification)) {
    throw new ConfigError([`classification: file not found: ${config.classification}`]);
  }
  try {
    loadClassificationFile(config.classification);
  } catch (error) {
    if (error instanceof InvalidDefinition) throw new ConfigError(error.problems.map((problem) => `classification: ${problem}`));
    throw error;
  }
  return config;
}

/** Validates an already merged configuration object. */
export function parseConfig(raw: unknown): HopperConfig {
  const result = configSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(result.error.issues.flatMap((issue) => describeIssue(issue, raw)));
  return result.data;
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string[] {
  const path = issue.path.map(String).join('.');
  const at = (key: string) => (path ? `${path}.${key}` : key);
  if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => `${at(key)}: unknown key`);
  if (issue.code === 'invalid_type' && valueAt(raw, issue.path) === undefined) return [`${path}: is required`];
  return [`${path || '(root)'}: ${issue.message}`];
}

function valueAt(raw: unknown, path: PropertyKey[]): unknown {
  return path.reduce<unknown>((node, key) => (isPlainObject(node) || Array.isArray(node) ? (node as never)[key] : undefined), raw);
}

function readYamlObject(file: string, label: string): PlainObject {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([`${label}: cannot read ${file}: ${(error as Error).message}`]);
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    throw new ConfigError([`${label}: ${file} is not valid YAML: ${(error as Error).message}`]);
  }
  if (parsed === null || parsed === undefined) return {};
  if (!isPlainObject(parsed)) throw new ConfigError([`${label}: ${file} must hold a mapping at the top level`]);
  return parsed;
}

/** `config/hopper.yml` of the project, found from this file whether it runs from source or from dist/. */
export function defaultConfigFile(): string {
  let dir = __dirname;
  for (;;) {
    const candidate = join(dir, 'config', 'hopper.yml');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return resolve('config', 'hopper.yml');
    dir = parent;
  }
}

/** loadConfig() for a process's main(): a bad configuration prints its message and exits with status 1. */
export function loadConfigOrExit(options: LoadConfigOptions = {}): HopperConfig {
  try {
    return loadConfig(options);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
