/** Channels (connected accounts/sources): admin CRUD, and the poller's claim and state updates. */
import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { channels } from '../schema/index.ts';

export type ChannelRow = typeof channels.$inferSelect;
export type ChannelInsert = typeof channels.$inferInsert;

export function channelsRepository(db: Db) {
  return {
    async list(): Promise<ChannelRow[]> {
      return db.select().from(channels).orderBy(asc(channels.createdAt));
    },
    async get(id: string): Promise<ChannelRow | undefined> {
      const [row] = await db.select().from(channels).where(eq(channels.id, id));
      return row;
    },
    async insert(values: ChannelInsert): Promise<ChannelRow> {
      const [row] = await db.insert(channels).values(values).returning();
      return row!;
    },
    async update(id: string, values: Partial<ChannelInsert>): Promise<ChannelRow | undefined> {
      const [row] = await db.update(channels).set(values).where(eq(channels.id, id)).returning();
      return row;
    },
    /** Deletes a channel that never stored a post; false when posts or conversations refer to it. */
    async removeIfUnused(id: string): Promise<'deleted' | 'in_use' | 'missing'> {
      const used = await db.execute<{ n: number }>(
        sql`select (exists (select 1 from posts where channel_id = ${id})
                    or exists (select 1 from conversations where channel_id = ${id}))::int as n`,
      );
      if (used.rows[0]?.n) return 'in_use';
      const rows = await db.delete(channels).where(eq(channels.id, id)).returning({ id: channels.id });
      return rows.length > 0 ? 'deleted' : 'missing';
    },
    /**
     * Claims enabled channels whose poll interval has passed and that are not rate-limited, by
     * stamping last_polled_at: two workers never poll one channel at the same time.
     */
    async claimDue(kinds: readonly string[], limit = 50): Promise<ChannelRow[]> {
      if (kinds.length === 0) return [];
      const r = await db.execute<{ id: string }>(sql`
        update channels set last_polled_at = now()
         where id in (
           select id from channels
            where enabled and kind = any(${`{${kinds.join(',')}}`}::text[])
              and (last_polled_at is null or last_polled_at <= now() - make_interval(secs => poll_interval_seconds))
              and coalesce((rate_limit->>'blockedUntil')::timestamptz, '-infinity') <= now()
            order by last_polled_at nulls first
            limit ${limit}
            for update skip locked)
        returning id`);
      const ids = r.rows.map((x) => x.id);
      if (ids.length === 0) return [];
      return db
        .select()
        .from(channels)
        .where(sql`${channels.id} = any(${`{${ids.join(',')}}`}::uuid[])`);
    },
  };
}
