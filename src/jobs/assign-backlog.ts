/**
 * Backlog assignment, every minute: agents still marked available without a live session are made
 * away, then waiting conversations (new/open, no assignee) go to agents with room — conversations that
 * arrived while everyone was full or away, once someone resolves one, raises a capacity or comes back.
 * See src/services/assignment-backlog.ts; registered in src/jobs/boss.ts.
 */
import type { Database } from '../db/client.ts';
import { assignWholeBacklog } from '../services/assignment-backlog.ts';
import { awayWithoutSession } from '../services/availability.ts';

export const ASSIGN_BACKLOG_JOB = 'assign-backlog';
export const ASSIGN_BACKLOG_CRON = '* * * * *';

export async function runAssignBacklog(
  database: Pick<Database, 'db' | 'pool'>,
): Promise<{ away: number; assigned: number }> {
  const away = await awayWithoutSession(database.db);
  const assigned = await assignWholeBacklog(database);
  return { away, assigned: assigned.length };
}
