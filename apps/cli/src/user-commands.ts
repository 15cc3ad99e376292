import { Command, InvalidArgumentError } from 'commander';
import { newAccount, newApiKey, USER_TYPES } from '@hopper/accounts';
import type { ClassificationEngine } from '@hopper/classification';
import { UsersRepository } from '@hopper/datastore';

export interface CliContext {
  users: UsersRepository;
  classification: ClassificationEngine;
  out: (line: string) => void;
}

const list = (value: string) => value.split(',').map((item) => item.trim()).filter(Boolean);

function days(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new InvalidArgumentError('must be a positive whole number of days');
  return parsed;
}

/** `hopper user …`: manage users and their API keys. Each action opens what it needs through `open`. */
export function userCommands(open: () => Promise<CliContext>): Command {
  const user = new Command('user').description('manage users and API keys');

  user
    .command('add <uname>')
    .description('create a user')
    .option('--name <name>', 'full name (default: the uname)')
    .option('--email <email>', 'e-mail address')
    .option('--type <types>', `user types, comma-separated (${USER_TYPES.join(', ')})`, list, ['user'])
    .option('--roles <roles>', 'extra roles, comma-separated', list, [])
    .option('--groups <groups>', 'groups, comma-separated', list, [])
    .option('--organization <name>', 'Threat Grid-style organization (default: threatgrid.default_organization)')
    .option('--classification <c12n>', 'clearance (default: the definition\'s default user classification)')
    .option('--password <password>', 'password (without one the user logs in by API key only)')
    .action(async (uname: string, options) => {
      const { users, classification, out } = await open();
      const unknownType = (options.type as string[]).find((type) => !USER_TYPES.includes(type));
      if (unknownType) throw new Error(`Unknown user type "${unknownType}" (one of ${USER_TYPES.join(', ')})`);
      const clearance = options.classification ?? classification.defaultUserClassification();
      if (!classification.isValid(clearance)) throw new Error(`Invalid classification "${clearance}"`);
      const account = await newAccount({ uname, ...options, classification: classification.normalize(clearance) });
      await users.create(account, new Date());
      out(`created user ${uname} (${account.type.join(', ')}; clearance ${account.classification})`);
    });

  user
    .command('list')
    .description('list users')
    .action(async () => {
      const { users, out } = await open();
      for (const record of await users.list()) {
        const keys = Object.keys(record.apikeys ?? {});
        out(`${record.uname}\t${record.is_active ? 'active' : 'disabled'}\t${record.type.join(',')}\t${record.classification}\tkeys: ${keys.join(',') || '-'}`);
      }
    });

  user
    .command('key <uname> <keyname>')
    .description('create (or replace) an API key and print it once (Threat Grid routes take it as <uname>:<key>)')
    .option('--roles <roles>', 'limit the key to these roles, comma-separated', list, [])
    .option('--expires <days>', 'the key stops working after this many days', days)
    .action(async (uname: string, keyName: string, options) => {
      const { users, out } = await open();
      const expiry = options.expires ? new Date(Date.now() + options.expires * 86_400_000) : null;
      const { record, apikey } = newApiKey(keyName, { roles: options.roles, expiry });
      if (!(await users.setApiKey(uname, keyName, record))) throw new Error(`No user ${uname}`);
      out(apikey);
    });

  for (const [name, active] of [['disable', false], ['enable', true]] as const) {
    user
      .command(`${name} <uname>`)
      .description(`${name} a user (keys and sessions stop or resume working)`)
      .action(async (uname: string) => {
        const { users, out } = await open();
        if (!(await users.setActive(uname, active))) throw new Error(`No user ${uname}`);
        out(`${name}d user ${uname}`);
      });
  }
  return user;
}
