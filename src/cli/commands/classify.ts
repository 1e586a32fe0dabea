/**
 * `earshot classify --in posts.csv --out predictions.csv`
 * Reads a CSV with a `text` column (other columns are kept), writes it back with
 * `complaint` (complaint|not_complaint), `complaint_score`, `sentiment` and `intent` added.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { parseFlags } from '../../pipeline/classify/cli-args.ts';
import { createClassifiers } from '../../pipeline/classify/index.ts';

const USAGE = 'usage: earshot classify --in posts.csv --out predictions.csv [--models DIR]';
const ADDED = ['complaint', 'complaint_score', 'sentiment', 'intent'];

export async function run(args: string[]): Promise<number> {
  const { flags } = parseFlags(args);
  const input = flags.get('in');
  const output = flags.get('out');
  if (!input || !output) {
    console.error(USAGE);
    return 2;
  }
  const rows = parse(readFileSync(resolve(input)), {
    columns: (header: string[]) => header.map((h) => h.trim()),
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
  }) as Record<string, string>[];
  const header = rows[0] ? Object.keys(rows[0]) : [];
  const textCol = header.find((h) => h.toLowerCase() === 'text');
  if (rows.length > 0 && !textCol) {
    console.error(`${input}: no "text" column (columns: ${header.join(', ')})`);
    return 1;
  }
  const classifiers = createClassifiers(flags.has('models') ? resolve(flags.get('models')!) : undefined);
  const started = performance.now();
  const out = rows.map((row) => {
    const c = classifiers.classify(row[textCol!] ?? '');
    return {
      ...row,
      complaint: c.complaint ? 'complaint' : 'not_complaint',
      complaint_score: c.complaintScore.toFixed(4),
      sentiment: c.sentiment,
      intent: c.intent,
    };
  });
  const ms = performance.now() - started;
  const columns = [...header.filter((h) => !ADDED.includes(h)), ...ADDED];
  writeFileSync(resolve(output), stringify(out, { header: true, columns }));
  console.log(`classified ${rows.length} posts in ${(ms / 1000).toFixed(2)} s → ${output}`);
  return 0;
}
