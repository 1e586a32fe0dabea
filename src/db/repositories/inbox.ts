/**
 * The inbox: one page of conversations for a view (mine, unassigned, team, breaching soon, waiting on
 * customer, resolved), filtered and sorted, plus capped counts per view.
 *
 * Every (view, sort) reads one partial index (migrations 0009_workspace_inbox, 0013_workspace_inbox_keyset)
 * whose WHERE is implied by the view's condition and whose columns are (queue | assignee | team, sort
 * key, id), in the ORDER BY's exact direction and null placement. Pages use a keyset cursor (sort key,
 * id), never OFFSET; several visible queues read one branch per queue (UNION ALL, each an index range
 * with LIMIT), merged by the outer ORDER BY. List and counts run as prepared statements (one plan per query
 * shape and connection: every value is a parameter; the partial index is chosen by the shape itself).
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { preparedRows } from '../prepared.ts';
import { type Cursor, decodeCursor, decodeError, encodeCursor } from './inbox-keyset.ts';

export { decodeCursor, encodeCursor };

export const INBOX_VIEWS = ['mine', 'unassigned', 'team', 'breaching', 'waiting', 'resolved', 'all'] as const;
export type InboxView = (typeof INBOX_VIEWS)[number];
export const INBOX_SORTS = ['sla', 'priority', 'age'] as const;
export type InboxSort = (typeof INBOX_SORTS)[number];

export interface InboxFilters {
  channel?: string;
  intent?: string;
  sentiment?: string;
  priority?: string;
  language?: string;
  tag?: string;
}

export interface InboxQuery extends InboxFilters {
  view: InboxView;
  sort: InboxSort;
  /** Queues the viewer may see (roles.visibleQueues). */
  queues: readonly string[];
  userId: string;
  team: string | null;
  limit: number;
  /** Keyset cursor from the previous page's `next` (no OFFSET: every page is an index range scan). */
  after?: string;
  /** "Breaching soon" horizon. */
  breachingWithinMinutes?: number;
  now?: Date;
}

export interface InboxRow {
  id: string;
  subject: string;
  channelKind: string;
  status: string;
  publicState: string;
  queue: string;
  intent: string;
  sentiment: string;
  priority: string;
  language: string | null;
  tags: string[];
  assigneeId: string | null;
  assigneeName: string | null;
  contactName: string | null;
  slaDueAt: string | null;
  createdAt: string;
  lastCustomerMessageAt: string | null;
  messageCount: number;
  version: number;
}

/** The SLA clock that matters now: first response until answered, then the next response. */
export const SLA_DUE_SQL = `(CASE WHEN c.first_responded_at IS NULL THEN c.first_response_due_at ELSE c.next_response_due_at END)`;
export const SLA_DUE = sql.raw(SLA_DUE_SQL);
const ACTIVE = sql.raw(`c.status IN ('new', 'open', 'waiting_on_customer')`);

function viewCondition(q: InboxQuery, view: InboxView): SQL {
  const now = q.now ?? new Date();
  switch (view) {
    case 'mine':
      return sql`${ACTIVE} AND c.assignee_id = ${q.userId}`;
    case 'unassigned':
      return sql`c.status IN ('new', 'open') AND c.assignee_id IS NULL`;
    case 'team':
      return q.team ? sql`${ACTIVE} AND c.team = ${q.team}` : sql`false`;
    case 'breaching': {
      const horizon = new Date(now.getTime() + (q.breachingWithinMinutes ?? 30) * 60_000);
      return sql`${ACTIVE} AND ${SLA_DUE} <= ${horizon.toISOString()}`;
    }
    case 'waiting':
      return sql`c.status = 'waiting_on_customer'`;
    case 'resolved':
      return sql`c.status IN ('resolved', 'closed')`;
    default:
      return ACTIVE;
  }
}

function filterConditions(f: InboxFilters): SQL[] {
  const out: SQL[] = [];
  if (f.channel) out.push(sql`c.channel_kind = ${f.channel}`);
  if (f.intent) out.push(sql`c.intent = ${f.intent}`);
  if (f.sentiment) out.push(sql`c.sentiment = ${f.sentiment}`);
  if (f.priority) out.push(sql`c.priority = ${f.priority}`);
  if (f.language) out.push(sql`(c.language = ${f.language} OR c.language LIKE ${`${f.language}-%`})`);
  // `= ANY`, not `@>`: walking the view's own index beats a bitmap of every conversation with the tag.
  if (f.tag) out.push(sql`${f.tag}::text = ANY(c.tags)`);
  return out;
}

function queueCondition(queues: readonly string[]): SQL {
  if (queues.length === 0) return sql`false`;
  if (queues.length === 1) return sql`c.queue = ${queues[0]}`;
  return sql`c.queue IN (${sql.join(
    queues.map((x) => sql`${x}`),
    sql`, `,
  )})`;
}

type Raw = Record<string, unknown>;
const iso = (v: unknown): string | null =>
  v === null || v === undefined
    ? null
    : v instanceof Date
      ? v.toISOString()
      : new Date(String(v)).toISOString();

