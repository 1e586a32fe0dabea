import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PipelineTestBed, pipelineTestBed } from '../../test/helpers/pipeline.ts';
import { INBOUND_LANES } from '../db/schema/pipeline.ts';
import { drainAll, drainOnce } from './drain.ts';
import { enqueueInbound } from './intake.ts';

let t: PipelineTestBed;
beforeAll(async () => {
  t = await pipelineTestBed('Lanes X');
});
afterAll(() => t.database.drop());

describe('intake lanes', () => {
  it('puts every post of one author in one lane, and spreads authors over the lanes', async () => {
    const authors = Array.from({ length: 40 }, (_, i) => `lane-author-${i}`);
    await enqueueInbound(
      t.database.pool,
      [...authors, ...authors].map((a) => t.post(a)),
    );
    const rows = await t.q<{ author: string; lanes: number[] }>(
      `select post->'author'->>'externalId' as author, array_agg(distinct lane)::int[] as lanes
         from inbound_queue group by 1`,
    );
    expect(rows).toHaveLength(40);
    for (const r of rows) expect(r.lanes).toHaveLength(1);
    const used = new Set(rows.map((r) => r.lanes[0]));
    expect(used.size).toBe(INBOUND_LANES);
    await drainAll(t.deps);
    expect(await t.q('select 1 from inbound_queue')).toHaveLength(0);
  });

  it('parallel drains take different lanes: neither waits for the other, no author is in both batches', async () => {
    const authors = Array.from({ length: 40 }, (_, i) => `parallel-${i}`);
    await enqueueInbound(
      t.database.pool,
      authors.flatMap((a) => [t.post(a), t.post(a)]),
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
        ...t.deps,
        beforeCommit: async () => {
          signalClaimed();
          await held;
        },
      },
      1000,
    );
    await claimed;
    const second = await drainOnce(t.deps, 1000);
    release();
    const firstResult = await first;
    const authorsOf = async (conversationIds: string[]) =>
      (
        await t.q<{ a: string }>(
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
    await drainAll(t.deps);
    expect(
      (
        await t.q<{ n: number }>(`select count(*)::int as n from posts where author_handle like 'parallel-%'`)
      )[0]!.n,
    ).toBe(80);
  });
});
