import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { Connection } from 'mongoose';
import { parseApiKey, verifyApiKey, verifyPassword } from '@hopper/accounts';
import { connectMongo, UsersRepository } from '@hopper/datastore';
import { mongoUrlFor, uniqueId } from './support/test-env';

// Runs the built CLI (`npm test` builds first) the way an operator does: `npm run hopper -- user …`.
const root = resolve(__dirname, '..');
const database = `hopper_test_${uniqueId('cli')}`;

function hopper(...args: string[]) {
  const result = spawnSync(process.execPath, [join(root, 'dist', 'apps', 'cli', 'src', 'main.js'), ...args], {
    cwd: root,
    env: { PATH: process.env.PATH, HOPPER_MONGO_URL: mongoUrlFor(database), HOPPER_REDIS_URL: process.env.HOPPER_REDIS_URL },
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
