/** Logs every query the inbox list, counts and conversation open issue, then EXPLAIN (ANALYZE, BUFFERS)s each. */
import { openDatabase } from '../src/db/client.ts';
import { type InboxQuery, inboxRepository } from '../src/db/repositories/inbox.ts';
import { visibleQueues } from '../src/domain/roles.ts';
import { conversationDetail } from '../src/http/conversations/detail.ts';

const url = process.argv[2]!;
const only = process.argv[3];
const database = openDatabase(url, { max: 2 });
const pool = database.pool;
const log: { text: string; values: unknown[] }[] = [];
const orig = pool.query.bind(pool) as (...a: unknown[]) => Promise<unknown>;
(pool as unknown as { query: unknown }).query = (a: unknown, b?: unknown) => {
  if (typeof a === 'string') log.push({ text: a, values: (b as unknown[]) ?? [] });
  else {
    const c = a as { text: string; values?: unknown[] };
    log.push({ text: c.text, values: c.values ?? (b as unknown[]) ?? [] });
  }
  return orig(a, b);
};
const agent = (await orig(`SELECT id, team FROM users WHERE role = 'agent' ORDER BY email LIMIT 1`)) as {
  rows: { id: string; team: string }[];
};
const me = agent.rows[0]!;
const sup = visibleQueues('supervisor');
const repo = inboxRepository(database.db);
const base = (over: Partial<InboxQuery>): InboxQuery => ({
  view: 'unassigned',
  sort: 'sla',
  queues: ['support'],
  userId: me.id,
  team: me.team,
  limit: 50,
  ...over,
});
const cases: [string, () => Promise<unknown>][] = [];
for (const view of ['unassigned', 'mine', 'team', 'breaching', 'waiting', 'resolved', 'all'] as const)
  for (const sort of ['sla', 'priority', 'age'] as const) {
    cases.push([`list ${view} ${sort}`, () => repo.list(base({ view, sort }))]);
  }
cases.push(['list unassigned sla supervisor (3 queues)', () => repo.list(base({ queues: sup }))]);
cases.push(['list resolved supervisor (3 queues)', () => repo.list(base({ view: 'resolved', queues: sup }))]);
cases.push([
  'list all priority tag=vip',
  () => repo.list(base({ view: 'all', sort: 'priority', tag: 'vip' })),
]);
cases.push(['list unassigned sla language=de', () => repo.list(base({ language: 'de' }))]);
cases.push(['list all sla channel=x', () => repo.list(base({ view: 'all', channel: 'x' }))]);
cases.push([
  'page 2 unassigned sla',
  async () => {
    const p1 = await repo.list(base({}));
    return repo.list(base({ after: p1.next! }));
  },
]);
cases.push([
  'page 2 resolved supervisor',
  async () => {
    const p1 = await repo.list(base({ view: 'resolved', queues: sup }));
    return repo.list(base({ view: 'resolved', queues: sup, after: p1.next! }));
  },
]);
cases.push([
  'page 2 all priority',
  async () => {
    const p1 = await repo.list(base({ view: 'all', sort: 'priority' }));
    return repo.list(base({ view: 'all', sort: 'priority', after: p1.next! }));
  },
]);
cases.push([
  'counts',
  () => repo.counts(base({}), ['mine', 'unassigned', 'team', 'breaching', 'waiting', 'resolved']),
]);
cases.push(['filtered count tag=vip', () => repo.filteredCount(base({ view: 'all', tag: 'vip' }))]);
cases.push(['filtered count language=de', () => repo.filteredCount(base({ language: 'de' }))]);
cases.push([
  'open',
  async () => {
    const c = (await orig(
      `SELECT id FROM conversations WHERE queue = 'support' AND status = 'new' OFFSET 1000 LIMIT 1`,
    )) as { rows: { id: string }[] };
    return conversationDetail(database.db, c.rows[0]!.id, { id: me.id, role: 'agent' }, ['support']);
  },
]);
for (const [name, run] of cases) {
  if (only && !name.includes(only)) continue;
  log.length = 0;
  await run();
  const queries = [...log];
  for (const q of queries) {
    if (q.text.startsWith('SELECT id FROM conversations WHERE queue')) continue;
    const r = (await orig(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${q.text}`, q.values)) as {
      rows: Record<string, string>[];
    };
    const plan = r.rows.map((x) => x['QUERY PLAN'] ?? '');
    const time = plan.find((l) => l.startsWith('Execution Time')) ?? '';
    console.log(`\n=== ${name} — ${time}\n${q.text.replace(/\s+/g, ' ').slice(0, 220)}`);
    console.log(plan.filter((l) => !/^(Planning|Execution)/.test(l)).join('\n'));
  }
}
await database.close();
