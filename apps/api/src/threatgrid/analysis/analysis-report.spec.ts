import type { FileRecord, ResultRecord, ServiceErrorRecord, SubmissionRecord } from '@hopper/datastore';
import { SubmissionParamsSchema } from '@hopper/messages';
import { submissionIdOf } from '../samples/sample-view';
import { AnalysisInput, renderAnalysis } from './analysis-report';

// A dropper (sample.exe) whose archive-extraction gave one child (payload.dll).
const SAMPLE = 'a1'.repeat(32);
const PAYLOAD = 'b2'.repeat(32);

const file = (sha256: string, seed: string, size: number, type: string, magic?: string): FileRecord => ({
  _id: sha256,
  sha256,
  md5: seed.repeat(32),
  sha1: seed.repeat(40),
  size,
  type,
  magic,
  classification: 'TLP:CLEAR',
  seen: { count: 1, first: new Date('2026-03-01T10:00:00Z'), last: new Date('2026-03-01T10:00:00Z') },
  expiry_ts: null,
});

const sampleFile = file(SAMPLE, 'c', 73_802, 'executable/windows/pe32', 'PE32 executable (GUI) Intel 80386, for MS Windows');
const payloadFile = file(PAYLOAD, 'd', 12_288, 'executable/windows/dll32');

const submission: SubmissionRecord = {
  _id: 'SID-42',
  sid: 'SID-42',
  classification: 'TLP:CLEAR',
  params: SubmissionParamsSchema.parse({ classification: 'TLP:CLEAR', submitter: 'alice' }),
  metadata: {},
  files: [{ name: 'sample.exe', sha256: SAMPLE, size: 73_802 }],
  file_count: 1,
  state: 'completed',
  times: { submitted: new Date('2026-03-01T10:00:00.250Z'), completed: new Date('2026-03-01T10:01:30.900Z') },
  scan_key: null,
  max_score: 600,
  error_count: 0,
  errors: [],
  results: [],
  failure: null,
  file_tree: {
    [SAMPLE]: {
      name: ['sample.exe'],
      sha256: SAMPLE,
      type: 'executable/windows/pe32',
      size: 73_802,
      score: 600,
      truncated: false,
      children: {
        [PAYLOAD]: { name: ['payload.dll'], sha256: PAYLOAD, type: 'executable/windows/dll32', size: 12_288, score: 500, truncated: false, children: {} },
      },
    },
  },
  expiry_ts: null,
};

type Section = Record<string, unknown>;
const heuristicSection = (title: string, heur_id: string, name: string, score: number): Section => ({
  title,
  body: null,
  body_format: 'TEXT',
  heuristic: { heur_id, name, score, attack_ids: [] },
  tags: [],
  depth: 0,
});

const result = (sha256: string, service: string, category: string, sections: Section[], tags: { type: string; value: string }[]): ResultRecord => ({
  _id: `${sha256}.${service}.v1.c0`,
  sha256,
  type: 'executable/windows/pe32',
  size: 1,
  classification: 'TLP:CLEAR',
  created: new Date('2026-03-01T10:01:00Z'),
  expiry_ts: null,
  sid: 'SID-42',
  response: {
    service_name: service,
    service_version: '1.0.0',
    service_category: category,
    extracted: [],
    supplementary: [],
    milestones: { service_started: new Date('2026-03-01T10:00:10Z'), service_completed: new Date('2026-03-01T10:01:00Z') },
  },
  result: { score: sections.reduce((sum, section) => sum + ((section.heuristic as { score: number } | null)?.score ?? 0), 0), sections },
  tags,
});

const results: ResultRecord[] = [
  result(
    SAMPLE,
    'IOC',
    'Networking',
    [heuristicSection('Network indicators', 'IOC.1', 'Embedded network indicators', 100), { title: 'Strings', body: 'nothing scored', heuristic: null, tags: [] }],
    [
      { type: 'network.static.ip', value: '203.0.113.9' },
      { type: 'network.static.domain', value: 'evil.example' },
      { type: 'network.static.uri', value: 'http://evil.example/gate.php' },
      { type: 'network.static.uri_path', value: '/gate.php' },
      { type: 'network.email.address', value: 'ops@evil.example' },
    ],
  ),
  result(SAMPLE, 'Characterize', 'Static Analysis', [heuristicSection('PE header', 'PE.7', 'Packed executable', 500)], [
    { type: 'file.pe.imports.imphash', value: 'e'.repeat(32) },
    { type: 'network.static.ip', value: '10.0.0.5' },
  ]),
  result(PAYLOAD, 'Characterize', 'Static Analysis', [heuristicSection('PE sections', 'PE.7', 'Packed executable', 500)], [
    { type: 'network.dynamic.ip', value: '203.0.113.9' },
    { type: 'network.dynamic.domain', value: 'cdn.evil.example' },
  ]),
];