function toRow(r: Raw): InboxRow {
  return {
    id: String(r.id),
    subject: String(r.subject ?? ''),
    channelKind: String(r.channel_kind),
    status: String(r.status),
    publicState: String(r.public_state),
    queue: String(r.queue),
    intent: String(r.intent),
    sentiment: String(r.sentiment),
    priority: String(r.priority),
    language: (r.language as string | null) ?? null,
    tags: (r.tags as string[] | null) ?? [],
    assigneeId: (r.assignee_id as string | null) ?? null,
    assigneeName: (r.assignee_name as string | null) ?? null,
    contactName: (r.contact_name as string | null) ?? null,
    slaDueAt: iso(r.sla_due_at),
    createdAt: iso(r.created_at) ?? '',
    lastCustomerMessageAt: iso(r.last_customer_message_at),
    messageCount: Number(r.message_count ?? 0),
    version: Number(r.version ?? 1),
  };
}

/** Counts stop at this number: the badge reads "1000+" (an exact count over a million rows is not worth it). */
export const COUNT_CAP = 1000;
/** Index entries a filtered count looks at, at most. */
export const FILTER_SCAN_BUDGET = 2000;

/**
 * LIMITs are part of the statement's text, not parameters: with the row count known, the plan PostgreSQL
 * caches for a prepared statement (its generic plan) costs the same as a freshly planned one, so it is
 * reused instead of planning every execution anew (≈ 1 ms per list with this table's indexes).
 */
function limit(n: number): SQL {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`bad LIMIT ${n}`);
  return sql.raw(String(n));
}

/** The order counts walk a view's index in: a plain column where the view allows it (index-only scans). */
const countSort = (view: InboxView): InboxSort =>
  view === 'unassigned' || view === 'mine' || view === 'team' ? 'age' : 'sla';

/** How a (view, sort) is read: the sort key as indexed, its direction and null placement. */
interface SortPlan {
  key: SQL;
  desc: boolean;
  nullable: boolean;
  cast: 'timestamptz' | 'real';
  /** The index leads with queue: one branch per visible queue (else queue is a filter). */
  byQueue: boolean;
}

function sortPlan(q: InboxQuery): SortPlan {
  const byQueue = q.view !== 'mine' && q.view !== 'team';
  if (q.view === 'resolved')
    return { key: sql`c.resolved_at`, desc: true, nullable: true, cast: 'timestamptz', byQueue };
  if (q.sort === 'priority')
    return { key: sql`c.priority_score`, desc: true, nullable: false, cast: 'real', byQueue };
  if (q.sort === 'age')
    return { key: sql`c.created_at`, desc: false, nullable: false, cast: 'timestamptz', byQueue };
  if (q.view === 'waiting')
    return { key: sql`c.last_agent_message_at`, desc: false, nullable: true, cast: 'timestamptz', byQueue };
  return { key: SLA_DUE, desc: false, nullable: true, cast: 'timestamptz', byQueue };
}

/** ORDER BY for a branch or the merge; `DESC NULLS LAST` only where the index says so (resolved_at). */
function order(p: SortPlan, key: SQL): SQL {
  if (!p.desc) return sql`${key}, c.id`;
  return p.nullable ? sql`${key} DESC NULLS LAST, c.id` : sql`${key} DESC, c.id`;
}

/** Index-range segments after the cursor: one for non-null keys past it, one for the nulls (last). */
const REAL = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i;
const TIMESTAMP = /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d(:?\d\d)?|Z)?$/;

function segments(p: SortPlan, after: Cursor | null): SQL[] {
  if (!after) return [sql`true`];
  if (after.v === null) return [sql`${p.key} IS NULL AND c.id > ${after.id}::uuid`];
  // A cursor from another sort (or forged) must not reach the cast as garbage.
  if (!(p.cast === 'real' ? REAL : TIMESTAMP).test(after.v)) throw decodeError();
  const v = sql`${after.v}::${sql.raw(p.cast)}`;
  const past = p.desc
    ? sql`${p.key} <= ${v} AND (${p.key} < ${v} OR c.id > ${after.id}::uuid)`
    : sql`(${p.key}, c.id) > (${v}, ${after.id}::uuid)`;
  return p.nullable ? [past, sql`${p.key} IS NULL`] : [past];
}

const LIST_COLUMNS = sql.raw(`c.id, c.subject, c.channel_kind, c.status, c.public_state, c.queue, c.intent,
  c.sentiment, c.priority, c.language, c.tags, c.assignee_id, c.contact_id, c.created_at,
  c.last_customer_message_at, c.message_count, c.version`);

export interface InboxPageRows {
  items: InboxRow[];
  /** Cursor for the next page, or null on the last one. */
  next: string | null;
}

