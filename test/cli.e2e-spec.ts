import { spawnSync } from 'node:child_process';
import { SubmissionParamsSchema } from '@hopper/messages';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { Connection } from 'mongoose';
import { parseApiKey, verifyApiKey, verifyPassword } from '@hopper/accounts';
import { connectMongo, FilesRepository, newFile, SubmissionsRepository, UsersRepository } from '@hopper/datastore';
import { LocalFilestore } from '@hopper/filestore';
import { mongoUrlFor, uniqueId } from './support/test-env';

// Runs the built CLI (`npm test` builds first) the way an operator does: `npm run hopper -- user …`.
const root = resolve(__dirname, '..');
const database = `hopper_test_${uniqueId('cli')}`;

const filesDir = mkdtempSync(join(tmpdir(), 'hopper-cli-files-'));

function hopper(...args: string[]) {
  const result = spawnSync(process.execPath, [join(root, 'dist', 'apps', 'cli', 'src', 'main.js'), ...args], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOPPER_MONGO_URL: mongoUrlFor(database),
      HOPPER_REDIS_URL: process.env.HOPPER_REDIS_URL,
      HOPPER_QUEUE_PREFIX: `{test-${database}}`,
      HOPPER_FILESTORE_DIR: filesDir,
    },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('hopper user …', () => {
  let connection: Connection;
  let users: UsersRepository;

  beforeAll(async () => {
    connection = await connectMongo(mongoUrlFor(database));
    users = new UsersRepository(connection);
  });

  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('adds a user with a hashed password and the definition\'s default clearance', async () => {
    const added = hopper('user', 'add', 'alice', '--type', 'submitter', '--groups', 'soc,ir', '--password', 'pw-alice');
    expect(added).toMatchObject({ status: 0, stdout: 'created user alice (submitter; clearance TLP:C)\n' });
    const alice = await users.findByUname('alice');
    expect(alice).toMatchObject({ type: ['submitter'], groups: ['soc', 'ir'], is_active: true, classification: 'TLP:C' });
    expect(await verifyPassword('pw-alice', alice!.password)).toBe(true);
  });

  it('refuses a second user of the same name, bad names and unknown types, exiting 1', () => {
    hopper('user', 'add', 'bob');
    expect(hopper('user', 'add', 'bob')).toMatchObject({ status: 1, stderr: 'hopper: User bob already exists\n' });
    expect(hopper('user', 'add', '../evil').stderr).toMatch(/^hopper: Invalid user name "\.\.\/evil"/);
    expect(hopper('user', 'add', 'carol', '--type', 'wizard').stderr).toMatch(/^hopper: Unknown user type "wizard"/);
  });

  it('creates an API key, prints it once, and stores only its hash', async () => {
    hopper('user', 'add', 'dave');
    const result = hopper('user', 'key', 'dave', 'ci', '--roles', 'submission_create,submission_view', '--expires', '30');
    expect(result.status).toBe(0);
    const key = parseApiKey(result.stdout.trim())!;
    expect(key.name).toBe('ci');
    const dave = await users.findByUname('dave');
    const stored = dave!.apikeys.ci;
    expect(JSON.stringify(dave)).not.toContain(key.secret);
    expect(verifyApiKey(key.secret, stored)).toBe(true);
    expect(stored.roles).toEqual(['submission_create', 'submission_view']);
    expect(stored.expiry_ts!.getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    expect(hopper('user', 'key', 'nobody', 'k').stderr).toBe('hopper: No user nobody\n');
    expect(hopper('user', 'key', 'dave', 'k', '--expires', '-1').status).toBe(1);
  });

  it('puts a user in a Threat Grid-style organization', async () => {
    expect(hopper('user', 'add', 'frank', '--organization', 'acme')).toMatchObject({ status: 0 });
    expect((await users.findByUname('frank'))?.organization).toBe('acme');
    hopper('user', 'add', 'gina');
    expect((await users.findByUname('gina'))?.organization).toBeNull();
  });

  describe('user edit', () => {
    it('sets e-mail, name, types, roles, groups, organization, clearance and quotas, and prints each change', async () => {
      expect(hopper('user', 'add', 'hank')).toMatchObject({ status: 0 });
      const edited = hopper(
        'user', 'edit', 'hank',
        '--email', 'hank@example.org',
        '--name', 'Hank Hill',
        '--type', 'submitter,viewer',
        '--roles', 'file_download',
        '--groups', 'soc, ir',
        '--organization', 'acme',
        '--classification', 'TLP:A',
        '--submission-quota', '3',
        '--submission-async-quota', '0',
        '--submission-daily-quota', '100',
      );
      expect(edited).toMatchObject({ status: 0, stderr: '' });
      expect(edited.stdout).toBe(
        [
          'updated user hank:',
          '  email: (none) -> hank@example.org',
          '  name: hank -> Hank Hill',
          '  type: user -> submitter,viewer',
          '  roles: (none) -> file_download',
          '  groups: (none) -> soc,ir',
          '  organization: (default) -> acme',
          '  classification: TLP:C -> TLP:AMBER',
          '  submission_quota: (default) -> 3',
          '  submission_async_quota: (default) -> 0 (unlimited)',
          '  submission_daily_quota: (default) -> 100',
          '',
        ].join('\n'),
      );
      expect(await users.findByUname('hank')).toMatchObject({
        email: 'hank@example.org',
        name: 'Hank Hill',
        type: ['submitter', 'viewer'],
        roles: ['file_download'],
        groups: ['soc', 'ir'],
        organization: 'acme',
        classification: 'TLP:AMBER',
        submission_quota: 3,
        submission_async_quota: 0,
        submission_daily_quota: 100,
      });
    });

    it('clears an e-mail, an organization and a quota back to the default; prints only what changed, or that nothing did', async () => {
      hopper('user', 'add', 'ivy', '--email', 'ivy@example.org', '--organization', 'acme');
      hopper('user', 'edit', 'ivy', '--submission-quota', '2');
      const cleared = hopper('user', 'edit', 'ivy', '--email', '', '--organization', '', '--submission-quota', 'default', '--name', 'ivy');
      expect(cleared).toMatchObject({ status: 0, stderr: '' });
      expect(cleared.stdout).toBe('updated user ivy:\n  email: ivy@example.org -> (none)\n  organization: acme -> (default)\n  submission_quota: 2 -> (default)\n');
      expect(await users.findByUname('ivy')).toMatchObject({ email: null, organization: null, submission_quota: null });
      expect(hopper('user', 'edit', 'ivy', '--name', 'ivy')).toMatchObject({ status: 0, stdout: 'user ivy unchanged\n' });
    });

    it('refuses every bad option with a message naming it, exiting 1 and changing nothing', async () => {
      hopper('user', 'add', 'jack');
      const before = await users.findByUname('jack');
      const bad = hopper(
        'user', 'edit', 'jack',
        '--email', 'not-an-address',
        '--name', ' ',
        '--type', 'user,wizard',
        '--roles', 'submission_view,fly',
        '--groups', 'ok,bad\u0001group',
        '--organization', '../acme',
        '--classification', 'TLP:PURPLE',
        '--submission-quota', '-1',
        '--submission-async-quota', 'lots',
        '--submission-daily-quota', '1.5',
      );
      expect(bad.status).toBe(1);
      expect(bad.stdout).toBe('');
      expect(bad.stderr).toBe(
        [
          'hopper: Cannot edit user jack:',
          '  --email "not-an-address" is not an e-mail address (use "" to remove it)',
          '  --name must not be empty',
          '  --type: unknown user type "wizard" (one of admin, user, submitter, viewer, custom)',
          '  --roles: unknown role "fly" (one of ' + 'submission_create, submission_view, submission_customize, submission_delete, submission_manage, file_detail, file_download, alert_view, alert_manage, apikey_access, obo_access, self_manage, administration, external_service)',
          '  --groups: invalid group "bad\\u0001group" (letters, digits, space and . _ : - only, at most 64)',
          '  --organization "../acme" is not a valid organization name (letters, digits and . _ @ - only, at most 64; "" for the default)',
          '  --classification "TLP:PURPLE" is not a valid classification',
          '  --submission-quota must be a whole number >= 0 (0 = unlimited) or "default" (got "-1")',
          '  --submission-async-quota must be a whole number >= 0 (0 = unlimited) or "default" (got "lots")',
          '  --submission-daily-quota must be a whole number >= 0 (0 = unlimited) or "default" (got "1.5")',
          '',
        ].join('\n'),
      );
      expect(await users.findByUname('jack')).toEqual(before);
    });

    it('refuses an unknown user, no option at all, and an empty type list', () => {
      expect(hopper('user', 'edit', 'nobody', '--name', 'N')).toMatchObject({ status: 1, stderr: 'hopper: No user nobody\n' });
      hopper('user', 'add', 'kim');
      expect(hopper('user', 'edit', 'kim')).toMatchObject({ status: 1, stderr: expect.stringMatching(/^hopper: Nothing to change: give at least one of --email, --name/) });
      expect(hopper('user', 'edit', 'kim', '--type', '')).toMatchObject({ status: 1, stderr: 'hopper: Cannot edit user kim:\n  --type must name at least one user type\n' });
    });
  });

  it('disables and enables a user, and lists users', async () => {
    // Whole results, so a failure shows the CLI's stderr too.
    expect(hopper('user', 'add', 'erin')).toMatchObject({ status: 0, stderr: '' });
    expect(hopper('user', 'disable', 'erin')).toMatchObject({ status: 0, stdout: 'disabled user erin\n' });
    expect((await users.findByUname('erin'))?.is_active).toBe(false);
    expect(hopper('user', 'list').stdout).toMatch(/^erin\tdisabled\tuser\tTLP:C\tkeys: -$/m);
    hopper('user', 'enable', 'erin');
    expect((await users.findByUname('erin'))?.is_active).toBe(true);
  });
});

describe('hopper expiry …', () => {
  let connection: Connection;
  const day = 24 * 3600 * 1000;

  beforeAll(async () => {
    connection = await connectMongo(mongoUrlFor(database));
    const submissions = new SubmissionsRepository(connection);
    const files = new FilesRepository(connection);
    const now = Date.now();
    const submission = (sid: string, expiry: Date | null) => ({
      sid,
      classification: 'TLP:C',
      params: SubmissionParamsSchema.parse({ classification: 'TLP:C', submitter: 'cli' }),
      metadata: {},
      files: [],
      file_count: 0,
      state: 'completed' as const,
      times: { submitted: new Date(now - 3 * day), completed: new Date(now - 3 * day) },
      scan_key: null,
      max_score: 0,
      error_count: 0,
      errors: [],
      results: [],
      failure: null,
      expiry_ts: expiry,
    });
    await submissions.createIfAbsent(submission('expired-sid', new Date(now - day)));
    await submissions.createIfAbsent(submission('live-sid', new Date(now + day)));
    const bytes = Buffer.from('an expired file');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await files.recordSeen(newFile({ sha256, md5: 'm'.repeat(32), sha1: 's'.repeat(40), size: bytes.length, entropy: 0 }, { type: 'text/plain' }, 'TLP:C'), new Date(now - 3 * day), new Date(now - 2 * day));
    await new LocalFilestore(filesDir).put(sha256, Readable.from([bytes]));
  });

  afterAll(async () => {
    await connection.close();
  });

  it('status tells what is due and the oldest expiry, by collection', () => {
    const status = hopper('expiry', 'status', '--json');
    expect(status.status).toBe(0);
    const parsed = JSON.parse(status.stdout);
    expect(parsed.due).toEqual({ submissions: 1, results: 0, errors: 0, alerts: 0, files: 1 });
    expect(Date.parse(parsed.oldest_expired.files)).toBeLessThan(Date.parse(parsed.oldest_expired.submissions));
    expect(hopper('expiry', 'status').stdout).toMatch(/^ {2}submissions +1 {2}oldest \d{4}-/m);
  });

  it('run --dry-run reports what a sweep would delete and deletes nothing; run deletes it', async () => {
    const dry = hopper('expiry', 'run', '--dry-run', '--json');
    expect(dry.status).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ dry_run: true, documents: { submissions: 1, files: 1 }, expired_blobs: 1, sample: { submissions: ['expired-sid'] } });
    expect(await connection.collection('submissions').countDocuments({})).toBe(2);

    const run = hopper('expiry', 'run', '--json');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ dry_run: false, documents: { submissions: 1, files: 1 }, expired_blobs: 1, bytes_freed: 15 });
    expect((await connection.collection('submissions').find({}).toArray()).map((doc) => doc._id)).toEqual(['live-sid']);
    expect(JSON.parse(hopper('expiry', 'status', '--json').stdout).due).toEqual({ submissions: 0, results: 0, errors: 0, alerts: 0, files: 0 });
  });
});
