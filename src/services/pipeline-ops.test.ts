/**
 * The pipeline for operators, over real posts through the real intake and drain: status figures,
 * dead letters listed (whatever they hold), retried (stored once when fixed, dead again when still bad,
 * never lost) and discarded, with audit entries.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type PipelineTestBed, pipelineTestBed } from '../../test/helpers/pipeline.ts';
import { INBOUND_LANES } from '../db/schema/pipeline.ts';
import type { InboundPost } from '../domain/inbound-post.ts';
import { drainAll } from '../pipeline/drain.ts';
import { enqueueInbound } from '../pipeline/intake.ts';
import { type PipelineOpsService, pipelineOpsService } from './pipeline-ops.ts';

let t: PipelineTestBed;
let ops: PipelineOpsService;
const cli = { id: null, via: 'cli' } as const;

beforeAll(async () => {
  t = await pipelineTestBed();
  ops = pipelineOpsService(t.database.db);
});
afterAll(() => t.database.drop());
beforeEach(async () => {
  await t.q('delete from inbound_dead_letters');
  await t.q('delete from inbound_queue');
});

const enqueue = (posts: unknown[]) => enqueueInbound(t.database.pool, posts as InboundPost[]);
const drain = () => drainAll(t.deps);
const audits = (action: string) =>
  t.q<{ actor_id: string | null; subject_id: string; detail: Record<string, unknown> }>(
    'select actor_id, subject_id, detail from audit_log where action = $1 order by at',
    [action],
  );

describe('pipeline status', () => {
  it('counts queued posts per lane with the wait of the oldest, then what the drain stored', async () => {
    const empty = await ops.status();
    expect(empty).toMatchObject({ queued: 0, oldestQueuedAt: null, lagSeconds: 0, deadLetters: 0 });
    expect(empty.lanes.map((l) => l.lane)).toEqual([...Array(INBOUND_LANES).keys()]);

    const posts = ['ana', 'ben', 'cy', 'dee', 'eve'].map((a) => t.post(`author-${a}-${randomUUID()}`));
    await enqueue(posts);
    await t.q(`update inbound_queue set received_at = now() - interval '90 seconds'`);
    const before = await ops.status();
    const storedBefore = before.storedLast5Minutes;
    expect(before.queued).toBe(5);
    expect(before.queuedCapped).toBe(false);
    expect(before.lanes.reduce((n, l) => n + l.queued, 0)).toBe(5);
    expect(before.lanes.filter((l) => l.queued > 0).every((l) => l.oldestReceivedAt)).toBe(true);
    expect(before.lagSeconds).toBeGreaterThanOrEqual(90);
    expect(before.lagSeconds).toBeLessThan(150);

    await drain();
    const after = await ops.status();
    expect(after).toMatchObject({ queued: 0, oldestQueuedAt: null, lagSeconds: 0 });
    expect(after.storedLast5Minutes).toBe(storedBefore + 5);
    expect(after.storedLastHour).toBe(before.storedLastHour + 5);

    // Arrived 10 minutes ago: last hour only; 2 hours ago: neither.
    const ids = posts.map((p) => p.externalId);
    await t.q(`update posts set received_at = now() - interval '10 minutes' where external_id = any($1)`, [
      ids.slice(0, 2),
    ]);
    await t.q(`update posts set received_at = now() - interval '2 hours' where external_id = any($1)`, [
      ids.slice(2, 3),
    ]);
    const later = await ops.status();
    expect(later.storedLast5Minutes).toBe(storedBefore + 2);
    expect(later.storedLastHour).toBe(before.storedLastHour + 4);
  });
});

describe('dead letters', () => {
  it('lists malformed posts newest first with a summary, whatever they hold, page by page', async () => {
    const missing = randomUUID();
    const long = 'x'.repeat(300);
    await enqueue([t.post('mal-1', { channelId: missing, text: long })]);
    await enqueue(['just a string', 42, null, [1, 2], { channelKind: 'x', author: 'not an object' }]);
    const result = await drain();
    expect(result.deadLetters).toBe(6);
    const status = await ops.status();
    expect(status.deadLetters).toBe(6);

    const first = await ops.deadLetters({ limit: 4 });
    expect(first.deadLetters).toHaveLength(4);
    expect(first.nextBefore).toBe(first.deadLetters[3]!.id);
    const rest = await ops.deadLetters({ limit: 4, before: first.nextBefore! });
    expect(rest.nextBefore).toBeNull();
    const all = [...first.deadLetters, ...rest.deadLetters];
    expect(all).toHaveLength(6);
    const ids = all.map((d) => d.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));

    const unknown = all.find((d) => d.error === `unknown channel ${missing}`)!;
    expect(unknown.post).toMatchObject({
      type: 'object',
      channelKind: 'x',
      channelId: missing,
      authorHandle: 'mal-1',
      text: 'x'.repeat(200),
    });
    expect(unknown.post.externalId).toMatch(/^[0-9a-f-]{36}$/);
    expect(all.map((d) => d.post.type).sort()).toEqual([
      'array',
      'null',
      'number',
      'object',
      'object',
      'string',
    ]);
    const odd = all.find((d) => d.error === 'channelId must be a channel uuid')!;
    expect(odd.post).toMatchObject({ type: 'object', channelKind: 'x', authorHandle: null, text: null });
    expect(all.find((d) => d.post.type === 'string')!.error).toBe('not an object');
    expect(all.find((d) => d.post.type === 'array')!.error).toBe('unknown channelKind');
    expect(await ops.frequentErrors()).toContainEqual({ error: 'not an object', count: 3 });
  });

  it('a post for a missing channel, retried once the channel exists, is stored exactly once', async () => {
    const channelId = randomUUID();
    const p = t.post('late-channel', { channelId, externalId: `late-${randomUUID()}` });
    await enqueue([p]);
    await drain();
    const [dead] = (await ops.deadLetters()).deadLetters;
    expect(dead!.error).toBe(`unknown channel ${channelId}`);
    const [queuedAt] = await t.q<{ received_at: Date }>('select received_at from inbound_dead_letters');

    await t.q(
      `insert into channels (id, kind, name, base_url) values ($1, 'x', 'Late X', 'http://127.0.0.1')`,
      [channelId],
    );
    const moved = await ops.retry(cli, dead!.id);
    expect(moved.id).toBe(dead!.id);
    const [requeued] = await t.q<{ received_at: Date }>('select received_at from inbound_queue');
    expect(requeued!.received_at).toEqual(queuedAt!.received_at);
    expect((await ops.status()).deadLetters).toBe(0);

    const result = await drain();
    expect(result).toMatchObject({ stored: 1, deadLetters: 0 });
    const stored = await t.q<{ received_at: Date }>(
      'select received_at from posts where channel_id = $1 and external_id = $2',
      [channelId, p.externalId],
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]!.received_at).toEqual(queuedAt!.received_at);
    expect(await t.q('select 1 from inbound_dead_letters')).toHaveLength(0);

    const [entry] = (await audits('pipeline.dead_letter.retry')).filter(
      (a) => a.subject_id === String(dead!.id),
    );
    expect(entry).toMatchObject({ actor_id: null, detail: { via: 'cli', error: dead!.error } });
    await expect(ops.retry(cli, dead!.id)).rejects.toMatchObject({ code: 'dead_letter_not_found' });
  });

  it('a post retried while still bad comes back as a new dead letter: nothing lost', async () => {
    const channelId = randomUUID();
    await enqueue([t.post('still-bad', { channelId, text: 'still nowhere to go' })]);
    await drain();
    const [dead] = (await ops.deadLetters()).deadLetters;
    await ops.retry(cli, dead!.id);
    expect((await ops.status()).queued).toBe(1);
    await drain();
    const [again, ...others] = (await ops.deadLetters()).deadLetters;
    expect(others).toHaveLength(0);
    expect(again!.id).toBeGreaterThan(dead!.id);
    expect(again).toMatchObject({ error: dead!.error, receivedAt: dead!.receivedAt, post: dead!.post });
    expect((await ops.status()).queued).toBe(0);
  });

  it('discard deletes one dead letter, audited with its error and summary; a second discard is not found', async () => {
    await enqueue(['garbage', t.post('keep-me', { channelId: randomUUID() })]);
    await drain();
    const letters = (await ops.deadLetters()).deadLetters;
    const garbage = letters.find((d) => d.post.type === 'string')!;
    const actor = { id: randomUUID(), via: 'api' } as const;
    await ops.discard(actor, garbage.id);
    expect((await ops.deadLetters()).deadLetters.map((d) => d.id)).toEqual(
      letters.filter((d) => d !== garbage).map((d) => d.id),
    );
    const [entry] = (await audits('pipeline.dead_letter.discard')).filter(
      (a) => a.subject_id === String(garbage.id),
    );
    expect(entry).toMatchObject({
      actor_id: actor.id,
      detail: { via: 'api', error: 'not an object', post: { type: 'string' } },
    });
    await expect(ops.discard(actor, garbage.id)).rejects.toMatchObject({
      code: 'dead_letter_not_found',
      kind: 'not_found',
    });
  });

  it('retry-all with an error text queues exactly those dead letters again', async () => {
    await enqueue(['a', 'b', 'c', t.post('other', { channelId: randomUUID() })]);
    await drain();
    expect(await ops.retryAll(cli, { error: 'not an object' })).toBe(3);
    const left = (await ops.deadLetters()).deadLetters;
    expect(left.map((d) => d.error)).toEqual([expect.stringMatching(/^unknown channel /)]);
    expect((await ops.status()).queued).toBe(3);
    await drain();
    expect((await ops.status()).deadLetters).toBe(4);
    expect(await ops.retryAll(cli)).toBe(4);
    expect((await audits('pipeline.dead_letter.retry_all')).at(-1)?.detail).toMatchObject({
      error: null,
      count: 4,
    });
  });

  it('retry-all goes batch by batch up to the dead letters that existed when it started', async () => {
    const small = pipelineOpsService(t.database.db, { retryBatch: 2 });
    await enqueue(['a', 'b', 'c', 'd', 'e', t.post('other', { channelId: randomUUID() })]);
    await drain();
    const before = (await audits('pipeline.dead_letter.retry_all')).length;
    // Five posts of this error in batches of 2: three transactions, each audited with its count.
    expect(await small.retryAll(cli, { error: 'not an object' })).toBe(5);
    const batches = (await audits('pipeline.dead_letter.retry_all')).slice(before);
    expect(batches.map((a) => a.detail.count)).toEqual([2, 2, 1]);
    // Drained, they fail again as new dead letters (ids above the cut-off): a new retry-all takes them.
    await drain();
    expect((await ops.status()).deadLetters).toBe(6);
    expect(await small.retryAll(cli, { error: 'not an object' })).toBe(5);
    expect((await ops.status()).queued).toBe(5);
  });
});
