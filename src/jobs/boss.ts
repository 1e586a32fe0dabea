/**
 * Background jobs on pg-boss in the same PostgreSQL. Web processes only send jobs; worker processes
 * also work them. Job handlers live in src/jobs/<job>.ts and are registered here.
 */
import PgBoss from 'pg-boss';
import type { Database } from '../db/client.ts';
import { HOUSEKEEPING_JOB, runHousekeeping } from './housekeeping.ts';

export interface Jobs {
  boss: PgBoss;
  stop(): Promise<void>;
}

export async function startJobs(
  database: Database,
  options: { work: boolean; log: (msg: string) => void },
): Promise<Jobs> {
  const boss = new PgBoss({
    connectionString: database.url,
    schema: 'pgboss',
    max: 4,
    application_name: 'earshot-jobs',
  });
  boss.on('error', (err) => options.log(`jobs: ${err.message}`));
  await boss.start();
  await boss.createQueue(HOUSEKEEPING_JOB);
  if (options.work) {
    await boss.schedule(HOUSEKEEPING_JOB, '*/5 * * * *', {});
    await boss.work(HOUSEKEEPING_JOB, async () => {
      const result = await runHousekeeping(database.db);
      options.log(`housekeeping: ${JSON.stringify(result)}`);
      return result;
    });
  }
  return {
    boss,
    stop: () => boss.stop({ graceful: true, timeout: 5_000 }),
  };
}
