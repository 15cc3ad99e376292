import { INestApplicationContext } from '@nestjs/common';
import { TextReader, Uint8ArrayReader, Uint8ArrayWriter, ZipWriter } from '@zip.js/zip.js';
import { HopperConfig } from '@hopper/config';
import { FileTreeNode, ResultRecord, ResultsRepository, SubmissionRecord } from '@hopper/datastore';
import { ended, startDispatcher, submit } from './support/dispatcher-harness';
import { isolatedConfig } from './support/test-env';

/*
 * The built-in services (Extract, Characterize, IOC) as the dispatcher runs them over real archives:
 * nesting, passwords from the submission's profile parameters, and an archive bomb.
 */

type Entry = string | Buffer;

async function zipOf(entries: Record<string, Entry>, options: { password?: string; zipCrypto?: boolean } = {}): Promise<Buffer> {
  const writer = new ZipWriter(new Uint8ArrayWriter(), options.password ? { password: options.password, zipCrypto: options.zipCrypto ?? false } : {});
  for (const [name, content] of Object.entries(entries)) {
    await writer.add(name, typeof content === 'string' ? new TextReader(content) : new Uint8ArrayReader(new Uint8Array(content)));
  }
  return Buffer.from(await writer.close());
}

function nodes(tree: Record<string, FileTreeNode>): FileTreeNode[] {
  return Object.values(tree).flatMap((node) => [node, ...nodes(node.children)]);
}

describe('built-in services in the dispatcher (real Redis, MongoDB, filestore)', () => {
  let config: HopperConfig;
  let app: INestApplicationContext;

  beforeAll(async () => {
    config = isolatedConfig('builtins', { services: { builtin: { Extract: { max_total_bytes: 1024 * 1024 } } } });
    app = await startDispatcher(config);
  });

  afterAll(async () => {
    await app?.close();
  });

  async function resultsOf(submission: SubmissionRecord): Promise<ResultRecord[]> {
    return app.get(ResultsRepository).findResults(submission.results);
  }

  it('a zip holding a zip holding a text with IOCs: a tree of 3 files, network tags, a score', async () => {
    const text = 'beacon to http://evil-domain.net/gate.php every hour; fallback 185.220.101.4; mail ops@evil-domain.net';
    const inner = await zipOf({ 'payload.txt': text });
    const outer = await zipOf({ 'inner.zip': inner });
    const submission = await ended(app, await submit(app, config, [{ name: 'outer.zip', data: outer }]));
    expect(submission.state).toBe('completed');
    expect(submission.errors).toEqual([]);

    const all = nodes(submission.file_tree!);
    expect(all.map((node) => node.name[0])).toEqual(['outer.zip', 'inner.zip', 'payload.txt']);
    expect(all.map((node) => node.type)).toEqual(['archive/zip', 'archive/zip', expect.stringMatching(/^text\//)]);

    const results = await resultsOf(submission);
    const tags = results.flatMap((result) => result.tags);
    expect(tags).toEqual(
      expect.arrayContaining([
        { type: 'network.static.uri', value: 'http://evil-domain.net/gate.php' },
        { type: 'network.static.domain', value: 'evil-domain.net' },
        { type: 'network.static.ip', value: '185.220.101.4' },
        { type: 'network.email.address', value: 'ops@evil-domain.net' },
      ]),
    );
    expect(submission.max_score).toBeGreaterThan(0);
    expect(all[2].score).toBe(submission.max_score);
    const services = new Set(results.map((result) => result.response.service_name));
    expect(services).toEqual(new Set(['Extract', 'Characterize', 'IOC']));
  });

  it('a password-protected zip opens with the password the submission gives Extract', async () => {
    const locked = await zipOf({ 'secret.txt': 'contact http://locked-domain.org/x' }, { password: 'S3cret-pw' });
    const without = await ended(app, await submit(app, config, [{ name: 'locked.zip', data: locked }]));
    expect(nodes(without.file_tree!)).toHaveLength(1);
    const extract = (await resultsOf(without)).find((result) => result.response.service_name === 'Extract')!;
    expect(extract.result.sections.map((section) => section.title)).toContain('Password protected archive');

    const withPassword = await ended(
      app,
      await submit(app, config, [{ name: 'locked.zip', data: locked }], { service_spec: { Extract: { password: 'S3cret-pw' } } }),
    );
    expect(nodes(withPassword.file_tree!).map((node) => node.name[0])).toEqual(['locked.zip', 'secret.txt']);
    const tags = (await resultsOf(withPassword)).flatMap((result) => result.tags);
    expect(tags).toEqual(expect.arrayContaining([{ type: 'network.static.domain', value: 'locked-domain.org' }]));
  });

  it('a default password (infected) opens a ZipCrypto zip without any parameter', async () => {
    const locked = await zipOf({ 'sample.txt': 'plain words' }, { password: 'infected', zipCrypto: true });
    const submission = await ended(app, await submit(app, config, [{ name: 'sample.zip', data: locked }]));
    expect(nodes(submission.file_tree!).map((node) => node.name[0])).toEqual(['sample.zip', 'sample.txt']);
  });

  it('an archive bomb is stopped at the configured limits and reported, and the submission completes', async () => {
    const bomb = await zipOf({ 'zeros.bin': Buffer.alloc(8 * 1024 * 1024), 'after.txt': 'never reached' });
    expect(bomb.length).toBeLessThan(64 * 1024);
    const submission = await ended(app, await submit(app, config, [{ name: 'bomb.zip', data: bomb }]));
    expect(submission.state).toBe('completed');
    const extract = (await resultsOf(submission)).find((result) => result.response.service_name === 'Extract')!;
    const limits = extract.result.sections.find((section) => section.title === 'Archive limits reached') as { body: string; heuristic: { score: number } } | undefined;
    expect(limits).toBeDefined();
    expect(limits!.heuristic.score).toBeGreaterThan(0);
    // Nothing of the 8 MiB entry was kept: no child holds more than the 1 MiB limit.
    expect(nodes(submission.file_tree!).every((node) => node.size <= 1024 * 1024)).toBe(true);
  });
});