export function inboxRepository(db: Db) {
  return {
    async list(q: InboxQuery): Promise<InboxPageRows> {
      const p = sortPlan(q);
      const after = q.after ? decodeCursor(q.after) : null;
      const take = q.limit + 1;
      const queueSets = p.byQueue && q.queues.length > 1 ? q.queues.map((x) => [x]) : [q.queues];
      const branches = queueSets.flatMap((queues) =>
        segments(p, after).map(
          (segment) => sql`(SELECT ${LIST_COLUMNS}, ${SLA_DUE} AS sla_due_at, ${p.key} AS sort_key,
              (${p.key})::text AS sort_cursor
            FROM conversations c
            WHERE ${sql.join([queueCondition(queues), viewCondition(q, q.view), ...filterConditions(q), segment], sql` AND `)}
            ORDER BY ${order(p, p.key)} LIMIT ${limit(take)})`,
        ),
      );
      const merged = order(p, sql`c.sort_key`);
      const rows = await preparedRows<Raw>(
        db,
        sql`
        SELECT c.*, u.display_name AS assignee_name, ct.display_name AS contact_name
        FROM (SELECT * FROM (${sql.join(branches, sql` UNION ALL `)}) c ORDER BY ${merged} LIMIT ${limit(take)}) c
        LEFT JOIN users u ON u.id = c.assignee_id
        LEFT JOIN contacts ct ON ct.id = c.contact_id
        ORDER BY ${merged}`,
        'inbox',
      );
      const last = rows.length > q.limit ? rows[q.limit - 1] : undefined;
      return {
        items: rows.slice(0, q.limit).map(toRow),
        next: last
          ? encodeCursor({ v: (last.sort_cursor as string | null) ?? null, id: String(last.id) })
          : null,
      };
    },

    /**
     * Capped count per view (the nav badges), without the filters: each reads at most COUNT_CAP
     * entries of the view's own index in its order (index-only where the index holds every column).
     */
    async counts(q: InboxQuery, views: readonly InboxView[]): Promise<Record<string, number>> {
      const parts = views.map((view) => {
        const v: InboxQuery = {
          view,
          sort: countSort(view),
          queues: q.queues,
          userId: q.userId,
          team: q.team,
          limit: COUNT_CAP,
        };
        const p = sortPlan(v);
        const queueSets = p.byQueue && v.queues.length > 1 ? v.queues.map((x) => [x]) : [v.queues];
        const branches = queueSets.map(
          (
            queues,
          ) => sql`(SELECT 1 FROM conversations c WHERE ${queueCondition(queues)} AND ${viewCondition(v, view)}
            ORDER BY ${order(p, p.key)} LIMIT ${limit(COUNT_CAP)})`,
        );
        return sql`(SELECT count(*) FROM (SELECT 1 FROM (${sql.join(branches, sql` UNION ALL `)}) b LIMIT ${limit(COUNT_CAP)}) x) AS ${sql.identifier(view)}`;
      });
      const [row = {}] = await preparedRows<Raw>(db, sql`SELECT ${sql.join(parts, sql`, `)}`, 'inbox');
      return Object.fromEntries(views.map((v) => [v, Number(row[v] ?? 0)]));
    },

    /**
     * With filters: how many of the current view match, looking at no more than FILTER_SCAN_BUDGET
     * entries of the view's index (a rare filter must not walk a million rows for a badge).
     * `atLeast` when the budget ran out first: the count is a lower bound.
     */
    async filteredCount(q: InboxQuery): Promise<{ count: number; atLeast: boolean } | null> {
      const filters = filterConditions(q);
      if (filters.length === 0) return null;
      // The view's own order, whatever the list's sort or page: the figure is the same for all of them.
      const p = sortPlan({ ...q, sort: countSort(q.view) });
      const queueSets = p.byQueue && q.queues.length > 1 ? q.queues.map((x) => [x]) : [q.queues];
      const branches = queueSets.map(
        (queues) => sql`(SELECT ${sql.join(filters, sql` AND `)} AS hit FROM conversations c
          WHERE ${queueCondition(queues)} AND ${viewCondition(q, q.view)}
          ORDER BY ${order(p, p.key)} LIMIT ${limit(FILTER_SCAN_BUDGET)})`,
      );
      const [row = {}] = await preparedRows<Raw>(
        db,
        sql`
        SELECT count(*) FILTER (WHERE hit) AS n, count(*) AS scanned
        FROM (SELECT hit FROM (${sql.join(branches, sql` UNION ALL `)}) b LIMIT ${limit(FILTER_SCAN_BUDGET)}) x`,
        'inbox',
      );
      const count = Math.min(COUNT_CAP, Number(row.n ?? 0));
      return { count, atLeast: count >= COUNT_CAP || Number(row.scanned ?? 0) >= FILTER_SCAN_BUDGET };
    },

    /** Ids among `ids` the viewer may act on (bulk actions re-check visibility). */
    async visibleIds(ids: readonly string[], queues: readonly string[]): Promise<string[]> {
      if (ids.length === 0) return [];
      const res = await db.execute(sql`
        SELECT c.id FROM conversations c
        WHERE c.id IN (${sql.join(
          ids.map((i) => sql`${i}::uuid`),
          sql`, `,
        )}) AND ${queueCondition(queues)}`);
      return (res.rows as Raw[]).map((r) => String(r.id));
    },
  };
}

export type InboxRepository = ReturnType<typeof inboxRepository>;
