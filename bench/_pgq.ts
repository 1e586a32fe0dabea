/**
 * Ad-hoc queries on a kept bench database, timed (e.g. to compare query shapes):
 * `PGQ_DIR=/tmp/earshot-analytics-bench PGQ_DB=bench node --import tsx bench/_pgq.ts "select ..." ...`
 */
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { freePort } from '../test/global-setup.ts';

const server = await startEmbeddedPostgres({
  dataDir: process.env.PGQ_DIR ?? '/tmp/earshot-analytics-bench',
  port: await freePort(),
});
const url = new URL(server.url);
url.pathname = `/${process.env.PGQ_DB ?? 'bench'}`;
const client = new pg.Client({ connectionString: url.toString() });
await client.connect();
try {
  for (const q of process.argv.slice(2)) {
    const t = performance.now();
    const r = await client.query(q);
    console.log(`${(performance.now() - t).toFixed(1)} ms`, JSON.stringify(r.rows.slice(0, 3)).slice(0, 300));
  }
} finally {
  await client.end();
  await server.stop();
}
