import type { ResultRecord, ServiceErrorRecord } from '@hopper/datastore';
import { errorView, resultView } from './result-view';

const at = new Date('2026-01-02T03:04:05.000Z');
const sha = 'a'.repeat(64);

const record: ResultRecord = {
  _id: `${sha}.Verdict.v2.1.0.c0123456789abcdef`,
  sha256: sha,
  type: 'code/javascript',
  size: 42,
  classification: 'TLP:CLEAR',
  created: at,
  expiry_ts: null,
  sid: 'SID1',
  response: {
    service_name: 'Verdict',
    service_version: '2.1.0',
    service_category: 'Static Analysis',
    extracted: [{ name: 'x.txt', sha256: 'b'.repeat(64), description: 'dropped', type: 'text/plain', size: 3 }],
    supplementary: [{ name: 'log.txt', sha256: 'c'.repeat(64), description: 'log', type: 'text/plain', size: 9 }],
    milestones: { service_started: at, service_completed: at },
  },
  result: {
    score: 1000,
    sections: [
      { title: 'Known bad', body: '{"family": "Testbot"}', body_format: 'KEY_VALUE', depth: 0, heuristic: { heur_id: 'V.1', name: 'Bad', score: 1000, attack_ids: ['T1059'] }, tags: [{ type: 'attribution.family', value: 'Testbot' }] },
      { title: 'Broken json', body: '{not json', body_format: 'JSON', depth: 1, heuristic: null, tags: [] },
      { title: 'Text', body: '{"stays": "text"}', body_format: 'TEXT', depth: 0, heuristic: null, tags: [] },
    ],
  },
  tags: [{ type: 'attribution.family', value: 'Testbot' }],
};

describe('resultView', () => {
  const view = resultView(record);

  it("answers Assemblyline's Result fields, with Hopper's key", () => {
    expect(view).toMatchObject({
      key: record._id,
      archive_ts: null,
      classification: 'TLP:CLEAR',
      created: '2026-01-02T03:04:05.000Z',
      expiry_ts: null,
      sha256: sha,
      type: 'code/javascript',
      size: 42,
      drop_file: false,
      partial: false,
      from_archive: false,
    });
    expect(view.response).toMatchObject({ service_name: 'Verdict', service_version: '2.1.0', service_tool_version: null, milestones: { service_started: '2026-01-02T03:04:05.000Z' } });
  });

  it('lists produced files with their classification, relation and is_section_image', () => {
    expect(view.response.extracted).toEqual([expect.objectContaining({ name: 'x.txt', classification: 'TLP:CLEAR', is_section_image: false, parent_relation: 'EXTRACTED' })]);
    expect(view.response.supplementary).toEqual([expect.objectContaining({ name: 'log.txt', is_section_image: false, parent_relation: 'INFORMATION' })]);
  });

  it('formats sections as the UI does: title_text, classification, tags with short_type, heuristic attack and signature lists, JSON bodies parsed', () => {
    const [known, broken, text] = view.result.sections;
    expect(known).toEqual({
      auto_collapse: false,
      body: { family: 'Testbot' },
      body_config: null,
      body_format: 'KEY_VALUE',
      classification: 'TLP:CLEAR',
      depth: 0,
      heuristic: { heur_id: 'V.1', name: 'Bad', attack: [{ attack_id: 'T1059', pattern: 'T1059', categories: [] }], signature: [], score: 1000 },
      promote_to: null,
      tags: [{ safelisted: false, type: 'attribution.family', value: 'Testbot', short_type: 'family' }],
      title_text: 'Known bad',
    });
    expect(broken).toMatchObject({ body: '{not json', depth: 1, heuristic: null });
    expect(text.body).toBe('{"stays": "text"}');
  });
});

describe('errorView', () => {
  it("answers Assemblyline's Error fields, with its key in Assemblyline's form (.e<type code>) and the sid", () => {
    const error: ServiceErrorRecord = {
      _id: `${record._id}.SID1.e`,
      sid: 'SID1',
      sha256: sha,
      type: 'EXCEPTION',
      created: at,
      expiry_ts: null,
      response: { service_name: 'Verdict', service_version: '2.1.0', message: 'boom', status: 'FAIL_RECOVERABLE' },
    };
    expect(errorView(error)).toEqual({
      key: `${record._id}.SID1.e1`,
      archive_ts: null,
      created: '2026-01-02T03:04:05.000Z',
      expiry_ts: null,
      response: { message: 'boom', service_debug_info: null, service_name: 'Verdict', service_tool_version: null, service_version: '2.1.0', status: 'FAIL_RECOVERABLE' },
      sha256: sha,
      sid: 'SID1',
      type: 'EXCEPTION',
      severity: 'error',
    });
  });
});
