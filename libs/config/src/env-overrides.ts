import { PlainObject } from './deep-merge';

/**
 * Environment variables that set connections and secrets, and the config key each one sets.
 * `.env.example` lists the same variables; keep the two in step.
 */
export const ENV_KEYS: Readonly<Record<string, { path: string; type: 'string' | 'number' | 'list' }>> = {
  HOPPER_API_HOST: { path: 'api.host', type: 'string' },
  HOPPER_API_PORT: { path: 'api.port', type: 'number' },
  HOPPER_ADMIN_CREDENTIALS_FILE: { path: 'api.admin_credentials_file', type: 'string' },
  HOPPER_LOG_LEVEL: { path: 'logging.level', type: 'string' },
  HOPPER_REDIS_URL: { path: 'redis.url', type: 'string' },
  HOPPER_REDIS_CLUSTER_NODES: { path: 'redis.cluster.nodes', type: 'list' },
  HOPPER_QUEUE_PREFIX: { path: 'redis.prefix', type: 'string' },
  HOPPER_MONGO_URL: { path: 'mongo.url', type: 'string' },
  HOPPER_FILESTORE: { path: 'filestore.backend', type: 'string' },
  HOPPER_FILESTORE_DIR: { path: 'filestore.local.path', type: 'string' },
  HOPPER_S3_ENDPOINT: { path: 'filestore.s3.endpoint', type: 'string' },
  HOPPER_S3_ACCESS_KEY: { path: 'filestore.s3.access_key', type: 'string' },
  HOPPER_S3_SECRET_KEY: { path: 'filestore.s3.secret_key', type: 'string' },
  HOPPER_S3_BUCKET: { path: 'filestore.s3.bucket', type: 'string' },
  HOPPER_S3_REGION: { path: 'filestore.s3.region', type: 'string' },
  HOPPER_INGESTER_METRICS_PORT: { path: 'workers.ingester.metrics_port', type: 'number' },
  HOPPER_DISPATCHER_METRICS_PORT: { path: 'workers.dispatcher.metrics_port', type: 'number' },
  HOPPER_CLASSIFICATION: { path: 'classification', type: 'string' },
};

/** Builds the config overlay that the set environment variables describe. Empty values count as unset. */
export function envOverrides(env: NodeJS.ProcessEnv): PlainObject {
  const overlay: PlainObject = {};
  for (const [name, { path, type }] of Object.entries(ENV_KEYS)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    setPath(overlay, path.split('.'), parseValue(raw, type));
  }
  return overlay;
}

function parseValue(raw: string, type: 'string' | 'number' | 'list'): unknown {
  // A non-numeric value stays a string so that validation reports it against the key.
  if (type === 'number') return /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
  // Comma-separated, blanks ignored: `host1:7000, host2:7000`.
  if (type === 'list') return raw.split(',').map((item) => item.trim()).filter(Boolean);
  return raw;
}

function setPath(target: PlainObject, keys: string[], value: unknown): void {
  let node = target;
  for (const key of keys.slice(0, -1)) {
    node[key] = (node[key] as PlainObject | undefined) ?? {};
    node = node[key] as PlainObject;
  }
  node[keys[keys.length - 1]] = value;
}
