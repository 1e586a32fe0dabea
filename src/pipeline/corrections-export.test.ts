import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers/db.ts';
import { loadExtraLabels } from './classify/data.ts';
import { exportCorrectionsCsv } from './corrections-export.ts';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

describe('corrections export', () => {
  it('writes text,task,label that model training reads, the latest correction winning', async () => {
    await database.pool.query(
      `insert into label_corrections (task, previous, label, text, created_at) values
        ('sentiment', 'neutral', 'negative', 'Waited "two hours", again', now()),
        ('complaint', 'not_complaint', 'complaint', 'Waited "two hours", again', now())`,
    );
    const file = join(tmpdir(), `corrections-${process.pid}.csv`);
    expect(await exportCorrectionsCsv(database.db, file)).toBe(2);
    expect(readFileSync(file, 'utf8').split('\n')[0]).toBe('text,task,label');
    expect(loadExtraLabels(file, 'sentiment')).toEqual([
      { text: 'Waited "two hours", again', label: 'negative', source: 'extra-labels' },
    ]);
    expect(loadExtraLabels(file, 'complaint')).toHaveLength(1);
  });
});
