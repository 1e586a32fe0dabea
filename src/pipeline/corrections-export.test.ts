import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, databaseUrl } from '../../test/helpers/db.ts';
import { loadExtraLabels, REPO_ROOT } from './classify/data.ts';
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

  it('`earshot model retrain` trains on the database’s corrections, intent corrections included', () => {
    const out = mkdtempSync(join(tmpdir(), 'earshot-retrain-'));
    const stdout = execFileSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'model', 'retrain', '--task', 'complaint', '--out', out],
      {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        env: {
          ...process.env,
          DATABASE_URL: databaseUrl(database.name),
          BASE_URL: 'http://localhost:3000',
        },
      },
    );
    expect(stdout).toMatch(/2 corrections from the database/);
    // The complaint correction, plus nothing from intent (none stored): 1 extra row.
    expect(stdout).toMatch(/complaint: trained on \d+ rows \(.*extra-labels 1\)/);
    expect(JSON.parse(readFileSync(join(out, 'complaint.json'), 'utf8')).trainedOn).toContainEqual({
      source: 'extra-labels',
      rows: 1,
    });
  }, 180_000);
});
