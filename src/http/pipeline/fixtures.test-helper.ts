/** Real posts through the real intake and drain of a test app's database, for the pipeline's HTTP tests. */
import { randomUUID } from 'node:crypto';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { xPost } from '../../../test/helpers/pipeline.ts';
import type { InboundPost } from '../../domain/inbound-post.ts';
import { shippedClassifier } from '../../pipeline/classifier.ts';
import { pipelineConfigCache } from '../../pipeline/config.ts';
import { drainAll } from '../../pipeline/drain.ts';
import { enqueueInbound } from '../../pipeline/intake.ts';

export function pipelineFixture(t: TestApp) {
  const { pool, db } = t.ctx.database;
  const deps = { pool, classifier: shippedClassifier(), config: pipelineConfigCache(db) };
  const q = async (text: string, params: unknown[] = []) => (await pool.query(text, params)).rows;
  return {
    q,
    /** An X post to channel `channelId` (which may not exist yet). */
    post: (channelId: string, author = `a-${randomUUID()}`, text = 'Where is my refund?') =>
      xPost(channelId, author, { text }),
    enqueue: (posts: unknown[]) => enqueueInbound(pool, posts as InboundPost[]),
    drain: () => drainAll(deps),
    /** Connects an X channel with this id. */
    connect: (channelId: string) =>
      q(`insert into channels (id, kind, name, base_url) values ($1, 'x', 'X', 'http://127.0.0.1')`, [
        channelId,
      ]),
    deadLetterIds: async () =>
      (await q('select id from inbound_dead_letters order by id desc')).map((r) => Number(r.id)),
  };
}

export type PipelineFixture = ReturnType<typeof pipelineFixture>;
type SignedIn = Awaited<ReturnType<TestApp['signIn']>>;

/** A test app with its pipeline fixture, and an admin, a supervisor and an agent signed in. */
export async function pipelineTestApp(): Promise<{
  t: TestApp;
  f: PipelineFixture;
  admin: SignedIn;
  supervisor: SignedIn;
  agent: SignedIn;
}> {
  const t = await createTestApp();
  const [admin, supervisor, agent] = [
    await t.signIn('admin'),
    await t.signIn('supervisor'),
    await t.signIn('agent'),
  ];
  return { t, f: pipelineFixture(t), admin, supervisor, agent };
}
