/**
 * Sequential requests against a kept inbox bench database (`npm run bench -- inbox N --keep DIR` first):
 * `node --import tsx bench/_inbox-profile.ts DIR [requests]` prints per-request server time and the DB
 * time inside it, to tell query cost from per-request overhead.
 */
import { loadConfig } from '../src/config/index.ts';
import { openDatabase } from '../src/db/client.ts';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { buildApp } from '../src/http/app.ts';
import { buildContext } from '../src/http/context.ts';
import { openEventBus } from '../src/lib/event-bus.ts';
import { freePort } from '../test/global-setup.ts';

const dir = process.argv[2] ?? '/tmp/earshot-inbox-bench';
const count = Number(process.argv[3] ?? 50);
const server = await startEmbeddedPostgres({ dataDir: dir, port: await freePort() });
const url = new URL(server.url);
url.pathname = '/earshot_bench';
const database = openDatabase(url.toString(), { max: 12 });
let dbMs = 0;
let queries = 0;
const orig = database.pool.query.bind(database.pool) as (...a: unknown[]) => Promise<unknown>;
(database.pool as unknown as { query: unknown }).query = async (...a: unknown[]) => {
  const t0 = performance.now();
  try {
    return await orig(...a);
  } finally {
    dbMs += performance.now() - t0;
    queries++;
  }
};
const bus = await openEventBus(url.toString(), database.pool);
const config = loadConfig({
  EARSHOT_SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-01',
  EARSHOT_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  EARSHOT_DATA_DIR: dir,
  LOG_LEVEL: 'silent',
});
const ctx = buildContext(config, database, bus);
const s = await ctx.accounts.login('agent0@bench.test', 'bench-password-123', '10.0.0.1');
const app = await buildApp(ctx, { logger: false });
await app.ready();
const headers = { cookie: `es_session=${s.token}`, accept: 'application/json' };
for (const path of [
  '/api/inbox?view=unassigned',
  '/api/inbox?view=all&sort=priority',
  '/api/conversations/00000000-0000-4000-8000-0000000003e8',
]) {
  const total: number[] = [];
  const db: number[] = [];
  let q = 0;
  for (let i = 0; i < count; i++) {
    dbMs = 0;
    queries = 0;
    const t0 = performance.now();
    const res = await app.inject({ url: path, headers });
    total.push(performance.now() - t0);
    db.push(dbMs);
    q = queries;
    if (res.statusCode !== 200) console.log(res.statusCode, res.body.slice(0, 200));
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!.toFixed(2);
  console.log(
    `${path}: inject median ${med(total)} ms, of which awaiting the DB ${med(db)} ms (${q} queries)`,
  );
}
await app.close();
await bus.close();
await database.close();
await server.stop();
