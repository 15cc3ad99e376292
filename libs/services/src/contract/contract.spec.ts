import { parseServiceManifest } from './manifest-schema';
import { InvalidServiceResultError, parseServiceResult, resultScore, resultTags } from './service-result';
import { resolveServiceParams, resultKey } from './service-params';
import { acceptsFileType, selectedServices, servicesForFile } from './service-selection';

const manifest = (fields: Record<string, unknown>) => parseServiceManifest({ version: '1.0.0', category: 'Static Analysis', ...fields });

describe('service manifest', () => {
  it("fills Assemblyline's defaults", () => {
    expect(manifest({ name: 'Strings' })).toMatchObject({ stage: 'CORE', accepts: '.*', rejects: 'empty|metadata/.*', timeout_seconds: 60, is_external: false, enabled: true });
  });

  it.each([
    [{ name: '9lives' }, 'name: must be a letter then'],
    [{ name: 'A', accepts: '(' }, 'accepts: must be a valid regular expression'],
    [{ name: 'A', parameters: [{ name: 'n', type: 'int', default: 'x' }] }, 'parameters.0.default: does not fit type int'],
    [{ name: 'A', parameters: [{ name: 'n', type: 'bool', default: true }, { name: 'n', type: 'bool', default: false }] }, 'parameters: declares n twice'],
    [{ name: 'A', stage: 'LATE' }, 'stage:'],
    [{ name: 'A', surprise: 1 }, 'Unrecognized key'],
  ])('refuses %j naming the problem', (fields, message) => {
    expect(() => manifest(fields)).toThrow(message);
  });
});

describe('service result', () => {
  it('scores the sum of heuristics and merges file and section tags once each', () => {
    const body = parseServiceResult('S', {
      tags: [{ type: 'network.static.ip', value: '1.2.3.4' }],
      sections: [
        { title: 'a', heuristic: { heur_id: 'S.1', name: 'one', score: 300 }, tags: [{ type: 'network.static.ip', value: '1.2.3.4' }] },
        { title: 'b', heuristic: { heur_id: 'S.2', name: 'safe', score: -100 }, tags: [{ type: 'file.behavior', value: 'x' }] },
        { title: 'c' },
      ],
    });
    expect(resultScore(body)).toBe(200);
    expect(resultTags(body)).toEqual([{ type: 'network.static.ip', value: '1.2.3.4' }, { type: 'file.behavior', value: 'x' }]);
    expect(body.sections[2]).toEqual({ title: 'c', body: null, body_format: 'TEXT', heuristic: null, tags: [], depth: 0 });
  });

  it('refuses an invalid result with every problem by path', () => {
    const attempt = () => parseServiceResult('S', { sections: [{ title: '', heuristic: { heur_id: 'x', name: 'y', score: 0.5 } }], extra: 1 });
    expect(attempt).toThrow(InvalidServiceResultError);
    expect(attempt).toThrow(/sections\.0\.title.*sections\.0\.heuristic\.score|sections\.0\.heuristic\.score.*sections\.0\.title/);
    expect(() => parseServiceResult('S', { tags: [{ type: 'NotATag', value: 'v' }] })).toThrow('tags.0.type: must be an Assemblyline tag name');
  });

  it('takes no result as an empty one', () => {
    expect(parseServiceResult('S', undefined)).toEqual({ sections: [], tags: [] });
  });
});

describe('selection and file types', () => {
  const extract = manifest({ name: 'Extract', category: 'Extraction', stage: 'EXTRACT', accepts: 'archive/(zip|gzip)$' });
  const ioc = manifest({ name: 'IOC', accepts: '.*', rejects: 'empty|metadata/.*' });
  const sandbox = manifest({ name: 'Sandbox', category: 'Dynamic Analysis' });
  const off = manifest({ name: 'Off', enabled: false });
  const all = [ioc, sandbox, extract, off];

  it('selects by name or category minus exclusions, enabled only, in stage order', () => {
    expect(selectedServices(all, { selected: ['Static Analysis', 'Extraction', 'Off'], excluded: [] }).map((m) => m.name)).toEqual(['Extract', 'IOC']);
    expect(selectedServices(all, { selected: ['Static Analysis', 'Sandbox'], excluded: ['IOC'] }).map((m) => m.name)).toEqual(['Sandbox']);
  });

  it("matches types as Python's re.match (anchored at the start only)", () => {
    expect(acceptsFileType(extract, 'archive/zip')).toBe(true);
    expect(acceptsFileType(extract, 'archive/zipx')).toBe(false);
    expect(acceptsFileType(ioc, 'text/plain')).toBe(true);
    expect(acceptsFileType(ioc, 'empty')).toBe(false);
    expect(acceptsFileType(ioc, 'metadata/sysmon')).toBe(false);
  });

  it('groups the services that take a file by stage', () => {
    const selected = selectedServices(all, { selected: ['Static Analysis', 'Extraction', 'Dynamic Analysis'], excluded: [] });
    expect(servicesForFile(selected, 'archive/zip').map((stage) => stage.map((m) => m.name))).toEqual([['Extract'], ['IOC', 'Sandbox']]);
    expect(servicesForFile(selected, 'text/plain').map((stage) => stage.map((m) => m.name))).toEqual([['IOC', 'Sandbox']]);
  });
});

describe('parameters and result keys', () => {
  const service = manifest({
    name: 'Extract',
    parameters: [
      { name: 'password', type: 'str', default: '' },
      { name: 'mode', type: 'list', default: 'fast', list: ['fast', 'deep'] },
    ],
  });

  it('takes declared parameters that fit, defaults otherwise', () => {
    expect(resolveServiceParams(service, { password: 'pw', mode: 'deep', other: 1 })).toEqual({ password: 'pw', mode: 'deep' });
    expect(resolveServiceParams(service, { password: 5, mode: 'bogus' })).toEqual({ password: '', mode: 'fast' });
    expect(resolveServiceParams(service, undefined)).toEqual({ password: '', mode: 'fast' });
  });

  it('gives equal keys for equal inputs whatever the key order, different keys otherwise', () => {
    const sha = 'a'.repeat(64);
    const one = resultKey(sha, service, { params: { password: 'x', mode: 'fast' }, deep_scan: false, temp_data: {} });
    const same = resultKey(sha, service, { params: { mode: 'fast', password: 'x' }, deep_scan: false, temp_data: {} });
    expect(one).toBe(same);
    expect(one).toMatch(new RegExp(`^${sha}\\.Extract\\.v1\\.0\\.0\\.c[0-9a-f]{16}$`));
    expect(resultKey(sha, service, { params: { password: 'y', mode: 'fast' }, deep_scan: false, temp_data: {} })).not.toBe(one);
    expect(resultKey(sha, service, { params: { password: 'x', mode: 'fast' }, deep_scan: true, temp_data: {} })).not.toBe(one);
    expect(resultKey(sha, { ...service, version: '1.0.1' }, { params: { password: 'x', mode: 'fast' }, deep_scan: false, temp_data: {} })).not.toBe(one);
  });
});
