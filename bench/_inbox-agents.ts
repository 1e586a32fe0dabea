/**
 * The inbox bench's 10 agents, in their own process (as browsers are): each lists a view (rotating views,
 * sorts and filters), every fourth list also reads the next page, then opens one conversation of the
 * page. `node --import tsx bench/_inbox-agents.ts BASE SECONDS THINK_MS` with the agents' cookies as a
 * JSON array in INBOX_AGENTS; prints one JSON line with client latencies. THINK_MS 0: back to back (a
 * stress test: 10 connections, not 10 people); otherwise each agent pauses a random (exponential) think
 * time of that mean between actions, as people reading a list or a conversation do.
 */
const [base, secondsArg, thinkArg] = process.argv.slice(2);
const thinkMs = Number(thinkArg ?? 0);
const think = () =>
  thinkMs > 0 ? new Promise((r) => setTimeout(r, -Math.log(1 - Math.random()) * thinkMs)) : Promise.resolve();
const cookies = JSON.parse(process.env.INBOX_AGENTS ?? '[]') as string[];
const seconds = Number(secondsArg ?? 20);

const views = ['unassigned', 'mine', 'team', 'breaching', 'waiting', 'resolved', 'all'];
const sorts = ['sla', 'priority', 'age'];
const filters = [
  '',
  '&channel=x',
  '&intent=complaint',
  '&sentiment=negative',
  '&priority=urgent',
  '&language=de',
  '&tag=vip',
];
const client: Record<'inbox' | 'open', number[]> = { inbox: [], open: [] };
const failures: string[] = [];

async function timed<T>(key: 'inbox' | 'open', f: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const out = await f();
  client[key].push(performance.now() - t0);
  return out;
}

const until = Date.now() + seconds * 1000;
let i = 0;
await Promise.all(
  cookies.map(async (cookie) => {
    // People do not all click at the same millisecond: with think time, each agent starts at a random
    // moment within one think time (no synchronised first burst).
    if (thinkMs > 0) await new Promise((r) => setTimeout(r, Math.random() * thinkMs));
    const headers = { cookie, accept: 'application/json', 'x-bench-agent': '1' };
    while (Date.now() < until) {
      i++;
      const q = `view=${views[i % views.length]}&sort=${sorts[i % 3]}${filters[Math.floor(i / 7) % filters.length]}`;
      const list = await timed('inbox', async () => {
        const r = await fetch(`${base}/api/inbox?${q}`, { headers });
        const body = (await r.json()) as { items?: { id: string }[]; next?: string | null };
        if (!r.ok) failures.push(`${r.status} /api/inbox?${q}: ${JSON.stringify(body).slice(0, 200)}`);
        return { items: body.items ?? [], next: body.next ?? null };
      });
      if (i % 4 === 0 && list.next) {
        await timed('inbox', async () =>
          (
            await fetch(`${base}/api/inbox?${q}&after=${encodeURIComponent(list.next!)}`, { headers })
          ).arrayBuffer(),
        );
      }
      await think();
      const pick = list.items[i % Math.max(1, list.items.length)];
      if (pick) {
        await timed('open', async () => {
          const r = await fetch(`${base}/api/conversations/${pick.id}`, { headers });
          await r.arrayBuffer();
          if (!r.ok) failures.push(`${r.status} /api/conversations/${pick.id}`);
        });
        await think();
      }
    }
  }),
);
console.log(JSON.stringify({ ...client, failures }));
