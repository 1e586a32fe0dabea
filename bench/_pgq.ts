import pg from 'pg';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { freePort } from '../test/global-setup.ts';
const server = await startEmbeddedPostgres({ dataDir: '/tmp/earshot-analytics-bench', port: await freePort() });
const url = new URL(server.url); url.pathname = '/bench';
const c = new pg.Client({ connectionString: url.toString() }); await c.connect();
for (const q of process.argv.slice(2)) {
  const t = performance.now();
  const r = await c.query(q);
  console.log(`${(performance.now() - t).toFixed(1)} ms`, JSON.stringify(r.rows.slice(0, 3)).slice(0, 300));
}
await c.end(); await server.stop();
