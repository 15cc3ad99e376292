import { INestApplicationContext } from '@nestjs/common';
import { HopperConfig } from '@hopper/config';
import { FileTreeNode, ResultsRepository, SubmissionsRepository } from '@hopper/datastore';
import IORedis from 'ioredis';
import { announcedCompletion, ended, queueSubmission, startDispatcher, storeFile, submit, withQueue } from './support/dispatcher-harness';
import { eventually } from './support/ingester-harness';
import { isolatedConfig } from './support/test-env';
import { scoringService, TestService, unpackingService } from './support/test-services';
import { MetricsService } from '@hopper/observability';
import { PROGRESS_TTL_SECONDS, QueueName, randomId, REDIS_CONNECTION, SubmissionProgress } from '@hopper/queues';

const NO_BUILTINS = { builtin: { Extract: { enabled: false }, Characterize: { enabled: false }, IOC: { enabled: false } } };

/** Depth of the deepest node of a tree (roots at 0). */
function treeDepth(tree: Record<string, FileTreeNode>): number {
  const below = (node: FileTreeNode): number => Math.max(0, ...Object.values(node.children).map((child) => 1 + below(child)));
  return Math.max(0, ...Object.values(tree).map(below));
}

function countNodes(tree: Record<string, FileTreeNode>): number {
  return Object.values(tree).reduce((sum, node) => sum + 1 + countNodes(node.children), 0);
}

