import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers/db.ts';
import { INBOUND_LANES } from '../db/schema/pipeline.ts';
import type { InboundPost } from '../domain/inbound-post.ts';
import { shippedClassifier } from './classifier.ts';
import { pipelineConfigCache } from './config.ts';
import { drainAll, drainOnce } from './drain.ts';
import { enqueueInbound } from './intake.ts';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let channelId: string;
let deps: Parameters<typeof drainOnce>[0];
const q = async <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
  (await database.pool.query(text, params)).rows as T[];

const post = (author: string, text = 'Where is my refund? Still waiting after two weeks'): InboundPost => {
  const id = randomUUID();
  return {
    channelKind: 'x',
    channelId,
    externalId: id,
    threadExternalId: id,
    author: { externalId: author, handle: author },
    text,
    isPrivate: false,
    createdAt: new Date().toISOString(),
    matchedBy: 'mention',
  };
};

beforeAll(async () => {
  database = await createTestDatabase();
  const [row] = await q<{ id: string }>(
    `insert into channels (kind, name, base_url) values ('x', 'Lanes X', 'http://127.0.0.1') returning id`,
  );
  channelId = row!.id;
  deps = { pool: database.pool, classifier: shippedClassifier(), config: pipelineConfigCache(database.db) };
});
afterAll(() => database.drop());

describe('intake lanes', () => {
  it('puts every post of one author in one lane, and spreads authors over the lanes', async () => {
    const authors = Array.from({ length: 40 }, (_, i) => `lane-author-${i}`);
    await enqueueInbound(
      database.pool,
      [...authors, ...authors].map((a) => post(a)),
    );
    const rows = await q<{ author: string; lanes: number[] }>(
      `select post->'author'->>'externalId' as author, array_agg(distinct lane)::int[] as lanes
         from inbound_queue group by 1`,
    );
    expect(rows).toHaveLength(40);
    for (const r of rows) expect(r.lanes).toHaveLength(1);
    const used = new Set(rows.map((r) => r.lanes[0]));
    expect(used.size).toBe(INBOUND_LANES);
    await drainAll(deps);
    expect(await q('select 1 from inbound_queue')).toHaveLength(0);
  });

  it('parallel drains take different lanes: neither waits for the other, no author is in both batches', async () => {
    const authors = Array.from({ length: 40 }, (_, i) => `parallel-${i}`);
    await enqueueInbound(
      database.pool,
      authors.flatMap((a) => [post(a), post(a)]),
    );
    let release: () => void = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    let signalClaimed: () => void = () => {};
    const claimed = new Promise<void>((r) => {
      signalClaimed = r;
    });
    // The first drain holds its lane (its transaction stays open) until the second has committed: the
    // second must finish meanwhile (waiting on the first would never end).
    const first = drainOnce(
      {
        ...deps,
        beforeCommit: async () => {
          signalClaimed();
          await held;
        },
      },
      1000,
    );
    await claimed;
    const second = await drainOnce(deps, 1000);
    release();
    const firstResult = await first;
    const authorsOf = async (conversationIds: string[]) =>
      (
        await q<{ a: string }>(
          `select distinct i.external_id as a from conversations c join contact_identities i on i.contact_id = c.contact_id
            where c.id = any($1::uuid[])`,
          [conversationIds],
        )
      ).map((r) => r.a);
    const firstAuthors = await authorsOf(firstResult!.created);
    const secondAuthors = await authorsOf(second!.created);
    expect(firstAuthors.length).toBeGreaterThan(0);
    expect(secondAuthors.length).toBeGreaterThan(0);
    expect(secondAuthors.filter((a) => firstAuthors.includes(a))).toEqual([]);
    await drainAll(deps);
    expect(
      (
        await q<{ n: number }>(`select count(*)::int as n from posts where author_handle like 'parallel-%'`)
      )[0]!.n,
    ).toBe(80);
  });
});
