import { appendFileSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultStateFile, IngestState } from './ingest-state';

const file = (path: string, size = 10, mtimeMs = 1000) => ({ path, display: path, size, mtimeMs });

describe('ingest resume state', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'hopper-state-'));

  it('lives per server and user under XDG_STATE_HOME (else ~/.local/state)', () => {
    expect(defaultStateFile('https://hopper.example.org:8443/base', 'alice', { XDG_STATE_HOME: '/s' })).toBe('/s/hopper/ingest/alice@hopper.example.org_8443.jsonl');
    expect(defaultStateFile('http://h', 'a/b', { HOME: '/home/x' })).toMatch(/\/\.local\/state\/hopper\/ingest\/a_b@h\.jsonl$/);
  });

  it('remembers a sent file by path, size and mtime across runs, with its verdict; a changed file is not known', () => {
    const path = join(dir(), 'nested', 'state.jsonl');
    const first = new IngestState(path);
    const sent = first.recordSent(file('/a'), 'a'.repeat(64), 'ingest-a', new Date('2026-01-01T00:00:00Z'));
    first.recordSent(file('/b'), 'b'.repeat(64), 'ingest-b');
    first.recordVerdict(sent, { sid: 'sid-a', score: 500, outcome: 'new', failure: '' });
    first.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);

    const second = new IngestState(path);
    expect(second.size).toBe(2);
    expect(second.sent(file('/a'))).toEqual({ path: '/a', size: 10, mtime: 1000, sha256: 'a'.repeat(64), ingest_id: 'ingest-a', at: '2026-01-01T00:00:00.000Z', verdict: { sid: 'sid-a', score: 500, outcome: 'new', failure: '' } });
    expect(second.sent(file('/b'))?.verdict).toBeUndefined();
    expect(second.sent(file('/a', 11))).toBeUndefined();
    expect(second.sent(file('/a', 10, 2000))).toBeUndefined();
  });

  it('ignores a line torn by a crash and keeps the rest; a resend replaces the record and its old verdict', () => {
    const path = join(dir(), 'state.jsonl');
    const state = new IngestState(path);
    const sent = state.recordSent(file('/a'), 'a'.repeat(64), 'old');
    state.recordVerdict(sent, { sid: 's', score: 1, outcome: 'new', failure: '' });
    state.recordSent(file('/a'), 'a'.repeat(64), 'new');
    state.close();
    appendFileSync(path, '{"path":"/c","size":1,"mti');
    const read = new IngestState(path);
    expect(read.size).toBe(1);
    expect(read.sent(file('/a'))).toMatchObject({ ingest_id: 'new' });
    expect(read.sent(file('/a'))?.verdict).toBeUndefined();
    expect(readFileSync(path, 'utf8').split('\n')).toHaveLength(4);
  });
});
