import { finalizeIngestParams, INGEST_SAFE_PARAMS, resetDangerousIngestParams } from './ingest-params';
import { InvalidSubmissionParams } from './profile-errors';
import { systemDefaultParams } from './system-defaults';

const config = {
  submission: { max_dtl: 0 },
  ui: { ingest_max_priority: 250 },
  core: { ingester: { default_max_extracted: 100, default_max_supplementary: 50 } },
};
const base = () => systemDefaultParams({ default_max_extracted: 500, default_max_supplementary: 500, dtl: 30 }, 'TLP:CLEAR');

describe('resetDangerousIngestParams', () => {
  it('resets Assemblyline\'s dangerous parameters to their safe ingest values, in its order', () => {
    expect(Object.entries(INGEST_SAFE_PARAMS)).toEqual([
      ['deep_scan', false],
      ['priority', 150],
      ['ignore_cache', false],
      ['ignore_dynamic_recursion_prevention', false],
      ['ignore_recursion_prevention', false],
      ['ignore_filtering', false],
      ['type', 'INGEST'],
    ]);
    const saved = {
      deep_scan: true,
      priority: 900,
      ignore_cache: true,
      ignore_dynamic_recursion_prevention: true,
      ignore_recursion_prevention: true,
      ignore_filtering: true,
      type: 'USER',
      ttl: 7,
    };
    expect(resetDangerousIngestParams(saved)).toEqual({ ...INGEST_SAFE_PARAMS, ttl: 7 });
    expect(saved.deep_scan).toBe(true);
  });
});

describe('finalizeIngestParams', () => {
  it('applies the ingester\'s limits and caps priority at ui.ingest_max_priority', () => {
    const out = finalizeIngestParams({ ...base(), priority: 400, max_extracted: 9999 }, config);
    expect(out).toMatchObject({ max_extracted: 100, max_supplementary: 50, priority: 250, ttl: 30, generate_alert: false });
    expect(finalizeIngestParams({ ...base(), priority: 150 }, config).priority).toBe(150);
  });

  it('takes generate_alert from the request\'s top level, else from the params', () => {
    expect(finalizeIngestParams({ ...base(), generate_alert: true }, config).generate_alert).toBe(true);
    expect(finalizeIngestParams({ ...base(), generate_alert: true }, config, false).generate_alert).toBe(false);
    expect(() => finalizeIngestParams(base(), config, 'yes')).toThrow(new InvalidSubmissionParams('generate_alert should be a boolean'));
    expect(() => finalizeIngestParams(base(), config, null)).toThrow('generate_alert should be a boolean');
  });

  it('caps ttl at submission.max_dtl when one is set', () => {
    const capped = { ...config, submission: { max_dtl: 10 } };
    expect(finalizeIngestParams({ ...base(), ttl: 30 }, capped).ttl).toBe(10);
    expect(finalizeIngestParams({ ...base(), ttl: 0 }, capped).ttl).toBe(10);
    expect(finalizeIngestParams({ ...base(), ttl: 5 }, capped).ttl).toBe(5);
  });
});
