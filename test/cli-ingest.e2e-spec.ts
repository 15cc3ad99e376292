// `hopper ingest`, `submission get`, `file get` and `queues` as an operator runs them: the built CLI (`npm test`
// builds first) spawned against a real API listening on a port, with the ingester and dispatcher running in
// this process over the real Redis, MongoDB and filestore. The CLI speaks to the API as assemblyline_client
// does (x-user/x-apikey, multipart json + bin to POST /api/v4/ingest/, get_message_list for notifications).
import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import IORedis from 'ioredis';
import request from 'supertest';
import { HopperConfig } from '@hopper/config';
import { SubmissionsRepository } from '@hopper/datastore';
import { QueueName } from '@hopper/queues';
import { addUserWithKey, startApi, TestUser } from './support/api-app';
import { startDispatcher, withQueue } from './support/dispatcher-harness';
import { startIngester } from './support/ingester-harness';
import { closedPort, freePort } from './support/ports';
import { readAll, TestService } from './support/test-services';
import { isolatedConfig, uniqueId } from './support/test-env';

const root = resolve(__dirname, '..');
const cli = join(root, 'dist', 'apps', 'cli', 'src', 'main.js');
const sha256Of = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** Scores a file that says "malicious" 1000, any other 0. */
const verdictService = new TestService({ name: 'CliVerdict' }, async (context) => {
  const bad = (await readAll(context)).includes('malicious');
  return { sections: bad ? [{ title: 'Known bad', heuristic: { heur_id: 'CLI.1', name: 'Known bad', score: 1000 } }] : [] };
});

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Lines of `--json` output, each parsed (a line that is not JSON fails the test). */
const jsonLines = (stdout: string) => stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, any>);