const serviceError: ServiceErrorRecord = {
  _id: `${PAYLOAD}.Extract.v1.c0.SID-42.e`,
  sid: 'SID-42',
  sha256: PAYLOAD,
  type: 'EXCEPTION',
  created: new Date('2026-03-01T10:01:00Z'),
  expiry_ts: null,
  response: { service_name: 'Extract', service_version: '1.0.0', message: 'corrupt archive header', status: 'FAIL_NONRECOVERABLE' },
};

const input = (overrides: Partial<AnalysisInput> = {}): AnalysisInput => ({
  sampleId: '5f3c2a1b0e9d8c7b6a5f4e3d2c1b0a99',
  permalink: 'https://hopper.example/samples/5f3c2a1b0e9d8c7b6a5f4e3d2c1b0a99',
  submission,
  files: new Map([
    [SAMPLE, sampleFile],
    [PAYLOAD, payloadFile],
  ]),
  results,
  errors: [],
  processes: null,
  dynamicService: 'Sandbox',
  vm: 'win10',
  playbook: 'default',
  network_exit: null,
  ...overrides,
});

// The sandbox's run of the submitted file: 50 seconds from its start to its end.
const sandboxRun = result(SAMPLE, 'Sandbox', 'Dynamic Analysis', [heuristicSection('Ran it', 'DYN.1', 'Executed', 0)], []);
const withSandbox = (submissionOverrides: Partial<SubmissionRecord> = {}) => ({
  results: [...results, sandboxRun],
  submission: { ...submission, params: SubmissionParamsSchema.parse({ classification: 'TLP:CLEAR', submitter: 'alice', services: { selected: ['Static Analysis', 'Sandbox'], excluded: [] } }), ...submissionOverrides },
});
const sandboxSelected = { ...submission, params: SubmissionParamsSchema.parse({ classification: 'TLP:CLEAR', submitter: 'alice', services: { selected: ['Static Analysis', 'Sandbox'], excluded: [] } }) };

