// CLI commands for the dashboard's accounts: `rounds user add|passwd|remove|list|role`. They
// work on the same users file `rounds serve` reads (usersFileLocation: ROUNDS_USERS_FILE, else
// users.json in ROUNDS_VAR_DIR or the project's var/), whatever the working directory; a
// running dashboard sees each change at the user's next request.
import { Argument, Command, Option } from 'commander';
import { addUser, describeUsers, removeUser, ROLES, setPassword, setRole, usersFileLocation, type Role } from '../users';

/** The users file: --users-file, else the one `rounds serve` uses. */
export function usersFileFrom(option?: string): string {
  return option ?? usersFileLocation();
}

const ROLE_HELP = 'viewer: read only; staff: also record receipts and the rest; lead: also start rounds';

type Opts = { usersFile?: string; role?: Role };

/**
 * One subcommand's action: prints what fn returns for the users file and the arguments. A
 * UserError goes up to the CLI's one handler (message, exit code 1), as for every command.
 */
function action(fn: (file: string, opts: Opts, ...args: string[]) => Promise<string> | string) {
  return async function (this: Command) {
    const opts = this.opts<Opts>();
    process.stdout.write(await fn(usersFileFrom(opts.usersFile), opts, ...(this.processedArgs as string[])));
  };
}

export function registerUsers(program: Command): void {
  const user = program.command('user').description('manage who can sign in to the dashboard');
  const fileOption = () =>
    new Option('--users-file <path>', "the users file (default: $ROUNDS_USERS_FILE, else users.json in $ROUNDS_VAR_DIR or the project's var/, as `rounds serve` uses)");

  user
    .command('add <name>')
    .description('add a dashboard user and print their one-time password (shown once; only its hash is kept)')
    .addOption(new Option('--role <role>', ROLE_HELP).choices(ROLES).default('staff'))
    .addOption(fileOption())
    .action(
      action(async (file, opts, name) => {
        const added = await addUser(file, name, opts.role!);
        return `Added ${added.role} '${added.name}' to ${file}.\nPassword (shown only this once; they can sign in with it now): ${added.password}\n`;
      }),
    );

  user
    .command('passwd <name>')
    .description('give a user a new one-time password (printed once); their dashboard sessions end')
    .addOption(fileOption())
    .action(
      action(async (file, _opts, name) => {
        const changed = await setPassword(file, name);
        return (
          `New password for '${changed.name}' in ${file}; they are signed out of the dashboard.\n` +
          `Password (shown only this once; they can sign in with it now): ${changed.password}\n`
        );
      }),
    );

  user
    .command('remove <name>')
    .description('remove a user; they are signed out of the dashboard at once')
    .addOption(fileOption())
    .action(
      action((file, _opts, name) => {
        const removed = removeUser(file, name);
        return `Removed ${removed.role} '${removed.name}' from ${file}; they are signed out of the dashboard.\n`;
      }),
    );

  user
    .command('role')
    .description('change what a user may do; it applies at their next page')
    .addArgument(new Argument('<name>', 'the user'))
    .addArgument(new Argument('<role>', ROLE_HELP).choices(ROLES))
    .addOption(fileOption())
    .action(
      action((file, _opts, name, role) => {
        const changed = setRole(file, name, role as Role);
        return changed.was === changed.role
          ? `'${changed.name}' already has the ${changed.role} role (${file}); nothing changed.\n`
          : `'${changed.name}' is now ${changed.role} (was ${changed.was}) in ${file}.\n`;
      }),
    );

  user
    .command('list')
    .description('list the dashboard users with their roles')
    .addOption(fileOption())
    .action(
      action((file) => {
        const users = describeUsers(file);
        if (users.length === 0) return `No users in ${file}. Add one with \`rounds user add <name> --role lead\`.\n`;
        const width = Math.max(4, ...users.map((u) => u.name.length));
        const lines = users.map((u) => `${u.name.padEnd(width)}  ${u.role.padEnd(6)}  ${u.created.slice(0, 10)}`);
        return `Users in ${file}:\n${'Name'.padEnd(width)}  Role    Added\n${lines.join('\n')}\n`;
      }),
    );
}
