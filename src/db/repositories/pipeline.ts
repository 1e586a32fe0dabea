/**
 * What an operator sees of the triage pipeline (docs/PIPELINE.md, "Watching the pipeline"): how much
 * is queued and how long the next post has waited, what was stored lately, and the dead letters, which
 * can be queued again (retry) or deleted (discard).
 *
 * Every query is bounded: queue and dead-letter counts stop at a cap, the lag reads one index entry per
 * lane, and "stored lately" is a range scan over the BRIN index on posts.received_at (never a count of
 * the whole posts table).
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { INBOUND_LANES } from '../schema/pipeline.ts';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Counted per lane up to this many posts; beyond it the figure is a lower bound (the lag says more). */
export const LANE_COUNT_CAP = 10_000;
/** Dead letters counted up to this many. */
export const DEAD_LETTER_COUNT_CAP = 100_000;
/** Posts stored lately counted up to this many (a firehose stores millions an hour). */
export const STORED_COUNT_CAP = 100_000;

export interface LaneStatus {
  lane: number;
  queued: number;
  /** Arrival of the post at the head of the lane (the next one a drain takes); null when empty. */
  oldestReceivedAt: string | null;
}

export interface PipelineStatus {
  /** The database's clock when measured. */
  at: string;
  queued: number;
  /** True when a lane holds more than LANE_COUNT_CAP posts: `queued` is then a lower bound. */
  queuedCapped: boolean;
  /** Arrival of the oldest post at the head of a lane; null when nothing is queued. */
  oldestQueuedAt: string | null;
  /** How long that post has waited, in seconds (0 when nothing is queued). */
  lagSeconds: number;
  lanes: LaneStatus[];
  deadLetters: number;
  deadLettersCapped: boolean;
  /** Inbound posts stored that arrived in the last 5 minutes / hour (posts.received_at). */
  storedLast5Minutes: number;
  storedLastHour: number;
  /** True when more than STORED_COUNT_CAP posts arrived in the last hour: the figures are lower bounds. */
  storedCapped: boolean;
}

/** A short, safe view of a dead letter's post: whatever it holds, even when it is not an object. */
export interface PostSummary {
  /** JSON type of the stored post: 'object' for anything that looks like a post. */
  type: string;
  channelKind: string | null;
  channelId: string | null;
  authorHandle: string | null;
  externalId: string | null;
  /** The first 200 characters of its text. */
  text: string | null;
}

export interface DeadLetter {
  id: number;
  receivedAt: string;
  failedAt: string;
  error: string;
  post: PostSummary;
}

/** A dead letter as stored: the summary, and the stored post itself (any JSON, exactly as kept). */
export interface DeadLetterRecord extends DeadLetter {
  payload: unknown;
}

export interface ErrorCount {
  error: string;
  count: number;
}

/** The summary columns of a `post` jsonb column (`->` on a non-object is null, never an error). */
const SUMMARY = sql.raw(`jsonb_typeof(post) as post_type, post->>'channelKind' as channel_kind,
  post->>'channelId' as channel_id, post->'author'->>'handle' as author_handle,
  post->>'externalId' as external_id, left(post->>'text', 200) as text`);

type Row = Record<string, unknown>;
const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());
const textOrNull = (v: unknown) => (v === null || v === undefined ? null : String(v));

function toDeadLetter(r: Row): DeadLetter {
  return {
    id: Number(r.id),
    receivedAt: iso(r.received_at),
    failedAt: iso(r.failed_at),
    error: String(r.error),
    post: {
      type: String(r.post_type),
      channelKind: textOrNull(r.channel_kind),
      channelId: textOrNull(r.channel_id),
      authorHandle: textOrNull(r.author_handle),
      externalId: textOrNull(r.external_id),
      text: textOrNull(r.text),
    },
  };
}