describe('renderAnalysis', () => {
  it('scores the threat on 0-100 from max_score and counts one indicator per heuristic', () => {
    expect(renderAnalysis(input()).threat).toEqual({ threat_score: 60, heuristic_score: 600, max_severity: 50, max_confidence: 100, count: 2 });
  });

  it('lists one ioc per heuristic, most severe first, with every section that raised it', () => {
    expect(renderAnalysis(input()).iocs).toEqual([
      {
        ioc: 'PE.7',
        title: 'Packed executable',
        category: ['Static Analysis'],
        severity: 50,
        confidence: 100,
        hits: 2,
        tags: [],
        data: [
          { sha256: SAMPLE, service: 'Characterize', section_title: 'PE header' },
          { sha256: PAYLOAD, service: 'Characterize', section_title: 'PE sections' },
        ],
      },
      {
        ioc: 'IOC.1',
        title: 'Embedded network indicators',
        category: ['Networking'],
        severity: 10,
        confidence: 100,
        hits: 1,
        tags: [],
        data: [{ sha256: SAMPLE, service: 'IOC', section_title: 'Network indicators' }],
      },
    ]);
  });

  it('orders indicators of equal severity by id, and takes the highest score of a heuristic raised with several', () => {
    const more = [
      ...results,
      result(PAYLOAD, 'Beacon', 'Dynamic Analysis', [heuristicSection('Beacon', 'AAA.1', 'Beacons out', 500), heuristicSection('Again', 'IOC.1', 'Network indicators (dynamic)', 300)], []),
    ];
    const iocs = renderAnalysis(input({ results: more })).iocs;
    expect(iocs.map(({ ioc, severity, hits, title, category }) => ({ ioc, severity, hits, title, category }))).toEqual([
      { ioc: 'AAA.1', severity: 50, hits: 1, title: 'Beacons out', category: ['Dynamic Analysis'] },
      { ioc: 'PE.7', severity: 50, hits: 2, title: 'Packed executable', category: ['Static Analysis'] },
      { ioc: 'IOC.1', severity: 30, hits: 2, title: 'Network indicators (dynamic)', category: ['Dynamic Analysis', 'Networking'] },
    ]);
  });

  it('renders the same document whatever order the results and errors come in', () => {
    const otherError = { ...serviceError, sha256: SAMPLE, response: { ...serviceError.response, service_name: 'Unpack' } };
    const forward = renderAnalysis(input({ errors: [serviceError, otherError] }));
    const backward = renderAnalysis(input({ results: [...results].reverse(), errors: [otherError, serviceError] }));
    expect(backward).toEqual(forward);
    expect(forward.service_errors.map((error) => error.service)).toEqual(['Unpack', 'Extract']);
  });

  it('leaves out heuristics whose highest score is below zero (safe evidence is no behavior), keeps zero-score ones', () => {
    const safe = result(SAMPLE, 'Signer', 'Static Analysis', [heuristicSection('Signed', 'SIGN.1', 'Trusted signature', -100)], []);
    const info = result(SAMPLE, 'Info', 'Static Analysis', [heuristicSection('Note', 'INFO.1', 'Informational', 0)], []);
    const rendered = renderAnalysis(input({ results: [...results, safe, info] }));
    const ids = rendered.iocs.map((indicator) => indicator.ioc);
    expect(ids).not.toContain('SIGN.1');
    expect(ids).toContain('INFO.1');
    expect(rendered.threat.count).toBe(renderAnalysis(input()).threat.count + 1);
  });

  it('reads Assemblyline-style title_text when a stored section has no title', () => {
    const legacy = result(SAMPLE, 'Legacy', 'Static Analysis', [{ title_text: 'Old style', heuristic: { heur_id: 'OLD.1', name: 'Old', score: 10 } }], []);
    expect(renderAnalysis(input({ results: [legacy] })).iocs[0].data).toEqual([{ sha256: SAMPLE, service: 'Legacy', section_title: 'Old style' }]);
  });

  it('collects the network tags of every result and the hashes of every file in the tree, deduplicated and sorted', () => {
    expect(renderAnalysis(input()).observables).toEqual({
      ips: ['10.0.0.5', '203.0.113.9'],
      domains: ['cdn.evil.example', 'evil.example'],
      urls: ['http://evil.example/gate.php'],
      emails: ['ops@evil.example'],
      hashes: { sha256: [SAMPLE, PAYLOAD], sha1: ['c'.repeat(40), 'd'.repeat(40)], md5: ['c'.repeat(32), 'd'.repeat(32)] },
    });
  });

  it("keeps the tree's sha256 but no invented sha1/md5 for a file whose record is unknown (strings, as Threat Grid's, empty)", () => {
    const analysis = renderAnalysis(input({ files: new Map([[SAMPLE, sampleFile]]) }));
    expect(analysis.observables.hashes).toEqual({ sha256: [SAMPLE, PAYLOAD], sha1: ['c'.repeat(40)], md5: ['c'.repeat(32)] });
    expect(analysis.artifacts['2']).toEqual({ sha256: PAYLOAD, sha1: '', md5: '', size: 12_288, path: 'payload.dll', type: 'executable/windows/dll32', origin: 'extracted' });
  });

  it("builds Threat Grid's domains and network maps from the same tags", () => {
    const analysis = renderAnalysis(input());
    expect(analysis.domains).toEqual({
      'cdn.evil.example': { ips: [], content_categories: [] },
      'evil.example': { ips: [], content_categories: [] },
    });
    expect(analysis.network).toEqual({ '1': { dst: '10.0.0.5', dst_port: null, protocol: '' }, '2': { dst: '203.0.113.9', dst_port: null, protocol: '' } });
  });

  it('describes the submitted file under its submitted name', () => {
    expect(renderAnalysis(input()).metadata.malware_desc).toEqual([
      {
        filename: 'sample.exe',
        type: 'executable/windows/pe32',
        magic: 'PE32 executable (GUI) Intel 80386, for MS Windows',
        sha256: SAMPLE,
        sha1: 'c'.repeat(40),
        md5: 'c'.repeat(32),
        size: 73_802,
      },
    ]);
  });

  it("answers an empty malware_desc when the submitted file's record is unknown", () => {
    expect(renderAnalysis(input({ files: new Map([[PAYLOAD, payloadFile]]) })).metadata.malware_desc).toEqual([]);
  });

  it("fills the rest of metadata: ids, the sandbox's environment and run time in seconds, times without milliseconds", () => {
    const { malware_desc: _, ...rest } = renderAnalysis(input(withSandbox())).metadata;
    expect(rest).toEqual({
      analysis_id: '5f3c2a1b0e9d8c7b6a5f4e3d2c1b0a99',
      submission_id: submissionIdOf('SID-42'),
      sandcastle_env: { vm: 'win10', playbook: 'default', network_exit: '', run_time: 50 },
      submitted_at: '2026-03-01T10:00:00Z',
      completed_at: '2026-03-01T10:01:30Z',
      permalink: 'https://hopper.example/samples/5f3c2a1b0e9d8c7b6a5f4e3d2c1b0a99',
    });
  });

  it('reports a running submission with no completion time', () => {
    const running = { ...submission, state: 'submitted' as const, times: { submitted: submission.times.submitted, completed: null }, file_tree: null };
    expect(renderAnalysis(input({ submission: running })).metadata.completed_at).toBeNull();
  });

  it('has no sandcastle_env when the sandbox gave no result for a submitted file (only for an extracted one, or none)', () => {
    expect(renderAnalysis(input()).metadata).not.toHaveProperty('sandcastle_env');
    const onChild = result(PAYLOAD, 'Sandbox', 'Dynamic Analysis', [], []);
    expect(renderAnalysis(input({ results: [...results, onChild] })).metadata).not.toHaveProperty('sandcastle_env');
  });

  it('warns when the sample selected the sandbox and it gave no result, saying why when it failed; none when it ran or was not selected', () => {
    expect(renderAnalysis(input({ submission: sandboxSelected })).warnings).toEqual([
      { code: 'dynamic_analysis_not_run', service: 'Sandbox', message: expect.stringMatching(/^Sandbox gave no result for this sample/) },
    ]);
    const timedOut: ServiceErrorRecord = { ...serviceError, sha256: SAMPLE, type: 'TASK PRE-EMPTED', response: { ...serviceError.response, service_name: 'Sandbox', message: 'Sandbox did not finish within its 120 s timeout' } };
    expect(renderAnalysis(input({ submission: sandboxSelected, errors: [timedOut] })).warnings).toEqual([
      { code: 'dynamic_analysis_not_run', service: 'Sandbox', message: 'Sandbox did not complete its run of this sample (Sandbox did not finish within its 120 s timeout): there is no dynamic analysis' },
    ]);
    expect(renderAnalysis(input(withSandbox())).warnings).toEqual([]);
    expect(renderAnalysis(input()).warnings).toEqual([]);
    const excluded = { ...submission, params: SubmissionParamsSchema.parse({ classification: 'TLP:CLEAR', submitter: 'alice', services: { selected: ['Sandbox'], excluded: ['Sandbox'] } }) };
    expect(renderAnalysis(input({ submission: excluded })).warnings).toEqual([]);
  });

  it('warns once per selected service that is not there to run (SERVICE DOWN errors), the sandbox included, in name order', () => {
    const down = (sha256: string, service: string): ServiceErrorRecord => ({
      ...serviceError,
      _id: `${sha256}.${service}.unavailable.SID-42.e`,
      sha256,
      type: 'SERVICE DOWN',
      response: { service_name: service, service_version: 'none', message: `The selected service ${service} is not registered`, status: 'FAIL_NONRECOVERABLE' },
    });
    const twoFiles = { ...sandboxSelected, files: [...submission.files, { name: 'payload.dll', sha256: PAYLOAD, size: 12_288 }] };
    const analysis = renderAnalysis(input({ submission: twoFiles, errors: [down(SAMPLE, 'Sandbox'), down(PAYLOAD, 'Sandbox'), down(SAMPLE, 'Antivirus9')] }));
    expect(analysis.warnings).toEqual([
      { code: 'service_unavailable', service: 'Antivirus9', message: 'The selected service Antivirus9 is not registered' },
      { code: 'service_unavailable', service: 'Sandbox', message: 'The selected service Sandbox is not registered' },
    ]);
    expect(analysis.metadata).not.toHaveProperty('sandcastle_env');
    expect(analysis.service_errors.map((error) => [error.service, error.type])).toEqual([
      ['Antivirus9', 'SERVICE DOWN'],
      ['Sandbox', 'SERVICE DOWN'],
      ['Sandbox', 'SERVICE DOWN'],
    ]);
  });

  it('lists every file of the tree as an artifact, submitted or extracted, named as in the tree', () => {
    expect(renderAnalysis(input()).artifacts).toEqual({
      '1': { sha256: SAMPLE, sha1: 'c'.repeat(40), md5: 'c'.repeat(32), size: 73_802, path: 'sample.exe', type: 'executable/windows/pe32', origin: 'submitted' },
      '2': { sha256: PAYLOAD, sha1: 'd'.repeat(40), md5: 'd'.repeat(32), size: 12_288, path: 'payload.dll', type: 'executable/windows/dll32', origin: 'extracted' },
    });
  });

  it('lists a file the tree shows twice once, as submitted when it was also submitted directly', () => {
    const tree = submission.file_tree!;
    const both: SubmissionRecord = {
      ...submission,
      files: [...submission.files, { name: 'payload-copy.dll', sha256: PAYLOAD, size: 12_288 }],
      file_count: 2,
      file_tree: { ...tree, [PAYLOAD]: { ...tree[SAMPLE].children[PAYLOAD], name: ['payload-copy.dll'] } },
    };
    const analysis = renderAnalysis(input({ submission: both }));
    expect(Object.values(analysis.artifacts).map(({ sha256, path, origin }) => ({ sha256, path, origin }))).toEqual([
      { sha256: SAMPLE, path: 'sample.exe', origin: 'submitted' },
      { sha256: PAYLOAD, path: 'payload.dll', origin: 'submitted' },
    ]);
    expect(analysis.metadata.malware_desc.map(({ filename, sha256 }) => ({ filename, sha256 }))).toEqual([
      { filename: 'sample.exe', sha256: SAMPLE },
      { filename: 'payload-copy.dll', sha256: PAYLOAD },
    ]);
  });

  it('lists the submitted files alone as artifacts before the tree is set', () => {
    const artifacts = renderAnalysis(input({ submission: { ...submission, file_tree: null } })).artifacts;
    expect(Object.values(artifacts).map(({ sha256, path, origin }) => ({ sha256, path, origin }))).toEqual([{ sha256: SAMPLE, path: 'sample.exe', origin: 'submitted' }]);
  });

  it('puts service errors of a completed submission in service_errors, never in error', () => {
    const analysis = renderAnalysis(input({ errors: [serviceError] }));
    expect(analysis).not.toHaveProperty('error');
    expect(analysis.service_errors).toEqual([{ sha256: PAYLOAD, service: 'Extract', type: 'EXCEPTION', message: 'corrupt archive header' }]);
  });

  it('adds a top-level error only when the submission failed, with its failure message', () => {
    const failed = renderAnalysis(input({ submission: { ...submission, state: 'failed', failure: 'dispatch timed out' } }));
    expect(failed.error).toEqual({ message: 'dispatch timed out', code: 'analysis_failed' });
    const noReason = renderAnalysis(input({ submission: { ...submission, state: 'failed', failure: null } }));
    expect(noReason.error).toEqual({ message: 'Analysis failed', code: 'analysis_failed' });
  });

  it('passes processes.json through as dynamic.processes, an empty object when there is none', () => {
    const processes = { '1': { pid: 1234, name: 'sample.exe', children: [1240] } };
    expect(renderAnalysis(input({ processes })).dynamic).toEqual({ processes });
    expect(renderAnalysis(input()).dynamic).toEqual({ processes: {} });
  });

  it('repeats the permalink at the top level and scores a clean submission 0 with no indicators', () => {
    const clean = renderAnalysis(input({ submission: { ...submission, max_score: 0 }, results: [] }));
    expect([clean.permalink, clean.threat, clean.iocs]).toEqual([
      'https://hopper.example/samples/5f3c2a1b0e9d8c7b6a5f4e3d2c1b0a99',
      { threat_score: 0, heuristic_score: 0, max_severity: 0, max_confidence: 0, count: 0 },
      [],
    ]);
  });
});
