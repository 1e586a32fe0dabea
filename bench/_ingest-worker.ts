/**
 * Child process for bench/ingest.ts: one pipeline worker (like `earshot worker`) against the bench
 * database. Reports every committed batch to the parent over IPC: count and arrival times.
 * argv: <databaseUrl> <concurrency> <batchSize>
 */
import { openDatabase } from '../src/db/client.ts';
import { shippedClassifier } from '../src/pipeline/classifier.ts';
import { startPipelineWorker } from '../src/pipeline/worker.ts';

const [url, concurrency = '2', batchSize = '1000'] = process.argv.slice(2);
const database = openDatabase(url!, {
  max: Number(concurrency) + 2,
  applicationName: 'earshot-bench-worker',
});
const classifier = shippedClassifier();
const worker = startPipelineWorker({
  pool: database.pool,
  db: database.db,
  classifier,
  concurrency: Number(concurrency),
  batchSize: Number(batchSize),
  log: (m) => process.send?.({ type: 'log', message: m }),
  onBatch: (r, committedAt) =>
    process.send?.({
      type: 'batch',
      committedAt,
      stored: r.stored,
      duplicates: r.duplicates,
      deadLetters: r.deadLetters,
      created: r.created.length,
      assigned: r.assigned.length,
      arrivals: r.arrivals,
    }),
});
process.send?.({ type: 'ready' });
process.on('message', async (m: { type?: string }) => {
  if (m?.type === 'stop') {
    await worker.stop();
    await database.close();
    process.exit(0);
  }
});