describe('hopper ingest / submission get / file get / queues (built CLI against a running Hopper)', () => {
  let config: HopperConfig;
  let api: INestApplication;
  let ingester: INestApplicationContext;
  let dispatcher: INestApplicationContext;
  let user: TestUser;
  let url: string;
  let work: string;
  let env: NodeJS.ProcessEnv;

  /** The CLI as a child process (never spawnSync: the API it talks to runs in this process). */
  function hopper(
    args: string[],
    options: { onStdout?: (text: string, child: ReturnType<typeof spawn>) => void; extraEnv?: NodeJS.ProcessEnv; cwd?: string } = {},
  ): Promise<Run> {
    return new Promise((resolvePromise, reject) => {
      const child = spawn(process.execPath, [cli, ...args], { cwd: options.cwd ?? work, env: { ...env, ...options.extraEnv } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
        options.onStdout?.(stdout, child);
      });
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', (status) => resolvePromise({ status, stdout, stderr }));
    });
  }

  /** A folder of `count` small text files (unique to this run), `malicious` ones saying so; some in subfolders. */
  function folder(name: string, count: number, malicious: number[] = []): { dir: string; files: Array<{ path: string; sha256: string }> } {
    const dir = join(work, name);
    const files: Array<{ path: string; sha256: string }> = [];
    for (let index = 0; index < count; index++) {
      const sub = index % 3 === 2 ? join('nested', `level-${index % 2}`) : '';
      mkdirSync(join(dir, sub), { recursive: true });
      const path = join(name, sub, `sample-${String(index).padStart(3, '0')}.txt`);
      const content = `${malicious.includes(index) ? 'malicious ' : ''}${uniqueId(`${name}-${index}`)}\n`;
      writeFileSync(join(work, path), content);
      files.push({ path, sha256: sha256Of(content) });
    }
    return { dir, files };
  }

  const stateFile = () => join(work, 'state', 'hopper', 'ingest', `${user.uname}@${new URL(url).host.replace(':', '_')}.jsonl`);
  const ingestJobCount = () => withQueue(config, QueueName.Ingest, (queue) => queue.getJobCountByTypes('completed', 'failed', 'wait', 'prioritized', 'active', 'delayed'));

  beforeAll(async () => {
    config = isolatedConfig('cli-ingest');
    api = await startApi(config);
    const port = await freePort();
    await api.listen(port, '127.0.0.1');
    url = `http://127.0.0.1:${port}`;
    ingester = await startIngester(config);
    dispatcher = await startDispatcher(config, [verdictService]);
    user = await addUserWithKey(api);
    work = mkdtempSync(join(tmpdir(), 'hopper-cli-'));
    env = {
      PATH: process.env.PATH,
      HOME: work,
      XDG_CONFIG_HOME: join(work, 'config'),
      XDG_STATE_HOME: join(work, 'state'),
      HOPPER_URL: url,
      HOPPER_USER: user.uname,
      HOPPER_APIKEY: user.apikey,
    };
  });

  afterAll(async () => {
    await dispatcher?.close();
    await ingester?.close();
    await api?.get(SubmissionsRepository).model.db.dropDatabase();
    await api?.close();
  });

  it('ingests a folder recursively with --json (one object per line), then a second run skips every file and sends nothing', async () => {
    const { files } = folder('batch', 5);
    const first = await hopper(['ingest', 'batch', '--json', '--metadata', 'case=42', '--param', 'deep_scan=true']);
    expect([first.status, first.stderr]).toEqual([0, '']);
    const events = jsonLines(first.stdout);
    const accepted = events.filter((event) => event.event === 'accepted');
    expect(accepted.map((event) => [event.file, event.sha256]).sort()).toEqual(files.map((file) => [file.path, file.sha256]).sort());
    expect(events.at(-1)).toMatchObject({ event: 'summary', files: 5, accepted: 5, skipped: 0, failed: 0, not_sent: 0, interrupted: false, state: stateFile(), exit_code: 0 });
    // Each ingest_id is one the server took, with the metadata and parameters asked for.
    for (const { ingest_id } of accepted) {
      const status = await request(api.getHttpServer()).get(`/api/v4/ingest/status/${ingest_id}/`).set(user.headers);
      expect(status.status).toBe(200);
    }
    const job = await withQueue(config, QueueName.Ingest, (queue) => queue.getJob(accepted[0].ingest_id));
    expect(job?.data).toMatchObject({ submission: { metadata: { case: '42' }, params: { deep_scan: true } } });
    expect(first.stdout + first.stderr).not.toContain(user.apikey.split(':').at(-1));
    expect(readFileSync(stateFile(), 'utf8').trim().split('\n')).toHaveLength(5);

    const jobsBefore = await ingestJobCount();
    const second = await hopper(['ingest', 'batch', '--json']);
    expect([second.status, second.stderr]).toEqual([0, '']);
    const again = jsonLines(second.stdout);
    expect(again.filter((event) => event.event === 'skipped').map((event) => event.ingest_id).sort()).toEqual(accepted.map((event) => event.ingest_id).sort());
    expect(again.at(-1)).toMatchObject({ event: 'summary', accepted: 0, skipped: 5 });
    expect(await ingestJobCount()).toBe(jobsBefore);

    // Sent before without --wait: their verdicts come from each ingest's status, still without sending anything.
    const waited = await hopper(['ingest', 'batch', '--json', '--wait']);
    expect(waited.status).toBe(0);
    const verdicts = jsonLines(waited.stdout).filter((event) => event.event === 'verdict');
    expect(verdicts.map(({ sha256, score, outcome, pending, sent }) => [sha256, score, outcome, pending, sent]).sort()).toEqual(
      files.map((file) => [file.sha256, 0, 'new', false, 'before']).sort(),
    );
    for (const verdict of verdicts) expect(verdict.sid).toEqual(expect.any(String));
    expect(await ingestJobCount()).toBe(jobsBefore);
  });

  it('refuses before sending anything: a wrong key, an unreachable server, a path that names nothing, no server at all', async () => {
    writeFileSync(join(work, 'lonely.txt'), uniqueId('lonely'));
    const jobsBefore = await ingestJobCount();
    const wrongKey = `${user.apikey.split(':')[0]}:not-the-secret`;
    const refused = await hopper(['ingest', 'lonely.txt'], { extraEnv: { HOPPER_APIKEY: wrongKey } });
    expect(refused).toMatchObject({ status: 1, stdout: '' });
    expect(refused.stderr).toMatch(new RegExp(`^hopper: ${url} refused user ${user.uname} \\(401: .+\\): nothing was sent\n$`));
    expect(refused.stderr).not.toContain('not-the-secret');
    const downPort = await closedPort();
    expect(await hopper(['ingest', 'lonely.txt', '--server', `http://127.0.0.1:${downPort}`])).toMatchObject({
      status: 1,
      stderr: `hopper: Cannot reach http://127.0.0.1:${downPort} (ECONNREFUSED): nothing was sent\n`,
    });
    expect(await hopper(['ingest', 'lonely.txt', 'nothing-here/', '*.nomatch'])).toMatchObject({ status: 1, stderr: 'hopper: Nothing found at "nothing-here/", "*.nomatch": nothing was sent\n' });
    expect(await hopper(['ingest', 'lonely.txt'], { extraEnv: { HOPPER_URL: '' } })).toMatchObject({ status: 1, stderr: expect.stringMatching(/^hopper: No Hopper server to talk to: give --server or HOPPER_URL \(or url\/user\/apikey in .*config\.yml\)\n$/) });
    expect(await ingestJobCount()).toBe(jobsBefore);
  });

  it('--wait (plain lines when not a terminal) prints the verdict table, exits 2 when a file scored above --fail-above, and a rerun reads cached results', async () => {
    const { files: created } = folder('verdicts', 3, [1]);
    // The table lists files by path; the malicious one is sample-001.
    const files = [...created].sort((a, b) => (a.path < b.path ? -1 : 1));
    const malicious = files.findIndex((file) => file.path.endsWith('sample-001.txt'));
    const run = await hopper(['ingest', 'verdicts', '--wait', '--fail-above', '500', '--concurrency', '2']);
    expect(run.stderr).toMatch(/^waiting for 3 verdict\(s\) on notification queue hopper-cli-[0-9a-f]{16}…\n$/);
    expect(run.status).toBe(2);
    const lines = run.stdout.trim().split('\n');
    for (const file of files) expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^accepted ${file.path} sha256=${file.sha256} ingest_id=\\w+$`)));
    const header = lines.findIndex((line) => line.startsWith('FILE '));
    expect(lines[header].split(/\s+/)).toEqual(['FILE', 'SHA256', 'SID', 'SCORE', 'RESULT']);
    const rows = lines.slice(header + 1, header + 4).map((line) => line.split(/\s+/));
    expect(rows.map(([file, sha256, , score, result]) => [file, sha256, score, result])).toEqual(
      files.map((file, index) => [file.path, file.sha256, index === malicious ? '1000' : '0', 'new']),
    );
    expect(lines.at(-1)).toBe('done: 3 files: 3 accepted, 0 skipped (sent before), 0 failed');

    // The sid of the table is the submission `submission get` prints.
    const sid = rows[malicious][2];
    const submission = await hopper(['submission', 'get', sid]);
    expect(submission.status).toBe(0);
    expect(JSON.parse(submission.stdout)).toMatchObject({ sid, max_score: 1000, state: 'completed', files: [{ sha256: files[malicious].sha256 }] });
    const full = await hopper(['submission', 'get', sid, '--full']);
    expect(JSON.parse(full.stdout)).toMatchObject({ sid, results: expect.any(Object), file_tree: expect.any(Object) });
    expect(await hopper(['submission', 'get', 'no-such-sid'])).toMatchObject({ status: 1, stderr: expect.stringMatching(/^hopper: 404: /) });

    // Sent again on purpose: the same files and parameters are answered from the cache, under the threshold now.
    const rerun = await hopper(['ingest', 'verdicts', '--wait', '--fail-above', '1000', '--no-resume', '--json']);
    expect(rerun.status).toBe(0);
    const verdicts = jsonLines(rerun.stdout).filter((event) => event.event === 'verdict');
    expect(verdicts.map(({ file, sha256, score, outcome, failure }) => [file, sha256, score, outcome, failure])).toEqual(
      files.map((file, index) => [file.path, file.sha256, index === malicious ? 1000 : 0, 'cached', '']),
    );
    expect(verdicts[malicious].sid).toBe(sid);

    // A resumed run sends nothing and answers from the verdicts the state kept, with the same exit status.
    const resumed = await hopper(['ingest', 'verdicts', '--wait', '--fail-above', '500', '--json']);
    expect(resumed.status).toBe(2);
    const kept = jsonLines(resumed.stdout);
    expect(kept.filter((event) => event.event === 'verdict').map(({ score, sent }) => [score, sent])).toEqual(files.map((_, index) => [index === malicious ? 1000 : 0, 'before']));
    expect(kept.at(-1)).toMatchObject({ event: 'summary', accepted: 0, skipped: 3, exit_code: 2 });
  });

  it('draws a progress bar on a terminal (run under script(1)) and ends on its full, final line', async () => {
    folder('terminal', 4);
    const command = [process.execPath, cli, 'ingest', 'terminal'].map((part) => `'${part}'`).join(' ');
    const run = await new Promise<Run>((resolvePromise, reject) => {
      const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: work, env: { ...env, COLUMNS: '120', LINES: '40', TERM: 'xterm' } });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', (status) => resolvePromise({ status, stdout, stderr: '' }));
    });
    expect(run.status).toBe(0);
    // The screen as a terminal shows it: each \r returns to the line's start, \x1b[K erases the rest.
    const screen = run.stdout.split(/\r?\n/).map((line) => line.split('\r').map((segment) => segment.replace(/\x1b\[K/g, '')).filter(Boolean).at(-1) ?? '');
    const bars = screen.filter((line) => line.startsWith('['));
    expect(bars.at(-1)).toMatch(/^\[#{10,30}\] {2}100% {2}4\/4 files {2}\d+ B\/\d+ B {2}[\d.]+ (B|KiB|MiB)\/s {2}ETA 0s$/);
    expect(screen.filter(Boolean).at(-1)).toBe('done: 4 files: 4 accepted, 0 skipped (sent before), 0 failed');
  });

  it('stops cleanly on Ctrl-C (SIGINT): no new uploads, says what was sent, and the next run sends the rest', async () => {
    const total = 60;
    folder('interrupted', total);
    let signalled = false;
    const run = await hopper(['ingest', 'interrupted', '--concurrency', '1'], {
      onStdout: (text, child) => {
        if (!signalled && text.includes('accepted ')) {
          signalled = true;
          child.kill('SIGINT');
        }
      },
    });
    expect(run.status).toBe(130);
    expect(run.stderr).toBe('interrupted: starting no new upload; those in flight finish (Ctrl-C again aborts them)\n');
    const sent = run.stdout.split('\n').filter((line) => line.startsWith('accepted ')).length;
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThan(total);
    expect(run.stdout.trim().split('\n').at(-1)).toBe(
      `interrupted: sent ${sent} of ${total} files (${sent} accepted, 0 skipped (sent before), 0 failed); ${total - sent} not sent: run the same command again to send them`,
    );

    const rest = await hopper(['ingest', 'interrupted', '--json', '--concurrency', '8']);
    expect(rest.status).toBe(0);
    expect(jsonLines(rest.stdout).at(-1)).toMatchObject({ event: 'summary', files: total, accepted: total - sent, skipped: sent, failed: 0 });
  });

  it('file get downloads raw, as CaRT (its header magic) and refuses an unknown file; nothing half-written', async () => {
    const content = `file get ${uniqueId('raw')}\n`;
    writeFileSync(join(work, 'one.txt'), content);
    expect((await hopper(['ingest', 'one.txt'])).status).toBe(0);
    const sha256 = sha256Of(content);

    const raw = await hopper(['file', 'get', sha256, '-o', 'one.raw']);
    expect(raw).toMatchObject({ status: 0, stdout: `wrote one.raw (${content.length} bytes, raw)\n` });
    expect(readFileSync(join(work, 'one.raw'), 'utf8')).toBe(content);
    expect(await hopper(['file', 'get', sha256, '-o', '-'])).toMatchObject({ status: 0, stdout: content, stderr: '' });

    const cart = await hopper(['file', 'get', sha256, '--cart']);
    expect(cart.status).toBe(0);
    const carted = readFileSync(join(work, `${sha256}.cart`));
    // CaRT's mandatory header: magic "CART", version 1 (uint16 LE), 8 reserved bytes.
    expect(carted.subarray(0, 4).toString('latin1')).toBe('CART');
    expect(carted.readUInt16LE(4)).toBe(1);
    expect(carted.includes(Buffer.from(content))).toBe(false);
    expect(await hopper(['file', 'get', sha256, '--cart'])).toMatchObject({ status: 1, stderr: `hopper: ${sha256}.cart exists: give --force to overwrite it, or -o another path\n` });

    const unknown = 'f'.repeat(64);
    const missing = await hopper(['file', 'get', unknown]);
    expect(missing).toMatchObject({ status: 1, stderr: expect.stringMatching(/^hopper: No file f{64} that you may see \(404: /) });
    expect(existsSync(join(work, unknown))).toBe(false);
    expect(existsSync(join(work, `${unknown}.part`))).toBe(false);
  });

  it('queues reads depth per queue and priority band, workers seen and failed jobs straight from Redis', async () => {
    // As an operator runs it: from the project (its config/), with the connection variables of the services.
    // A job the ingester gave up on, as BullMQ keeps it: in the failed set, with its reason and end time.
    const failedAt = Date.now();
    await withQueue(config, QueueName.Complete, async (queue) => {
      const job = await queue.add(QueueName.Complete, { sid: 'cli-probe' } as never, { jobId: 'cli-failed-probe', delay: 3_600_000 });
      const client = new IORedis(config.redis.url);
      await client.multi().zrem(queue.keys.delayed, job.id!).zadd(queue.keys.failed, failedAt, job.id!).hset(queue.toKey(job.id!), 'failedReason', 'submission cli-probe not found', 'finishedOn', failedAt, 'attemptsMade', 3).exec();
      await client.quit();
    });
    const local = { cwd: root, extraEnv: { HOPPER_REDIS_URL: config.redis.url, HOPPER_QUEUE_PREFIX: config.redis.prefix, HOPPER_MONGO_URL: config.mongo.url } };
    const run = await hopper(['queues', '--json'], local);
    expect([run.status, run.stderr]).toEqual([0, '']);
    const report = JSON.parse(run.stdout);
    expect(report.prefix).toBe(config.redis.prefix);
    expect(report.queues.map((queue: { queue: string }) => queue.queue)).toEqual(['ingest', 'dispatch', 'complete']);
    for (const queue of report.queues) {
      expect(queue.depth).toEqual({ waiting: expect.any(Number), active: expect.any(Number), delayed: expect.any(Number), failed: expect.any(Number) });
      // The ingester and dispatcher of this test hold a worker connection on each queue they consume.
      expect(queue.workers.length).toBeGreaterThan(0);
    }
    expect(report.queues[2]).toMatchObject({ depth: { failed: 1 }, failed_jobs: [{ id: 'cli-failed-probe', failed_at: new Date(failedAt).toISOString(), attempts: 3, reason: 'submission cli-probe not found' }] });
    expect(report.dispatch_bands.map((band: { band: string }) => band.band)).toEqual(['(above user-high)', 'user-high', 'user-medium', 'user-low', 'critical', 'high', 'medium', 'low']);

    const text = await hopper(['queues'], local);
    expect(text.stdout).toContain('latest failed jobs:');
    expect(text.stdout).toMatch(new RegExp(`^complete +cli-failed-probe +${new Date(failedAt).toISOString()} +3 +submission cli-probe not found$`, 'm'));
    expect(text.stdout.split('\n').slice(0, 2)).toEqual([`queues (prefix ${config.redis.prefix})`, 'QUEUE     WAITING  ACTIVE  DELAYED  FAILED  WORKERS']);
  });
});
