import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RssSim, startRssSim } from '../../sim/rss/server.ts';
import { createTestDatabase } from '../../test/helpers/db.ts';
import { channelService } from '../services/channels.ts';
import { pollDueChannels } from './poll-channels.ts';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let sim: RssSim;
const key = Buffer.alloc(32, 3);

beforeAll(async () => {
  database = await createTestDatabase();
  sim = await startRssSim();
});
afterAll(async () => {
  await sim.close();
  await database.drop();
});

const q = async (sql: string, params: unknown[] = []) => (await database.pool.query(sql, params)).rows;

describe('poll-channels job', () => {
  it('polls due channels through the adapter, stores the cursor and health, then waits for the interval', async () => {
    const feed = sim.addFeed('/blog.xml');
    sim.appendItem('/blog.xml', {
      title: 'Checkout broken',
      content: 'The checkout is broken again, please fix',
    });
    sim.appendItem('/blog.xml', { title: 'Love the update', content: 'Great update, thanks team' });
    const channel = await channelService({ database, encryptionKey: key }).create(
      '00000000-0000-0000-0000-000000000000',
      {
        kind: 'rss',
        name: 'Blog',
        baseUrl: feed,
        pollIntervalSeconds: 60,
      },
    );
    const first = await pollDueChannels({ database, encryptionKey: key });
    expect(first).toMatchObject({ polled: 1, stored: 2, errors: 0 });
    expect(await q(`select 1 from inbound_queue where post->>'channelId' = $1`, [channel.id])).toHaveLength(
      2,
    );
    const [row] = await q('select cursor, last_success_at, lag_ms from channels where id = $1', [channel.id]);
    expect(Object.keys(row.cursor).length).toBeGreaterThan(0);
    expect(row.last_success_at).not.toBeNull();
    // Not due again before its interval.
    expect((await pollDueChannels({ database, encryptionKey: key })).polled).toBe(0);
  });

  it('never polls a channel while the platform has it rate-limited, and records errors as health', async () => {
    const blocked = await channelService({ database, encryptionKey: key }).create(
      '00000000-0000-0000-0000-000000000000',
      {
        kind: 'rss',
        name: 'Blocked',
        baseUrl: sim.addFeed('/blocked.xml'),
      },
    );
    await q(`update channels set rate_limit = $2 where id = $1`, [
      blocked.id,
      { blockedUntil: new Date(Date.now() + 60_000).toISOString() },
    ]);
    const broken = await channelService({ database, encryptionKey: key }).create(
      '00000000-0000-0000-0000-000000000000',
      {
        kind: 'rss',
        name: 'Gone',
        baseUrl: `${sim.url}/missing.xml`,
      },
    );
    const r = await pollDueChannels({ database, encryptionKey: key });
    expect(r).toMatchObject({ polled: 1, errors: 1 });
    const health = await channelService({ database, encryptionKey: key }).get(broken.id);
    expect(health.health.status).toBe('error');
    expect((await channelService({ database, encryptionKey: key }).get(blocked.id)).health.status).toBe(
      'rate_limited',
    );
  });
});
