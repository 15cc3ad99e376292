import { ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { newAccount, newApiKey } from '@hopper/accounts';
import { connectMongo, UsersRepository } from '@hopper/datastore';
import { uniqueId } from './test-env';

const root = resolve(__dirname, '..', '..');

/** A built process (`npm run build` first) started as `npm run start:<app>` would, its output kept for failures. */
export interface Running {
  child: ChildProcess;
  output: () => string;
}

export function startBuilt(app: 'api' | 'ingester' | 'dispatcher', env: NodeJS.ProcessEnv): Running {
  const child = spawn(process.execPath, [join(root, 'dist', 'apps', app, 'src', 'main.js')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return { child, output: () => output };
}

/** A user with an API key, written straight to the database (the API has no user yet). */
export async function addApiUser(mongoUrl: string): Promise<{ uname: string; apikey: string; headers: Record<string, string> }> {
  const connection = await connectMongo(mongoUrl);
  try {
    const users = new UsersRepository(connection);
    const uname = uniqueId('user');
    const record = await newAccount({ uname, classification: 'TLP:C', type: ['user'], password: null });
    await users.create({ ...record, uname, password: record.password }, new Date());
    const key = newApiKey('testkey');
    await users.setApiKey(uname, 'testkey', key.record);
    return { uname, apikey: `${uname}:${key.apikey}`, headers: { 'x-user': uname, 'x-apikey': key.apikey } };
  } finally {
    await connection.close();
  }
}
