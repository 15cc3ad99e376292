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
