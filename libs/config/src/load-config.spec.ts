import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './config-error';
import { DEFAULT_RESTRICTED_PARAMS } from '@hopper/profiles';
import { loadConfig } from './load-config';

const dir = mkdtempSync(join(tmpdir(), 'hopper-config-'));
function overrideFile(yaml: string): string {
  const file = join(dir, `override-${Math.random().toString(36).slice(2)}.yml`);
  writeFileSync(file, yaml);
  return file;
}

/** The problems a configuration raises, or [] when it loads. */
function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig({ env });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('loadConfig', () => {
  it('loads the shipped defaults with the values Assemblyline documents', () => {
    const config = loadConfig({ env: {} });
    expect(config.submission).toMatchObject({
      default_max_extracted: 500,
      default_max_supplementary: 500,
      dtl: 30,
      max_dtl: 0,
      max_extraction_depth: 6,
      max_file_size: 104857600,
      max_metadata_length: 4096,
    });
    expect(config.submission.tag_types.behavior).toEqual(['file.behavior']);
    expect(config.submission.tag_types.ioc).toContain('network.dynamic.uri');
    expect(config.ui).toMatchObject({ allow_url_submissions: true, ingest_max_priority: 250 });
    expect(config.core.ingester.sampling_at).toEqual({ low: 10000000, medium: 2000000, high: 1000000, critical: 500000 });
    expect(config.submission.profiles.map((p) => p.name)).toEqual(['static', 'static_with_dynamic', 'static_with_internet']);
    expect(config.submission.metadata.ingest).toEqual({ INGEST: {} });
    expect(config.api.port).toBe(8080);
    expect(config.filestore.backend).toBe('local');
  });

  it('gives a profile without restricted_params Assemblyline default list', () => {
    const config = loadConfig({ env: {} });
    expect(config.submission.profiles[0].restricted_params).toEqual(DEFAULT_RESTRICTED_PARAMS);
  });

  it('deep-merges the HOPPER_CONFIG file over the defaults, replacing lists whole', () => {
    const file = overrideFile(
      ['submission:', '  max_file_size: 1024', '  tag_types:', '    behavior: [x.y]', 'ui:', '  allow_url_submissions: false'].join('\n'),
    );
    const config = loadConfig({ env: { HOPPER_CONFIG: file } });
    expect(config.submission.max_file_size).toBe(1024);
    expect(config.submission.dtl).toBe(30); // untouched sibling keeps its default
    expect(config.submission.tag_types.behavior).toEqual(['x.y']);
    expect(config.submission.tag_types.ioc.length).toBeGreaterThan(0);
    expect(config.ui.allow_url_submissions).toBe(false);
    expect(config.ui.ingest_max_priority).toBe(250);
  });

  it('lets environment variables set connections and secrets over both files', () => {
    const file = overrideFile('redis:\n  url: redis://from-file:1\n');
    const config = loadConfig({
      env: {
        HOPPER_CONFIG: file,
        HOPPER_REDIS_URL: 'redis://127.0.0.1:7000',
        HOPPER_MONGO_URL: 'mongodb://db:27017/x',
        HOPPER_API_PORT: '9999',
        HOPPER_FILESTORE: 's3',
        HOPPER_S3_ENDPOINT: 'http://minio:9000',
        HOPPER_S3_ACCESS_KEY: 'ak',
        HOPPER_S3_SECRET_KEY: 'sk',
      },
    });
    expect(config.redis.url).toBe('redis://127.0.0.1:7000');
    expect(config.mongo.url).toBe('mongodb://db:27017/x');
    expect(config.api.port).toBe(9999);
    expect(config.filestore).toMatchObject({ backend: 's3', s3: { endpoint: 'http://minio:9000', access_key: 'ak', secret_key: 'sk', bucket: 'hopper' } });
  });

  it('names the key and the rule of a wrong value', () => {
    expect(problemsOf({ HOPPER_CONFIG: overrideFile('submission:\n  max_file_size: -1\n') })).toEqual([
      'submission.max_file_size: must be a positive integer',
    ]);
    expect(problemsOf({ HOPPER_CONFIG: overrideFile('ui:\n  allow_url_submissions: "yes"\n') })).toEqual([
      'ui.allow_url_submissions: must be true or false',
    ]);
    expect(problemsOf({ HOPPER_CONFIG: overrideFile('ui:\n  ingest_max_priority: 900\n') })).toEqual([
      'ui.ingest_max_priority: must be at most 400 (critical)',
    ]);
  });

  it('checks the threatgrid section: dedupe window of at least 15 minutes, limits, the default organization', () => {
    expect(problemsOf({ HOPPER_CONFIG: overrideFile('threatgrid:\n  dedupe_window_minutes: 10\n') })).toEqual([
      'threatgrid.dedupe_window_minutes: must be at least 15 (minutes)',
    ]);
    const limits = [
      'threatgrid:',
      '  default_organization: acme',
      '  organizations:',
      '    default: { id: 1, submission_rate_limit: [{ percent: 10, minutes: 60 }] }',
      '  users:',
      '    ann: { submission_rate_limit: [{ samples: 5, percent: 10, minutes: 60 }] }',
      '',
    ].join('\n');
    expect(problemsOf({ HOPPER_CONFIG: overrideFile(limits) })).toEqual([
      'threatgrid.users.ann.submission_rate_limit.0: must give exactly one of samples and percent',
      'threatgrid.default_organization: must name one of threatgrid.organizations',
      'threatgrid.organizations.default.submission_rate_limit: must give samples, not percent',
    ]);
  });

  it('rejects unknown keys, naming each', () => {
    expect(problemsOf({ HOPPER_CONFIG: overrideFile('submission:\n  max_fil_size: 5\nbogus: 1\n') })).toEqual([
      'submission.max_fil_size: unknown key',
      'bogus: unknown key',
    ]);
  });

  it('reports a missing required value inside a list entry', () => {
    const yaml = 'submission:\n  profiles:\n    - name: p\n      params: {}\n';
    expect(problemsOf({ HOPPER_CONFIG: overrideFile(yaml) })).toEqual(['submission.profiles.0.display_name: is required']);
  });

  it('requires the S3 connection when the s3 backend is chosen', () => {
    expect(problemsOf({ HOPPER_FILESTORE: 's3' })).toEqual([
      'filestore.s3.endpoint: is required when filestore.backend is s3',
      'filestore.s3.access_key: is required when filestore.backend is s3',
      'filestore.s3.secret_key: is required when filestore.backend is s3',
    ]);
  });

  it('reports environment values of the wrong kind against their key', () => {
    expect(problemsOf({ HOPPER_API_PORT: 'eighty' })).toEqual(['api.port: must be a port number (0-65535)']);
    expect(problemsOf({ HOPPER_REDIS_URL: 'http://x' })).toEqual(['redis.url: must be a URL with scheme redis or rediss']);
  });

  it('reads Redis Cluster seed nodes from HOPPER_REDIS_CLUSTER_NODES', () => {
    const config = loadConfig({ env: { HOPPER_REDIS_CLUSTER_NODES: '127.0.0.1:7101, 127.0.0.1:7102,,[::1]:7103' } });
    expect(config.redis.cluster.nodes).toEqual(['127.0.0.1:7101', '127.0.0.1:7102', '[::1]:7103']);
    expect(problemsOf({ HOPPER_REDIS_CLUSTER_NODES: '127.0.0.1' })).toEqual(['redis.cluster.nodes.0: must be host:port']);
  });

  it('refuses a prefix without a hash tag when a cluster is configured, and allows it on one Redis', () => {
    expect(problemsOf({ HOPPER_REDIS_CLUSTER_NODES: '127.0.0.1:7101', HOPPER_QUEUE_PREFIX: 'hopper' })).toEqual([
      'redis.prefix: must carry a hash tag such as {hopper} when redis.cluster.nodes is set (got "hopper")',
    ]);
    expect(problemsOf({ HOPPER_QUEUE_PREFIX: 'hopper' })).toEqual([]);
    expect(problemsOf({ HOPPER_REDIS_CLUSTER_NODES: '127.0.0.1:7101', HOPPER_QUEUE_PREFIX: 'x{tenant-a}' })).toEqual([]);
  });

  it('rejects duplicate profile names and a dtl above max_dtl', () => {
    const yaml = [
      'submission:',
      '  dtl: 40',
      '  max_dtl: 10',
      '  profiles:',
      '    - {name: a, display_name: A, params: {}}',
      '    - {name: a, display_name: B, params: {}}',
    ].join('\n');
    expect(problemsOf({ HOPPER_CONFIG: overrideFile(yaml) })).toEqual([
      'submission.profiles.1.name: duplicate profile name "a"',
      'submission.dtl: must not exceed submission.max_dtl',
    ]);
  });

  it('accepts an Assemblyline metadata section in either field spelling', () => {
    const yaml = [
      'submission:',
      '  metadata:',
      '    submit:',
      '      bloo: {validation_type: regex, validation_params: {validation_regex: ^blee}, required: true}',
      '    ingest:',
      '      _default:',
      '        owner: {validator_type: text, required: true}',
      '    strict_schemes: [INGEST]',
    ].join('\n');
    const config = loadConfig({ env: { HOPPER_CONFIG: overrideFile(yaml) } });
    expect(config.submission.metadata.submit.bloo).toMatchObject({ validation_type: 'regex', required: true });
    expect(config.submission.metadata.ingest._default.owner.validator_type).toBe('text');
    expect(config.submission.metadata.archive).toEqual({});
  });

  it('explains an unreadable or malformed override file', () => {
    expect(problemsOf({ HOPPER_CONFIG: join(dir, 'missing.yml') })[0]).toMatch(/^HOPPER_CONFIG: cannot read .*missing\.yml/);
    expect(problemsOf({ HOPPER_CONFIG: overrideFile('a: [1\n') })[0]).toMatch(/^HOPPER_CONFIG: .* is not valid YAML/);
    expect(problemsOf({ HOPPER_CONFIG: overrideFile('- 1\n- 2\n') })[0]).toMatch(/must hold a mapping at the top level/);
  });

  it('checks that the classification file exists', () => {
    expect(problemsOf({ HOPPER_CLASSIFICATION: join(dir, 'nope.yml') })).toEqual([
      `classification: file not found: ${join(dir, 'nope.yml')}`,
    ]);
  });
});

describe('loadConfig and the classification definition', () => {
  it('stops on a classification.yml the engine rejects, naming the entry', () => {
    const file = join(dir, 'bad-classification.yml');
    writeFileSync(file, 'enforce: true\nlevels:\n  - {lvl: 20000, name: HUGE, short_name: H}\n');
    const problems = problemsOf({ HOPPER_CLASSIFICATION: file });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((problem) => problem.startsWith(`classification: ${file}: `))).toBe(true);
    expect(problems.join('\n')).toMatch(/HUGE|20000/);
  });
});
