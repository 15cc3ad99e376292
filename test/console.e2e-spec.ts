import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { TextReader, Uint8ArrayReader, Uint8ArrayWriter, ZipWriter } from '@zip.js/zip.js';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Job } from 'bullmq';
import type { Browser, Locator, Page } from 'playwright-core';
import { HopperConfig } from '@hopper/config';
import { FilesRepository } from '@hopper/datastore';
import { decodeCartFile, isCart } from '@hopper/identify';
import { QueueName } from '@hopper/queues';
import { createApi } from '../apps/api/src/create-api';
import { addUserWithKey, TestUser } from './support/api-app';
import { launchChromium } from './support/browser';
import { startDispatcher, withQueue } from './support/dispatcher-harness';
import { eventually, startIngester } from './support/ingester-harness';
import { isolatedConfig, uniqueId } from './support/test-env';

/*
 * The web console in real headless Chromium (Debian's), against the API served in-process with an ingester and
 * a dispatcher (built-in services): log in, drop three files, watch them complete, open the archive, compare its
 * tree and heuristics with the API's answers, download it as CaRT, and check a user without clearance cannot
 * reach another user's restricted submission. Needs `npm run build` (the console's bundle in dist/console).
 * HOPPER_CONSOLE_SCREENSHOTS=<dir> saves a screenshot of each page.
 */

const ROOT = resolve(__dirname, '..');
const SCREENSHOTS = process.env.HOPPER_CONSOLE_SCREENSHOTS;

async function zipOf(entries: Record<string, string | Buffer>): Promise<Buffer> {
  const writer = new ZipWriter(new Uint8ArrayWriter());
  for (const [name, content] of Object.entries(entries)) {
    await writer.add(name, typeof content === 'string' ? new TextReader(content) : new Uint8ArrayReader(new Uint8Array(content)));
  }
  return Buffer.from(await writer.close());
}

