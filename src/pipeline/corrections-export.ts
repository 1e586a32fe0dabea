/**
 * Agents' corrections of intent / sentiment / complaint (label_corrections) as training data:
 * CSV with columns text, task, label — the format `earshot model train --extra-labels FILE` reads
 * (src/pipeline/classify/data.ts loadExtraLabels). The latest correction per post and task wins.
 */

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { stringify } from 'csv-stringify';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';

export type CorrectionRow = { text: string; task: string; label: string };

export async function loadCorrections(db: Db, since?: Date): Promise<CorrectionRow[]> {
  const r = await db.execute<CorrectionRow>(sql`
    select distinct on (coalesce(post_id::text, id::text), task) text, task, label
      from label_corrections
     where text <> '' ${since ? sql`and created_at >= ${since.toISOString()}` : sql``}
     order by coalesce(post_id::text, id::text), task, created_at desc`);
  return r.rows;
}

/** Writes the CSV to `file`; returns the number of rows. */
export async function exportCorrectionsCsv(db: Db, file: string, since?: Date): Promise<number> {
  const rows = await loadCorrections(db, since);
  const out = createWriteStream(file);
  const csv = stringify({ header: true, columns: ['text', 'task', 'label'] });
  csv.pipe(out);
  for (const row of rows) csv.write([row.text, row.task, row.label]);
  csv.end();
  await once(out, 'finish');
  return rows.length;
}
