import { SubmissionParams, systemDefaultParams } from '@hopper/profiles';
import { SCAN_KEY_PARAM_FIELDS, scanKey, scanKeyText } from './scan-key';

const sha256 = 'a'.repeat(64);

function params(overrides: Partial<SubmissionParams> = {}): SubmissionParams {
  return {
    ...systemDefaultParams({ default_max_extracted: 100, default_max_supplementary: 100, dtl: 30 }, 'TLP:CLEAR'),
    services: { selected: ['Static Analysis', 'Antivirus', 'Extraction'], excluded: [], rescan: [], resubmit: ['Dynamic Analysis'] },
    service_spec: {
      Extract: { password: "it's", continue_after_extract: true },
      APKaye: { resubmit_apk_as_jar: false, depth: 2, ratio: 0.5, list: ['b', null] },
    },
    ...overrides,
  };
}

describe('scanKey', () => {
  // Expected values computed with Assemblyline's create_filescore_key formula in CPython 3.11.
  it('hashes the same text as Assemblyline and formats the key as <md5>v0', () => {
    expect(scanKeyText(sha256, params())).toBe(
      'classification: TLP:CLEAR, deep_scan: False, ignore_cache: False, ignore_filtering: False, ' +
        'ignore_recursion_prevention: False, ignore_size: False, max_extracted: 100, max_supplementary: 100, ' +
        "service_spec: [('APKaye', [('depth', 2), ('list', ['b', None]), ('ratio', 0.5), ('resubmit_apk_as_jar', False)]), " +
        "('Extract', [('continue_after_extract', True), ('password', \"it's\")])], " +
        "services: [('excluded', []), ('rescan', []), ('resubmit', ['Dynamic Analysis']), " +
        "('selected', ['Antivirus', 'Extraction', 'Static Analysis'])], " +
        `sha256: ${sha256}`,
    );
    expect(scanKey(sha256, params())).toBe('9c1f9dcf38bd18687ee73f887d3af9d5v0');
    const empty = params({ services: { selected: [], excluded: [], rescan: [], resubmit: [] }, service_spec: {} });
    expect(scanKey('0123456789abcdef'.repeat(4), empty)).toBe('ce183d226e0f30e64d7542c55c67f199v0');
  });

  it('is stable across the order of object keys and of service names', () => {
    const base = params();
    const shuffled: SubmissionParams = {
      ...(Object.fromEntries(Object.entries(base).reverse()) as SubmissionParams),
      services: { resubmit: ['Dynamic Analysis'], rescan: [], excluded: [], selected: ['Extraction', 'Antivirus', 'Static Analysis'] },
      service_spec: {
        APKaye: { list: ['b', null], ratio: 0.5, depth: 2, resubmit_apk_as_jar: false },
        Extract: { continue_after_extract: true, password: "it's" },
      },
    };
    expect(scanKey(sha256, shuffled)).toBe(scanKey(sha256, base));
  });

  it('changes with the file and with every hashed parameter', () => {
    const base = scanKey(sha256, params());
    expect(scanKey('b'.repeat(64), params())).not.toBe(base);
    const changed: Partial<SubmissionParams>[] = [
      { classification: 'TLP:AMBER' },
      { deep_scan: true },
      { ignore_cache: true },
      { ignore_filtering: true },
      { ignore_recursion_prevention: true },
      { ignore_size: true },
      { max_extracted: 101 },
      { max_supplementary: 99 },
    ];
    expect(changed.map((change) => Object.keys(change)[0]).sort()).toEqual([...SCAN_KEY_PARAM_FIELDS].sort());
    for (const change of changed) expect(scanKey(sha256, params(change))).not.toBe(base);
  });

  it('changes with the service selection and the service parameters', () => {
    const base = params();
    const key = scanKey(sha256, base);
    expect(scanKey(sha256, { ...base, services: { ...base.services, selected: ['Antivirus'] } })).not.toBe(key);
    expect(scanKey(sha256, { ...base, services: { ...base.services, excluded: ['Antivirus'] } })).not.toBe(key);
    expect(scanKey(sha256, { ...base, services: { ...base.services, rescan: ['Antivirus'] } })).not.toBe(key);
    expect(scanKey(sha256, { ...base, services: { ...base.services, resubmit: [] } })).not.toBe(key);
    expect(scanKey(sha256, { ...base, service_spec: { ...base.service_spec, Extract: { password: 'x' } } })).not.toBe(key);
    expect(scanKey(sha256, { ...base, service_spec: {} })).not.toBe(key);
  });

  it('ignores parameters that do not change the result', () => {
    const key = scanKey(sha256, params());
    const unchanged: Partial<SubmissionParams>[] = [
      { description: 'other' },
      { priority: 1500 },
      { submitter: 'bob' },
      { groups: ['OTHER'] },
      { ttl: 1 },
      { generate_alert: true },
      { never_drop: true },
      { psid: 'parent' },
      { type: 'INGEST' },
      { malicious: true },
      { quota_item: true },
      { auto_archive: true },
      { ignore_dynamic_recursion_prevention: true },
    ];
    for (const change of unchanged) expect(scanKey(sha256, params(change))).toBe(key);
    const withMetadata: SubmissionParams & { metadata: Record<string, string> } = { ...params(), metadata: { source: 'x' } };
    expect(scanKey(sha256, withMetadata)).toBe(key);
  });

  it('orders names by code point, as Python does', () => {
    const astral = params({ services: { selected: ['\u{1F600}', '\uFF21'], excluded: [], rescan: [], resubmit: [] } });
    expect(scanKeyText(sha256, astral)).toContain("('selected', ['\uFF21', '\u{1F600}'])");
  });
});
