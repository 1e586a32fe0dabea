import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { run } from './classify.ts';

describe('earshot classify', () => {
  it('round-trips a CSV with a BOM and quoted newlines, keeping other columns', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-classify-'));
    const input = join(dir, 'posts.csv');
    const output = join(dir, 'predictions.csv');
    writeFileSync(
      input,
      '\uFEFFid,text,channel\n' +
        '1,"@comcast internet down AGAIN,\nthird day in a row. fix it!",x\n' +
        '2,"Thank you @Delta, the crew was lovely ""as always""",x\n' +
        '3,,forum\n',
    );
    expect(await run(['--in', input, '--out', output])).toBe(0);
    const rows = parse(readFileSync(output), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.id)).toEqual(['1', '2', '3']);
    expect(Object.keys(rows[0]!)).toEqual([
      'id',
      'text',
      'channel',
      'complaint',
      'complaint_score',
      'sentiment',
      'intent',
    ]);
    expect(rows[0]!.text).toContain('\nthird day');
    expect(rows[0]!.complaint).toBe('complaint');
    expect(rows[1]!.complaint).toBe('not_complaint');
    expect(rows[1]!.sentiment).toBe('positive');
    expect(Number(rows[0]!.complaint_score)).toBeGreaterThan(0.5);
    for (const r of rows) expect(['negative', 'neutral', 'positive']).toContain(r.sentiment);
  });

  it('reads a stray quote inside an unquoted field, and streams a large file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-classify-'));
    const input = join(dir, 'posts.csv');
    const output = join(dir, 'predictions.csv');
    const lines = ['text'];
    lines.push('my 27" monitor arrived broken');
    for (let i = 0; i < 20_000; i++) lines.push(`"post ${i}, where is my order?"`);
    writeFileSync(input, `${lines.join('\n')}\n`);
    expect(await run(['--in', input, '--out', output])).toBe(0);
    const rows = parse(readFileSync(output), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(20_001);
    expect(rows[0]!.text).toBe('my 27" monitor arrived broken');
    expect(rows[20_000]!.text).toBe('post 19999, where is my order?');
  });

  it('says what is wrong, without a stack trace or a partial output file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-classify-'));
    const output = join(dir, 'predictions.csv');
    const noText = join(dir, 'no-text.csv');
    writeFileSync(noText, 'id,body\n');
    expect(await run(['--in', noText, '--out', output])).toBe(1);
    expect(await run(['--in', join(dir, 'missing.csv'), '--out', output])).toBe(1);
    expect(existsSync(output)).toBe(false);
    expect(existsSync(`${output}.partial`)).toBe(false);
  });

  it('fails with a usage message without --in/--out', async () => {
    expect(await run([])).toBe(2);
  });
});
