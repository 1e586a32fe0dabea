/**
 * `earshot classify --in posts.csv --out predictions.csv`
 * Reads a CSV with a `text` column (other columns are kept), writes it back with
 * `complaint` (complaint|not_complaint), `complaint_score`, `sentiment` and `intent` added.
 * Streams: memory stays flat whatever the file's size. The output is written next to its final name
 * and renamed when complete, so a failed run never leaves a partial predictions file.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream, renameSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'csv-parse';
import { type Stringifier, stringify } from 'csv-stringify';
import { parseFlags } from '../../pipeline/classify/cli-args.ts';
import { createClassifiers } from '../../pipeline/classify/index.ts';

const USAGE = 'usage: earshot classify --in posts.csv --out predictions.csv [--models DIR]';
const ADDED = ['complaint', 'complaint_score', 'sentiment', 'intent'];

class NoTextColumn extends Error {}

export async function run(args: string[]): Promise<number> {
  const { flags } = parseFlags(args);
  const input = flags.get('in');
  const output = flags.get('out');
  if (!input || !output) {
    console.error(USAGE);
    return 2;
  }
  const classifiers = createClassifiers(flags.has('models') ? resolve(flags.get('models')!) : undefined);
  const target = resolve(output);
  const partial = `${target}.partial`;
  let header: string[] = [];
  let textCol: string | undefined;
  const parser = parse({
    columns: (names: string[]) => {
      header = names.map((h) => h.trim());
      textCol = header.find((h) => h.toLowerCase() === 'text');
      if (!textCol) throw new NoTextColumn(`no "text" column (columns: ${header.join(', ')})`);
      return header;
    },
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    relax_quotes: true,
  });
  createReadStream(resolve(input))
    .on('error', (e) => parser.destroy(e))
    .pipe(parser);
  let out: Stringifier | undefined;
  let file: ReturnType<typeof createWriteStream> | undefined;
  const open = () => {
    file = createWriteStream(partial);
    out = stringify({ header: true, columns: [...header.filter((h) => !ADDED.includes(h)), ...ADDED] });
    out.pipe(file);
    return out;
  };
  const started = performance.now();
  let count = 0;
  try {
    for await (const row of parser as AsyncIterable<Record<string, string>>) {
      const c = classifiers.classify(row[textCol!] ?? '');
      const record = {
        ...row,
        complaint: c.complaint ? 'complaint' : 'not_complaint',
        complaint_score: c.complaintScore.toFixed(4),
        sentiment: c.sentiment,
        intent: c.intent,
      };
      const writer = out ?? open();
      if (!writer.write(record)) await once(writer, 'drain');
      count++;
    }
    const writer = out ?? open();
    writer.end();
    await once(file!, 'finish');
    renameSync(partial, target);
  } catch (e) {
    out?.destroy();
    file?.destroy();
    rmSync(partial, { force: true });
    const message = e instanceof Error ? e.message : String(e);
    console.error(`${input}: ${message}`);
    return 1;
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`classified ${count} posts in ${seconds.toFixed(2)} s → ${output}`);
  return 0;
}
