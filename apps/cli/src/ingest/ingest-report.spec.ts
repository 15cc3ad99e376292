import { verdictResult, verdictTable } from './ingest-report';
import type { SentRecord } from './ingest-state';

const record = (sha256: string): SentRecord => ({ path: '/x', size: 1, mtime: 1, sha256, ingest_id: 'i', at: '' });

describe('verdict table', () => {
  it('lines up file, sha256, sid, score and how each was served; failures and missing verdicts say so', () => {
    const lines = verdictTable([
      { file: 'a.exe', record: record('a'.repeat(64)), sent: 'now', verdict: { sid: 'sid1', score: 1000, outcome: 'new', failure: '' } },
      { file: 'dir/b.doc', record: record('b'.repeat(64)), sent: 'before', verdict: { sid: 'sid2', score: 0, outcome: 'cached', failure: '' } },
      { file: 'c', record: record('c'.repeat(64)), sent: 'now', verdict: { sid: null, score: null, outcome: null, failure: 'Skipped' } },
      { file: 'd', record: record('d'.repeat(64)), sent: 'now', verdict: null },
    ]);
    expect(lines).toEqual([
      `FILE       SHA256${' '.repeat(58)}  SID   SCORE  RESULT`,
      `a.exe      ${'a'.repeat(64)}  sid1  1000   new`,
      `dir/b.doc  ${'b'.repeat(64)}  sid2  0      cached (sent before)`,
      `c          ${'c'.repeat(64)}  -     -      failed: Skipped`,
      `d          ${'d'.repeat(64)}  -     -      pending (no verdict yet)`,
    ]);
    expect(verdictResult({ sid: 's', score: 5, outcome: null, failure: '' })).toBe('done');
  });
});
