/** `earshot user add --role admin --email a@b.c --name "A B" [--password P]` (or EARSHOT_PASSWORD / prompt). */
import { createInterface } from 'node:readline/promises';
import { usersRepository } from '../../db/repositories/users.ts';
import { ROLES, type Role } from '../../db/schema/index.ts';
import { isDomainError } from '../../domain/errors.ts';
import { accountsService } from '../../services/accounts.ts';
import { withCliDatabase } from '../database.ts';
import { parseFlags } from '../flags.ts';

async function askPassword(): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: false });
  const answer = await rl.question('Password (at least 10 characters): ');
  rl.close();
  return answer.trim();
}

export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const flags = parseFlags(rest);
  if (sub === 'list') {
    return withCliDatabase(async (database) => {
      for (const u of await usersRepository(database.db).list())
        console.log(`${u.role.padEnd(10)} ${u.email}  ${u.displayName}`);
      return 0;
    });
  }
  if (sub !== 'add') {
    console.error(
      'usage: earshot user add --role <role> --email <email> --name <name> [--password <pw>]\n       earshot user list',
    );
    return 2;
  }
  const role = flags.role as Role | undefined;
  if (!role || !ROLES.includes(role) || !flags.email || !flags.name) {
    console.error(`earshot user add needs --role (${ROLES.join('|')}), --email and --name`);
    return 2;
  }
  const password = flags.password ?? process.env.EARSHOT_PASSWORD ?? (await askPassword());
  return withCliDatabase(async (database, config) => {
    const accounts = accountsService({
      users: usersRepository(database.db),
      sessionTtlHours: config.sessionTtlHours,
      loginRateLimit: config.loginRateLimit,
    });
    try {
      const user = await accounts.createUser({
        email: flags.email!,
        displayName: flags.name!,
        role,
        password,
      });
      console.log(`created ${user.role} ${user.email} (${user.id})`);
      return 0;
    } catch (err) {
      if (isDomainError(err)) {
        console.error(`error: ${err.message} (${err.code})`);
        return 1;
      }
      throw err;
    }
  });
}
