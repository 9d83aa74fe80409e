// CLI commands for the dashboard's accounts: `rounds user add <name> [--role ...] [--users-file ...]`.
import { Command, Option } from 'commander';
import { UserError } from './errors';
import { addUser, DEFAULT_USERS_FILE, ROLES, type Role } from './users';

/** The users file: --users-file, else ROUNDS_USERS_FILE, else var/users.json. */
export function usersFileFrom(option?: string): string {
  return option ?? process.env.ROUNDS_USERS_FILE ?? DEFAULT_USERS_FILE;
}

export function registerWebCommands(program: Command): void {
  const user = program.command('user').description('manage who can sign in to the dashboard');
  user
    .command('add <name>')
    .description('add a dashboard user and print their one-time password (shown once; only its hash is kept)')
    .addOption(new Option('--role <role>', 'viewer: read only; staff: also record receipts and the rest; lead: also start rounds').choices(ROLES).default('staff'))
    .option('--users-file <path>', `the users file (default: $ROUNDS_USERS_FILE or ${DEFAULT_USERS_FILE})`)
    .action(async function (this: Command, name: string, opts: { role: Role; usersFile?: string }) {
      const file = usersFileFrom(opts.usersFile);
      try {
        const added = await addUser(file, name, opts.role);
        process.stdout.write(
          `Added ${added.role} '${added.name}' to ${file}.\n` +
            `Password (shown only this once; they can sign in with it now): ${added.password}\n`,
        );
      } catch (err) {
        if (err instanceof UserError) this.error(`error: ${err.message}`, { exitCode: 1, code: 'rounds.user' });
        throw err;
      }
    });
}