describe('dispatcher (in-process services, real Redis, MongoDB and filestore)', () => {
  let config: HopperConfig;
  let app: INestApplicationContext;
  const scorer = scoringService('Scorer', 100);
  const unpacker = unpackingService();
  const failing = new TestService({ name: 'Failing' }, async () => {
    throw new Error('the engine fell over');
  });
  const hanging = new TestService({ name: 'Hanging', timeout_seconds: 1 }, () => new Promise(() => undefined));
  const invalid = new TestService({ name: 'Invalid' }, async () => ({ sections: [{ title: 'bad tag', tags: [{ type: 'NotATag', value: 'x' }] }] }));
  const dynamic = new TestService({ name: 'Sandbox', category: 'Dynamic Analysis' }, async () => ({ sections: [] }));
  // Holds every run until the test opens it, so a submission's progress can be seen mid-way.
  let openGate: () => void = () => undefined;
  let gateOpen = new Promise<void>((resolve) => (openGate = resolve));
  const gated = new TestService({ name: 'Gated', category: 'Filtering', timeout_seconds: 30 }, async () => {
    await gateOpen;
    return { sections: [{ title: 'let through' }] };
  });

  beforeAll(async () => {
    config = isolatedConfig('dispatcher', { services: NO_BUILTINS, workers: { dispatcher: { concurrency: 2, lock_seconds: 5 } } });
    app = await startDispatcher(config, [scorer, unpacker, failing, hanging, invalid, dynamic, gated]);
  });

  afterAll(async () => {
    await app?.close();
  });

  const only = (...names: string[]) => ({ services: { selected: names, excluded: [], rescan: [], resubmit: [] } });

  it('completes a submission with its score, results, tree and an announced completion', async () => {
    const scanKey = `scan-${randomId()}`;
    const sid = await submit(app, config, [{ name: 'a.txt', data: Buffer.from('plain text for the scorer') }], only('Scorer'), scanKey);
    const submission = await ended(app, sid);
    expect(submission.state).toBe('completed');
    expect(submission.max_score).toBe(100);
    expect(submission.errors).toEqual([]);
    expect(submission.results).toHaveLength(1);
    const [root] = Object.values(submission.file_tree!);
    expect(root).toMatchObject({ name: ['a.txt'], score: 100, type: 'text/plain', children: {} });
    const result = await app.get(ResultsRepository).findResult(submission.results[0]);
    expect(result).toMatchObject({ sha256: root.sha256, response: { service_name: 'Scorer' }, result: { score: 100 } });
    expect(result!.tags).toEqual([{ type: 'file.behavior', value: 'Scorer ran' }]);
    // Announced for the ingester (the submission came from a scan); one made through submit is not (see below).
    expect(await announcedCompletion(config, sid)).toMatchObject({ sid, scan_key: scanKey, state: 'completed', max_score: 100, errors: [], failure: null });
  });

  it('runs only the selected services, by name or category, minus exclusions', async () => {
    const before = dynamic.runs.length;
    const sid = await submit(app, config, [{ name: 'b.txt', data: Buffer.from('selection test') }], {
      services: { selected: ['Static Analysis'], excluded: ['Failing', 'Hanging', 'Invalid'], rescan: [], resubmit: [] },
    });
    const submission = await ended(app, sid);
    expect(submission.errors).toEqual([]);
    const results = await app.get(ResultsRepository).findResults(submission.results);
    expect(results.map((result) => result.response.service_name)).toEqual(['Scorer']);
    expect(dynamic.runs.length).toBe(before);
  });

  it('analyses extracted files in turn and scores the submission by its worst file', async () => {
    const sid = await submit(app, config, [{ name: 'nest.txt', data: Buffer.from('nest:2') }], only('Unpacker', 'Scorer'));
    const submission = await ended(app, sid);
    expect(treeDepth(submission.file_tree!)).toBe(2);
    expect(countNodes(submission.file_tree!)).toBe(3);
    // Three files, each scored 100 by Scorer: the submission's score is the highest file score.
    expect(submission.max_score).toBe(100);
    expect(submission.results).toHaveLength(6);
  });

  it('stops extraction at max_extraction_depth with a MAX DEPTH REACHED error', async () => {
    const sid = await submit(app, config, [{ name: 'deep.txt', data: Buffer.from('nest:20') }], only('Unpacker'));
    const submission = await ended(app, sid);
    expect(submission.state).toBe('completed');
    expect(treeDepth(submission.file_tree!)).toBe(config.submission.max_extraction_depth - 1);
    const errors = await app.get(ResultsRepository).findErrors(submission.errors);
    expect(errors.map((error) => error.type)).toEqual(['MAX DEPTH REACHED']);
    expect(errors[0].response.message).toContain(`max_extraction_depth is ${config.submission.max_extraction_depth}`);
  });

  it('analyses at most max_extracted files with a MAX FILES REACHED error', async () => {
    const sid = await submit(app, config, [{ name: 'many.txt', data: Buffer.from('many:12') }], { ...only('Unpacker'), max_extracted: 5 });
    const submission = await ended(app, sid);
    const [root] = Object.values(submission.file_tree!);
    expect(Object.keys(root.children)).toHaveLength(5);
    expect(root.truncated).toBe(true);
    const errors = await app.get(ResultsRepository).findErrors(submission.errors);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ type: 'MAX FILES REACHED', response: { status: 'FAIL_NONRECOVERABLE' } });
    expect(errors[0].response.message).toContain('7 file(s)');
  });

  it('does not analyse a file twice in one submission unless recursion prevention is off', async () => {
    const runsBefore = unpacker.runs.length;
    const sid = await submit(app, config, [{ name: 'self.txt', data: Buffer.from('self') }], { ...only('Unpacker'), ignore_cache: true });
    const submission = await ended(app, sid);
    expect(submission.state).toBe('completed');
    expect(unpacker.runs.length - runsBefore).toBe(1);
  });

  it('completes with errors when a service throws, hangs past its timeout or returns an invalid result', async () => {
    const sid = await submit(app, config, [{ name: 'c.txt', data: Buffer.from('errors please') }], only('Scorer', 'Failing', 'Hanging', 'Invalid'), `scan-${randomId()}`);
    const submission = await ended(app, sid);
    expect(submission.state).toBe('completed');
    expect(submission.max_score).toBe(100);
    expect(submission.error_count).toBe(3);
    const errors = await app.get(ResultsRepository).findErrors(submission.errors);
    const byService = Object.fromEntries(errors.map((error) => [error.response.service_name, error]));
    expect(byService.Failing).toMatchObject({ type: 'EXCEPTION', response: { message: 'the engine fell over', status: 'FAIL_RECOVERABLE' } });
    expect(byService.Hanging).toMatchObject({ type: 'TASK PRE-EMPTED' });
    expect(byService.Hanging.response.message).toContain('1 s timeout');
    expect(byService.Invalid).toMatchObject({ type: 'EXCEPTION', response: { status: 'FAIL_NONRECOVERABLE' } });
    expect(byService.Invalid.response.message).toContain('sections.0.tags.0.type');
    expect(await announcedCompletion(config, sid)).toMatchObject({ state: 'completed', errors: submission.errors });
  });

  it('reuses cached results for the same file, service and parameters; ignore_cache and new parameters run again', async () => {
    const data = Buffer.from(`cache test ${Date.now()}`);
    const first = await ended(app, await submit(app, config, [{ name: 'd.txt', data }], only('Scorer')));
    const runs = () => scorer.runs.filter((sha256) => sha256 === Object.keys(first.file_tree!)[0]).length;
    expect(runs()).toBe(1);
    const second = await ended(app, await submit(app, config, [{ name: 'd.txt', data }], only('Scorer')));
    expect(runs()).toBe(1);
    expect(second.results).toEqual(first.results);
    const runs_total = await app.get(MetricsService).registry.getSingleMetricAsString('hopper_dispatcher_service_runs_total');
    expect(runs_total).toMatch(/hopper_dispatcher_service_runs_total\{service="Scorer",outcome="reused"\} [1-9]/);

    const third = await ended(app, await submit(app, config, [{ name: 'd.txt', data }], { ...only('Scorer'), ignore_cache: true }));
    expect(runs()).toBe(2);
    expect(third.results).toEqual(first.results);

    const withSpec = await ended(app, await submit(app, config, [{ name: 'd.txt', data }], { ...only('Scorer'), service_spec: { Scorer: { bonus: 5 } } }));
    expect(runs()).toBe(3);
    expect(withSpec.results).not.toEqual(first.results);
    expect(withSpec.max_score).toBe(105);
  });

  it('fails a submission whose file is not in the datastore, with the reason', async () => {
    // Not reachable through the API: a file document deleted (expired) before its submission was dispatched.
    const ghost = await queueSubmission(app, config, [{ name: 'ghost', sha256: 'f'.repeat(64), size: 1 }], only('Scorer'), `scan-${randomId()}`);
    const submission = await ended(app, ghost);
    expect(submission.state).toBe('failed');
    expect(submission.failure).toMatch(/^File [0-9a-f]{64} of the submission is not in the datastore$/);
    expect(await announcedCompletion(config, ghost)).toMatchObject({ state: 'failed', failure: submission.failure });
  });

  it('does not announce a submission made through submit (no ingest waits on it): it ends on its document alone', async () => {
    const sid = await submit(app, config, [{ name: 's.txt', data: Buffer.from('made through submit') }], only('Scorer'));
    expect(await ended(app, sid)).toMatchObject({ state: 'completed', max_score: 100 });
    expect(await announcedCompletion(config, sid)).toBeNull();
  });

  it('announces again a submission that had already ended', async () => {
    const sid = await submit(app, config, [{ name: 'f.txt', data: Buffer.from('announce twice') }], only('Scorer'), `scan-${randomId()}`);
    const submission = await ended(app, sid);
    await withQueue(config, QueueName.Complete, async (queue) => (await queue.getJob(sid))?.remove());
    await withQueue(config, QueueName.Dispatch, (queue) => queue.add(QueueName.Dispatch, { sid, scan_key: null }, { jobId: `${sid}-again` }));
    const completion = await eventuallyAnnounced(sid);
    expect(completion).toMatchObject({ sid, state: 'completed', max_score: submission.max_score });
  });

  describe('progress marks', () => {
    const marksOf = (calls: unknown[][], sid: string) => calls.filter(([marked]) => marked === sid).map(([, stage]) => stage);

    it('marks prep, then run once while services work, then proc; nothing once the submission has ended', async () => {
      const progress = app.get(SubmissionProgress);
      const mark = jest.spyOn(progress, 'mark');
      try {
        gateOpen = new Promise<void>((resolve) => (openGate = resolve));
        const files = [
          { name: 'one.txt', data: Buffer.from(`progress one ${randomId()}`) },
          { name: 'two.txt', data: Buffer.from(`progress two ${randomId()}`) },
        ];
        const sid = await submit(app, config, files, only('Gated'), `scan-${randomId()}`);

        // Held by Gated: the submission is running, and says so.
        await eventually(() => progress.read(sid), (state) => state.stage === 'run');
        expect(await progress.read(sid)).toEqual({ stage: 'run', glovebox_url: null });
        expect(marksOf(mark.mock.calls, sid)).toEqual(['prep', 'run']);
        expect((await app.get(SubmissionsRepository).findBySid(sid))!.state).toBe('submitted');
        const ttl = await app.get<IORedis>(REDIS_CONNECTION).ttl(progress.key(sid));
        expect(ttl).toBeGreaterThan(PROGRESS_TTL_SECONDS - 60);
        expect(ttl).toBeLessThanOrEqual(PROGRESS_TTL_SECONDS);

        openGate();
        const submission = await ended(app, sid);
        expect(submission.state).toBe('completed');
        expect(submission.results).toHaveLength(2);
        // Two files, two service stages: `run` once. The last stage stays readable; the document says it ended.
        expect(marksOf(mark.mock.calls, sid)).toEqual(['prep', 'run', 'proc']);
        expect((await progress.readMany([sid, 'never-dispatched'])).get(sid)).toEqual({ stage: 'proc', glovebox_url: null });

        // A dispatch task for the ended submission only announces it again: no mark.
        await withQueue(config, QueueName.Complete, async (queue) => (await queue.getJob(sid))?.remove());
        await withQueue(config, QueueName.Dispatch, (queue) => queue.add(QueueName.Dispatch, { sid, scan_key: null }, { jobId: `${sid}-again` }));
        await eventuallyAnnounced(sid);
        expect(marksOf(mark.mock.calls, sid)).toEqual(['prep', 'run', 'proc']);
      } finally {
        openGate();
        mark.mockRestore();
      }
    });

    it('completes a submission whose progress cannot be written (a Redis error is only logged)', async () => {
      const progress = app.get(SubmissionProgress);
      const redis = app.get<IORedis>(REDIS_CONNECTION);
      const sid = randomId();
      // A string where the progress hash goes: every mark fails with WRONGTYPE in Redis itself.
      await redis.set(progress.key(sid), 'not a hash', 'EX', 600);
      const data = Buffer.from(`progress cannot be written ${sid}`);
      const sha256 = await storeFile(app, data);
      await queueSubmission(app, config, [{ name: 'w.txt', sha256, size: data.length }], only('Scorer'), null, sid);
      const submission = await ended(app, sid);
      expect(submission).toMatchObject({ state: 'completed', max_score: 100, errors: [] });
      await expect(progress.read(sid)).rejects.toThrow(/WRONGTYPE/);
      expect(await redis.get(progress.key(sid))).toBe('not a hash');
    });
  });

  async function eventuallyAnnounced(sid: string) {
    for (;;) {
      const completion = await announcedCompletion(config, sid);
      if (completion) return completion;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
});