/** The text of what `locator` finds, once it is there. */
async function textOf(locator: Locator): Promise<string> {
  await locator.waitFor();
  return (await locator.textContent()) ?? '';
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

interface ApiTreeNode {
  name: string[];
  sha256: string;
  children: Record<string, ApiTreeNode>;
}

/** The tree as (depth, sha256, name) rows in document order, the way the page nests it. */
function flatten(tree: Record<string, ApiTreeNode>, depth = 0): string[] {
  return Object.values(tree).flatMap((node) => [`${depth} ${node.sha256} ${node.name[0]}`, ...flatten(node.children, depth + 1)]);
}

describe('web console in headless Chromium (real API, ingester, dispatcher, Redis, MongoDB, filestore)', () => {
  let config: HopperConfig;
  let api: INestApplication;
  let workers: INestApplicationContext[] = [];
  let browser: Browser;
  let base: string;
  let analyst: TestUser;
  let outsider: TestUser;
  let admin: TestUser;
  const passwords = new Map<string, string>();
  const downloads = mkdtempSync(join(tmpdir(), 'hopper-console-'));

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist/console/index.html'))) throw new Error('the console is not built: run `npm run build` first');
    config = isolatedConfig('console', {
      classification: join(__dirname, 'fixtures/classification/enforced.yml'),
      submission: { metadata: { submit: { ticket: { validator_type: 'regex', validator_params: { validation_regex: '^T-[0-9]+$' } } } } },
    });
    api = await createApi(config);
    await api.listen(0, '127.0.0.1');
    base = (await api.getUrl()).replace('[::1]', '127.0.0.1');
    workers = [await startIngester(config), await startDispatcher(config)];
    for (const [role, account] of [
      ['analyst', { classification: 'TLP:A' }],
      ['outsider', { classification: 'TLP:C' }],
      ['admin', { classification: 'TLP:A', type: ['admin'] }],
    ] as const) {
      const password = `pw-${uniqueId(role)}`;
      const user = await addUserWithKey(api, { ...account, password } as never);
      passwords.set(user.uname, password);
      if (role === 'analyst') analyst = user;
      else if (role === 'outsider') outsider = user;
      else admin = user;
    }
    browser = await launchChromium();
    if (SCREENSHOTS) mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    for (const worker of workers) await worker.close();
    await api?.get(FilesRepository).model.db.dropDatabase().catch(() => undefined);
    await api?.close();
    rmSync(downloads, { recursive: true, force: true });
    if (config) rmSync(config.filestore.local.path, { recursive: true, force: true });
  });

  /** The API's answer for `who`, by API key (what the page must agree with). */
  async function apiGet(who: TestUser, path: string): Promise<{ status: number; body: any }> {
    const response = await fetch(`${base}${path}`, { headers: who.headers });
    return { status: response.status, body: await response.json() };
  }

  async function loggedIn(who: TestUser, path = '/'): Promise<Page> {
    const page = await (await browser.newContext({ acceptDownloads: true, viewport: { width: 1366, height: 900 } })).newPage();
    await page.goto(`${base}${path}`);
    await page.getByLabel('User name').fill(who.uname);
    await page.getByRole('textbox', { name: 'Password' }).fill(passwords.get(who.uname)!);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('button', { name: 'Log out' }).waitFor();
    return page;
  }

  const shot = async (page: Page, name: string) => {
    if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  };

  it('logs in, takes three dropped files through flow.js to completion, and shows the archive as the API does', async () => {
    const payload = 'beacon to http://evil-console.net/gate.php every hour; fallback 185.220.101.7; mail ops@evil-console.net';
    const archive = await zipOf({ 'inner.zip': await zipOf({ 'payload.txt': payload }), 'readme.txt': 'nested sample' });
    const files = [
      { name: 'sample.zip', data: archive },
      { name: 'notes.txt', data: Buffer.from(`plain notes ${uniqueId('notes')}\n`) },
      // Over one flow.js chunk (1 MiB), so the upload goes in two.
      { name: 'blob.bin', data: Buffer.concat([Buffer.alloc(1536 * 1024, 7), Buffer.from(uniqueId('blob'))]) },
    ];

    const page = await loggedIn(analyst);
    await shot(page, '1-submit');
    // A drop as the browser makes it: a DataTransfer holding the files, on the drop zone.
    await page.evaluate(
      (dropped) => {
        // Runs in the page (DOM types are not in the tests' compilation).
        const { DataTransfer, DragEvent, File, document } = globalThis as any;
        const transfer = new DataTransfer();
        for (const file of dropped) {
          const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
          transfer.items.add(new File([bytes], file.name));
        }
        const zone = document.querySelector('[data-testid="dropzone"]');
        zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
        zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      },
      files.map((file) => ({ name: file.name, base64: file.data.toString('base64') })),
    );
    const uploads = page.getByRole('list', { name: 'Uploads' }).locator('li');
    await uploads.nth(2).waitFor();
    expect(await uploads.count()).toBe(3);
    await page.locator('.uploads li[data-state="submitted"]').nth(2).waitFor({ timeout: 20_000 });
    expect(await page.locator('.uploads li[data-state="failed"]').count()).toBe(0);
    await shot(page, '2-uploaded');

    // The live list: every row ends completed without a reload.
    await page.getByRole('link', { name: 'My submissions' }).click();
    await page.locator('tbody tr[data-state="completed"]').nth(2).waitFor({ timeout: 30_000 });
    const rows = await page.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.querySelector('a')!.textContent));
    expect(rows.sort()).toEqual(['blob.bin', 'notes.txt', 'sample.zip']);
    await shot(page, '3-list');

    // What the API says of the archive's submission, for the same user.
    const listed = await apiGet(analyst, `/api/v4/submission/list/user/${analyst.uname}/`);
    const submission = listed.body.api_response.items.find((item: { files: { name: string }[] }) => item.files[0].name === 'sample.zip');
    expect(submission.files[0].sha256).toBe(sha256(archive));

    await page.getByRole('link', { name: 'sample.zip' }).click();
    await page.waitForURL(`**/submissions/${submission.sid}`);
    await page.locator('.tree li').first().waitFor();
    const tree = (await apiGet(analyst, `/api/v4/submission/tree/${submission.sid}/`)).body.api_response;
    const summary = (await apiGet(analyst, `/api/v4/submission/summary/${submission.sid}/`)).body.api_response;
    const shownTree = await page.locator('.tree li').evaluateAll((items) =>
      items.map((li) => {
        let depth = 0;
        for (let up = li.parentElement!.closest('li'); up; up = up.parentElement!.closest('li')) depth++;
        return `${depth} ${li.getAttribute('data-sha256')} ${li.querySelector(':scope > button .name')!.textContent}`;
      }),
    );
    expect(shownTree).toEqual(flatten(tree.tree));
    expect(shownTree).toEqual(expect.arrayContaining([expect.stringMatching(/^1 \S+ inner\.zip$/), expect.stringMatching(/^2 \S+ payload\.txt$/)]));

    const apiHeuristics = Object.entries(summary.heuristics as Record<string, [string, string][]>).flatMap(([level, list]) => list.map(([id, name]) => `${level} ${id} ${name}`));
    expect(apiHeuristics.length).toBeGreaterThan(0);
    const shownHeuristics = await page
      .getByRole('list', { name: 'Heuristics of the submission' })
      .locator('li')
      .evaluateAll((items) => items.map((li) => `${li.getAttribute('data-level')} ${li.getAttribute('data-heur-id')} ${li.textContent!.replace(/^\S+\s+\S+\s+/, '')}`));
    expect(shownHeuristics.sort()).toEqual(apiHeuristics.sort());
    await page.getByText('http://evil-console.net/gate.php').first().waitFor({ state: 'visible' });

    // The archive's own results, then its CaRT download, decoded back to the archive's bytes.
    await page.locator(`.tree li[data-sha256="${sha256(archive)}"] > button`).click();
    await page.locator('.service[data-service="Extract"]').waitFor();
    await shot(page, '4-submission');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-cart').click()]);
    const cartPath = join(downloads, 'sample.cart');
    await download.saveAs(cartPath);
    const cart = readFileSync(cartPath);
    expect(cart.subarray(0, 4).toString('latin1')).toBe('CART');
    expect(isCart(cart)).toBe(true);
    const decoded = await decodeCartFile(cartPath, join(downloads, 'sample.zip'));
    expect(decoded.sha256).toBe(sha256(archive));
    expect(readFileSync(join(downloads, 'sample.zip')).equals(archive)).toBe(true);
    await page.context().close();
  });

  it('shows a metadata refusal next to its field, in the API\'s words, and resumes an upload after a dropped connection', async () => {
    const page = await loggedIn(analyst);
    const ticket = page.getByLabel('ticket');
    expect(await textOf(page.locator('#metadata-ticket-rule'))).toContain('^T-[0-9]+$');
    const drop = (name: string, data: Buffer) =>
      page.evaluate(
        ({ name, base64 }) => {
          const { DataTransfer, DragEvent, File, document } = globalThis as any;
          const transfer = new DataTransfer();
          transfer.items.add(new File([Uint8Array.from(atob(base64), (c: string) => c.charCodeAt(0))], name));
          document.querySelector('[data-testid="dropzone"]').dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
        },
        { name, base64: data.toString('base64') },
      );

    await ticket.fill('not a ticket');
    await drop('refused.txt', Buffer.from(uniqueId('refused')));
    const fieldError = page.locator('.field', { has: ticket }).getByRole('alert');
    const shown = await textOf(fieldError);
    // The API's own answer to the same metadata, word for word.
    const form = new FormData();
    form.append('json', JSON.stringify({ name: 'x.txt', metadata: { ticket: 'not a ticket' } }));
    form.append('bin', new Blob(['x']), 'x.txt');
    const refusal = await fetch(`${base}/api/v4/submit/`, { method: 'POST', headers: analyst.headers, body: form });
    expect(refusal.status).toBe(400);
    expect(shown).toBe(((await refusal.json()) as { api_error_message: string }).api_error_message);
    expect(await ticket.getAttribute('aria-describedby')).toContain('metadata.ticket-error');

    // The second chunk's first POST is cut off as a dropped connection would be; the uploader asks again and resumes.
    let cut = 0;
    await page.route('**/api/v4/ui/flowjs/', async (route) => {
      const body = route.request().postDataBuffer();
      if (cut === 0 && body?.includes('name="flowChunkNumber"\r\n\r\n2\r\n')) {
        cut++;
        return route.abort('connectionreset');
      }
      return route.continue();
    });
    await ticket.fill('T-42');
    const data = Buffer.concat([Buffer.alloc(2560 * 1024, 3), Buffer.from(uniqueId('resumed'))]);
    await drop('resumed.bin', data);
    const row = page.locator('.uploads li', { hasText: 'resumed.bin' });
    await page.locator('.uploads li[data-state="submitted"]', { hasText: 'resumed.bin' }).waitFor({ timeout: 20_000 });
    expect(cut).toBe(1);
    const sid = (await row.getByRole('link').getAttribute('href'))!.split('/').pop()!;
    const submission = (await apiGet(analyst, `/api/v4/submission/${sid}/`)).body.api_response;
    expect(submission.files[0]).toEqual({ name: 'resumed.bin', sha256: sha256(data), size: data.length });
    expect(submission.metadata).toEqual({ ticket: 'T-42' });
    await page.context().close();
  });

  it('serves the console under / beside an unchanged /api, with nothing loaded from elsewhere', async () => {
    const index = await fetch(`${base}/submissions/some-sid`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await index.text();
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1]);
    expect(assets.length).toBeGreaterThanOrEqual(2);
    for (const asset of assets) {
      const response = await fetch(`${base}${asset}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toContain('immutable');
      // No script or style of the page names another server (links in text, such as bull-board's, aside).
      expect(await response.text()).not.toMatch(/(?:import|src=|url\()\s*["']?https?:\/\//);
    }
    const unknownApi = await fetch(`${base}/api/v4/no-such-route/`);
    expect(unknownApi.status).toBe(404);
    expect(((await unknownApi.json()) as { api_error_message: string }).api_error_message).toBe('Api does not exist (/api/v4/no-such-route/)');
    expect((await fetch(`${base}/healthz`)).headers.get('content-type')).toMatch(/^application\/json/);
    expect((await fetch(`${base}/not-a-console-page`)).status).toBe(404);
  });

  it('shows a user without clearance the API\'s refusal, and nothing of another user\'s restricted submission', async () => {
    const secret = `restricted ${uniqueId('amber')}`;
    const form = new FormData();
    form.append('json', JSON.stringify({ name: 'amber-only.txt', params: { classification: 'TLP:A', description: secret } }));
    form.append('bin', new Blob([secret]), 'amber-only.txt');
    const submitted = await fetch(`${base}/api/v4/submit/`, { method: 'POST', headers: analyst.headers, body: form });
    expect(submitted.status).toBe(200);
    const { sid } = ((await submitted.json()) as { api_response: { sid: string } }).api_response;

    const refused = await apiGet(outsider, `/api/v4/submission/${sid}/`);
    expect(refused.status).toBe(404);
    const page = await loggedIn(outsider, `/submissions/${sid}`);
    expect(await textOf(page.getByTestId('submission-error'))).toBe(refused.body.api_error_message);
    const text = await page.locator('main').textContent();
    expect(text).not.toContain('amber-only.txt');
    expect(text).not.toContain(secret);
    expect(await page.locator('.tree').count()).toBe(0);
    await shot(page, '5-refused');

    // Nor through the list: the page asks the API for the outsider's own submissions only, and the API's list of
    // the analyst's leaves the restricted one out for the outsider.
    const list = await apiGet(outsider, `/api/v4/submission/list/user/${analyst.uname}/`);
    expect(list.body.api_response.items.map((item: { sid: string }) => item.sid)).not.toContain(sid);
    await page.context().close();
  });

  it('gives administrators the Operators page and the BullMQ dashboard, and refuses the dashboard to others', async () => {
    const page = await loggedIn(admin, '/operators');
    await page.locator('tr[data-queue="dispatch"]').waitFor();
    expect(await page.locator('tbody tr[data-queue]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-queue')))).toEqual(['ingest', 'dispatch', 'complete']);
    expect(await textOf(page.locator('.readiness li').first())).toContain('API (this process): ready');
    const dashboard = await page.request.get(`${base}/admin/queues`);
    expect(dashboard.status()).toBe(200);
    expect(await dashboard.text()).toContain('<title>');
    await shot(page, '6-operators');

    // A job the ingester cannot read fails (one attempt); the page lists it with its reason and retries it.
    const jobId = uniqueId('broken');
    await withQueue(config, QueueName.Ingest, (queue) => queue.add(QueueName.Ingest, { not: 'an ingest task' }, { jobId, attempts: 1 }));
    const failedOnce = await withQueue<unknown, Job>(config, QueueName.Ingest, (queue) =>
      eventually(async () => (await queue.getJob(jobId))!, (job) => job.finishedOn !== undefined && job.failedReason !== undefined),
    );
    const row = page.getByRole('table', { name: 'Failed jobs of ingest' }).locator('tr', { hasText: jobId });
    expect(await textOf(row)).toContain(failedOnce.failedReason);
    await row.getByRole('button', { name: /^Retry/ }).click();
    expect(await textOf(page.getByText(`Job ${jobId} of ingest is queued again.`))).toBeTruthy();
    // It ran again (and failed again, being no task): a later finish than the first.
    await withQueue<unknown>(config, QueueName.Ingest, (queue) =>
      eventually(async () => (await queue.getJob(jobId))!.finishedOn ?? 0, (finishedOn) => finishedOn > failedOnce.finishedOn!),
    );
    await page.context().close();

    const analystPage = await loggedIn(analyst);
    expect((await analystPage.request.get(`${base}/admin/queues`)).status()).toBe(403);
    expect(await analystPage.getByRole('link', { name: 'Operators' }).count()).toBe(0);
    // A session the API no longer knows takes the page back to the login form at the next call.
    await analystPage.context().clearCookies();
    await analystPage.getByRole('link', { name: 'My submissions' }).click();
    await analystPage.getByRole('button', { name: 'Log in' }).waitFor();
    await analystPage.context().close();
    expect((await fetch(`${base}/admin/queues`)).status).toBe(401);
  });
});
