/**
 * What the one-shot commands over the database share (`earshot pipeline`, `earshot ignored`, `earshot routing`): a usage
 * error exits 2 with its one line; a domain error (an unknown or already handled id) exits 1 with one
 * line; otherwise the command's own exit code, its answer printed line by line.
 */
import type { Database } from '../db/client.ts';
import { isDomainError } from '../domain/errors.ts';
import { withCliDatabase } from './database.ts';

/** Runs `fn`; a domain error is printed as one line and exits 1. */
export async function domainErrorExits1(fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (err) {
    if (!isDomainError(err)) throw err;
    console.error(`error: ${err.message} (${err.code})`);
    return 1;
  }
}

/** Parses the arguments (a string is the usage error), then runs the command against the database. */
export async function runOneShot<C>(
  args: string[],
  parse: (args: string[]) => C | string,
  exec: (database: Database, cmd: C, print: (line: string) => void) => Promise<number>,
): Promise<number> {
  const cmd = parse(args);
  if (typeof cmd === 'string') {
    console.error(cmd);
    return 2;
  }
  return withCliDatabase((database) => exec(database, cmd, (line) => console.log(line)));
}
