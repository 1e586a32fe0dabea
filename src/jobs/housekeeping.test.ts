import type PgBoss from 'pg-boss';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers/db.ts';
import { usersRepository } from '../db/repositories/users.ts';
import { sessions } from '../db/schema/index.ts';
import { startJobs } from './boss.ts';
import { HOUSEKEEPING_JOB } from './housekeeping.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

it('the housekeeping job, run by a pg-boss worker, removes expired sessions and keeps live ones', async () => {
  const user = await usersRepository(db.db).insert({
    email: 'h@example.test',
    displayName: 'H',
    role: 'agent',
    passwordHash: 'x',
  });
  const past = new Date(Date.now() - 60_000);
  const future = new Date(Date.now() + 3_600_000);
  await db.db.insert(sessions).values([
    { tokenHash: 'old', userId: user.id, csrfToken: 'c', expiresAt: past },
    { tokenHash: 'live', userId: user.id, csrfToken: 'c', expiresAt: future },
  ]);
  const jobs = await startJobs(db, { work: true, log: () => {} });
  try {
    const id = await jobs.boss.send(HOUSEKEEPING_JOB, {});
    expect(id).toBeTruthy();
    let job: PgBoss.JobWithMetadata | null = null;
    for (let i = 0; i < 100 && job?.state !== 'completed'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      job = await jobs.boss.getJobById(HOUSEKEEPING_JOB, id!);
    }
    expect(job?.state).toBe('completed');
    expect(job?.output).toMatchObject({ expiredSessions: 1 });
    const left = await db.db.select({ t: sessions.tokenHash }).from(sessions);
    expect(left.map((r) => r.t)).toEqual(['live']);
  } finally {
    await jobs.stop();
  }
});
