/**
 * Periodic housekeeping: drop expired sessions and old login attempts; apply platform deletions that
 * arrived before their posts were stored, and forget those whose post never came.
 */
import { lt, sql } from 'drizzle-orm';
import type pg from 'pg';
import type { Db } from '../db/client.ts';
import { insertEvents } from '../db/repositories/conversations.ts';
import { applyPendingDeletions, postDeletedEvents } from '../db/repositories/posts.ts';
import { inboundDeletions, loginAttempts, sessions } from '../db/schema/index.ts';

export const HOUSEKEEPING_JOB = 'housekeeping';
/** A deletion whose post has not arrived after this long is forgotten. */
export const PENDING_DELETION_DAYS = 30;

export async function runHousekeeping(
  db: Db,
  pool: pg.Pool,
  now: Date = new Date(),
): Promise<{
  expiredSessions: number;
  oldLoginAttempts: number;
  lateDeletions: number;
  forgottenDeletions: number;
}> {
  const expired = await db
    .delete(sessions)
    .where(lt(sessions.expiresAt, now))
    .returning({ id: sessions.tokenHash });
  const old = await db
    .delete(loginAttempts)
    .where(lt(loginAttempts.at, sql`${now.toISOString()}::timestamptz - interval '1 day'`))
    .returning({ id: loginAttempts.id });
  // A deletion recorded while a drain was storing its post (the drain applies the others itself).
  const late = await applyLateDeletions(pool, now);
  const forgotten = await db
    .delete(inboundDeletions)
    .where(
      lt(
        inboundDeletions.recordedAt,
        sql`${now.toISOString()}::timestamptz - make_interval(days => ${PENDING_DELETION_DAYS})`,
      ),
    )
    .returning({ id: inboundDeletions.externalId });
  return {
    expiredSessions: expired.length,
    oldLoginAttempts: old.length,
    lateDeletions: late,
    forgottenDeletions: forgotten.length,
  };
}

/** Marks the posts deleted and records their events in one transaction. */
async function applyLateDeletions(pool: pg.Pool, now: Date): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const gone = await applyPendingDeletions(client);
    await insertEvents(client, postDeletedEvents(gone, now.toISOString()));
    await client.query('commit');
    return gone.length;
  } catch (e) {
    await client.query('rollback').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}
