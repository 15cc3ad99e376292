import { Command, InvalidArgumentError } from 'commander';
import { newAccount, newApiKey, USER_TYPES } from '@hopper/accounts';
import { ClassificationEngine } from '@hopper/classification';
import { UsersRepository } from '@hopper/datastore';
import { EDIT_OPTIONS, planUserEdit, UserEditOptions } from './user-edit';

export interface CliContext {
  users: UsersRepository;
  classification: ClassificationEngine;
  out: (line: string) => void;
}

/**
 * The engine clearances are checked and normalised with: the definition's own, enforcing even while the
 * installation does not enforce (then every marking reads as unrestricted), so that users can be given their
 * clearances before enforcement is switched on, as classification.yml advises.
 */
const clearanceEngine = (engine: ClassificationEngine): ClassificationEngine =>
  engine.enforce ? engine : new ClassificationEngine({ ...engine.definition, enforce: true });

const list = (value: string) => value.split(',').map((item) => item.trim()).filter(Boolean);

function days(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new InvalidArgumentError('must be a positive whole number of days');
  return parsed;
}

/** `hopper user …`: manage users and their API keys. Each action opens what it needs through `open`. */
export function userCommands(open: () => Promise<CliContext>): Command {
  const user = new Command('user').description('manage users and API keys (directly in the configured MongoDB: there is no user API yet)');

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
    .command('edit <uname>')
    .description('change a user\'s account fields and quotas; prints what changed')
    .option('--email <email>', 'e-mail address ("" removes it)')
    .option('--name <name>', 'full name')
    .option('--type <types>', `user types, comma-separated, replacing the current ones (${USER_TYPES.join(', ')})`)
    .option('--roles <roles>', 'extra roles, comma-separated, replacing the current ones ("" for none)')
    .option('--groups <groups>', 'groups, comma-separated, replacing the current ones ("" for none)')
    .option('--organization <name>', 'Threat Grid-style organization ("" for threatgrid.default_organization)')
    .option('--classification <c12n>', 'clearance (checked against the classification definition)')
    .option('--submission-quota <n>', 'concurrent submissions (submit); 0 = unlimited, "default" = ui.default_quotas')
    .option('--submission-async-quota <n>', 'concurrent ingests; 0 = unlimited, "default" = ui.default_quotas')
    .option('--submission-daily-quota <n>', 'submissions per UTC day; 0 = unlimited, "default" = ui.default_quotas')
    .action(async (uname: string, options: UserEditOptions) => {
      if (!EDIT_OPTIONS.some(({ option }) => options[option] !== undefined)) {
        throw new Error(`Nothing to change: give at least one of ${EDIT_OPTIONS.map(({ flag }) => flag).join(', ')}`);
      }
      const { users, classification, out } = await open();
      const current = await users.findByUname(uname);
      if (!current) throw new Error(`No user ${uname}`);
      const plan = planUserEdit(current, options, clearanceEngine(classification));
      if (plan.problems.length) throw new Error([`Cannot edit user ${uname}:`, ...plan.problems.map((problem) => `  ${problem}`)].join('\n'));
      if (!plan.lines.length) {
        out(`user ${uname} unchanged`);
        return;
      }
      if (!(await users.update(uname, plan.changes))) throw new Error(`No user ${uname}`);
      out([`updated user ${uname}:`, ...plan.lines.map((line) => `  ${line}`)].join('\n'));
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