export function pipelineRepository(db: Db | Tx) {
  return {
    async status(): Promise<PipelineStatus> {
      const lanes = await db.execute(sql`
        select l as lane,
               (select count(*) from (select 1 from inbound_queue q where q.lane = l limit ${LANE_COUNT_CAP + 1}) x)::int as queued,
               (select received_at from inbound_queue q where q.lane = l order by id limit 1) as oldest
          from generate_series(0, ${INBOUND_LANES - 1}::int) l order by l`);
      const [totals] = (
        await db.execute(sql`
        select now() as at,
               (select count(*) from (select 1 from inbound_dead_letters limit ${DEAD_LETTER_COUNT_CAP + 1}) d)::int as dead,
               (select count(*) from (select 1 from posts where received_at >= now() - interval '5 minutes'
                                        and direction = 'inbound' limit ${STORED_COUNT_CAP + 1}) p)::int as last5,
               (select count(*) from (select 1 from posts where received_at >= now() - interval '1 hour'
                                        and direction = 'inbound' limit ${STORED_COUNT_CAP + 1}) p)::int as last_hour`)
      ).rows as Row[];
      const t = totals!;
      const at = iso(t.at);
      const laneRows = (lanes.rows as Row[]).map((r) => ({
        lane: Number(r.lane),
        queued: Math.min(Number(r.queued), LANE_COUNT_CAP),
        capped: Number(r.queued) > LANE_COUNT_CAP,
        oldestReceivedAt: r.oldest ? iso(r.oldest) : null,
      }));
      const heads = laneRows.flatMap((l) => (l.oldestReceivedAt ? [l.oldestReceivedAt] : [])).sort();
      const oldest = heads[0] ?? null;
      const dead = Number(t.dead);
      return {
        at,
        queued: laneRows.reduce((n, l) => n + l.queued, 0),
        queuedCapped: laneRows.some((l) => l.capped),
        oldestQueuedAt: oldest,
        lagSeconds: oldest ? Math.max(0, Math.round((Date.parse(at) - Date.parse(oldest)) / 1000)) : 0,
        lanes: laneRows.map(({ capped: _c, ...l }) => l),
        deadLetters: Math.min(dead, DEAD_LETTER_COUNT_CAP),
        deadLettersCapped: dead > DEAD_LETTER_COUNT_CAP,
        storedLast5Minutes: Math.min(Number(t.last5), STORED_COUNT_CAP),
        storedLastHour: Math.min(Number(t.last_hour), STORED_COUNT_CAP),
        storedCapped: Number(t.last_hour) > STORED_COUNT_CAP,
      };
    },

    /** Newest first; `before` is the id of the last dead letter of the previous page. */
    async deadLetters(page: { before?: number; limit: number }): Promise<DeadLetter[]> {
      const res = await db.execute(sql`
        select id, received_at, failed_at, error, ${SUMMARY}
          from inbound_dead_letters
         where ${page.before === undefined ? sql`true` : sql`id < ${page.before}`}
         order by id desc limit ${page.limit}`);
      return (res.rows as Row[]).map(toDeadLetter);
    },

    /** One dead letter with its stored post; undefined when no such id. */
    async deadLetter(id: number): Promise<DeadLetterRecord | undefined> {
      const res = await db.execute(sql`
        select id, received_at, failed_at, error, post, ${SUMMARY} from inbound_dead_letters where id = ${id}`);
      const [row] = res.rows as Row[];
      return row ? { ...toDeadLetter(row), payload: row.post } : undefined;
    },

    /** The most frequent errors among the newest 10,000 dead letters. */
    async frequentErrors(limit: number): Promise<ErrorCount[]> {
      const res = await db.execute(sql`
        select error, count(*)::int as n
          from (select error from inbound_dead_letters order by id desc limit 10000) d
         group by error order by n desc, error limit ${limit}`);
      return (res.rows as Row[]).map((r) => ({ error: String(r.error), count: Number(r.n) }));
    },

    /**
     * Moves one dead letter back to the queue with its original arrival time (one statement: both or
     * neither). The post is validated again when drained. Undefined when no such id.
     */
    async retry(id: number): Promise<DeadLetter | undefined> {
      const res = await db.execute(sql`
        with d as (delete from inbound_dead_letters where id = ${id} returning *),
             q as (insert into inbound_queue (received_at, post) select received_at, post from d returning id)
        select d.id, d.received_at, d.failed_at, d.error, ${SUMMARY} from d`);
      const [row] = res.rows as Row[];
      return row ? toDeadLetter(row) : undefined;
    },

    /**
     * Moves up to `limit` dead letters with ids in (`afterId`, `maxId`] (and the error, when given) back to
     * the queue, oldest first; returns how many and the last id moved, where the next call goes on (so a
     * long retry never reads its own deleted rows again). Rows another transaction holds are skipped.
     */
    async retryMany(filter: {
      error?: string;
      afterId: number;
      maxId: number;
      limit: number;
    }): Promise<{ moved: number; lastId: number }> {
      const res = await db.execute(sql`
        with d as (
          delete from inbound_dead_letters where id in (
            select id from inbound_dead_letters
             where id > ${filter.afterId} and id <= ${filter.maxId}
               and ${filter.error === undefined ? sql`true` : sql`error = ${filter.error}`}
             order by id limit ${filter.limit} for update skip locked)
          returning id, received_at, post),
        q as (insert into inbound_queue (received_at, post) select received_at, post from d order by id)
        select count(*)::int as moved, coalesce(max(id), 0) as last_id from d`);
      const row = (res.rows as Row[])[0]!;
      return { moved: Number(row.moved), lastId: Number(row.last_id) };
    },

    /** The newest dead letter's id (0 when there is none). */
    async maxDeadLetterId(): Promise<number> {
      const res = await db.execute(sql`select coalesce(max(id), 0) as id from inbound_dead_letters`);
      return Number((res.rows as Row[])[0]?.id ?? 0);
    },

    /** Deletes one dead letter; what it was, or undefined when no such id. */
    async discard(id: number): Promise<DeadLetter | undefined> {
      const res = await db.execute(sql`
        delete from inbound_dead_letters where id = ${id}
        returning id, received_at, failed_at, error, ${SUMMARY}`);
      const [row] = res.rows as Row[];
      return row ? toDeadLetter(row) : undefined;
    },
  };
}

export type PipelineRepository = ReturnType<typeof pipelineRepository>;
