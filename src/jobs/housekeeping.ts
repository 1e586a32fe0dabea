/** Periodic housekeeping: drop expired sessions and old login attempts. */
import { lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { loginAttempts, sessions } from '../db/schema/index.ts';

export const HOUSEKEEPING_JOB = 'housekeeping';

export async function runHousekeeping(
  db: Db,
  now: Date = new Date(),
): Promise<{ expiredSessions: number; oldLoginAttempts: number }> {
  const expired = await db
    .delete(sessions)
    .where(lt(sessions.expiresAt, now))
    .returning({ id: sessions.tokenHash });
  const old = await db
    .delete(loginAttempts)
    .where(lt(loginAttempts.at, sql`${now.toISOString()}::timestamptz - interval '1 day'`))
    .returning({ id: loginAttempts.id });
  return { expiredSessions: expired.length, oldLoginAttempts: old.length };
}
