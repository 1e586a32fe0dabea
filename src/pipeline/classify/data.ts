/**
 * Loading labelled CSV files: the shared training data and evaluation / correction files.
 * Column names follow the shared data (complaints: `label`; airline / tweeteval: `label`;
 * cesamard: `complaint` and `sentiment`), with a few common aliases accepted.
 */

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { sharedDir } from '../../lib/shared-dir.ts';

export type Task = 'complaint' | 'sentiment';

export const TASK_CLASSES: Record<Task, string[]> = {
  complaint: ['not_complaint', 'complaint'],
  sentiment: ['negative', 'neutral', 'positive'],
};

export interface LabelledText {
  text: string;
  label: string;
  /** Where the row came from (file name), for per-source weighting and reporting. */
  source: string;
}

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export function sharedDataDir(): string {
  return sharedDir('data');
}

export function readCsv(path: string): Record<string, string>[] {
  return parse(readFileSync(path), {
    columns: true,
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    relax_quotes: true,
  }) as Record<string, string>[];
}

/** Label columns by preference: a column named after the task wins over a generic `label` / `class`. */
const LABEL_COLUMNS: Record<Task, string[]> = {
  complaint: ['complaint', 'is_complaint', 'label', 'class'],
  sentiment: ['sentiment', 'airline_sentiment', 'polarity', 'label', 'class'],
};

const TEXT_COLUMNS = ['text', 'tweet', 'content', 'body', 'message'];

/** Map label spellings seen in the wild onto the task's class names; undefined when unknown. */
export function normaliseLabel(task: Task, raw: string): string | undefined {
  const v = raw.trim().toLowerCase();
  if (task === 'complaint') {
    if (['complaint', '1', 'true', 'yes', 'c'].includes(v)) return 'complaint';
    if (
      ['not_complaint', 'not complaint', 'non-complaint', 'non_complaint', 'no', 'false', '0', 'n'].includes(
        v,
      )
    ) {
      return 'not_complaint';
    }
    return undefined;
  }
  if (['negative', 'neg', '-1'].includes(v)) return 'negative';
  if (['neutral', 'neu'].includes(v)) return 'neutral';
  if (['positive', 'pos'].includes(v)) return 'positive';
  return undefined;
}

/**
 * Numeric sentiment labels, by the set of numbers a column holds: -1/0/1 (polarity), 0/1/2
 * (TweetEval: negative, neutral, positive), 0/2/4 (Sentiment140). Undefined when it is none of these.
 */
export function numericSentimentScheme(values: readonly string[]): Record<string, string> | undefined {
  const seen = new Set(values.map((v) => v.trim()).filter((v) => /^-?\d+$/.test(v)));
  if (seen.size === 0) return undefined;
  const within = (allowed: string[]) => [...seen].every((v) => allowed.includes(v));
  if (seen.has('-1') && within(['-1', '0', '1']))
    return { '-1': 'negative', '0': 'neutral', '1': 'positive' };
  if (within(['0', '1', '2'])) return { '0': 'negative', '1': 'neutral', '2': 'positive' };
  if (seen.has('4') && within(['0', '2', '4'])) return { '0': 'negative', '2': 'neutral', '4': 'positive' };
  return undefined;
}

/** Reads one column's labels: words by normaliseLabel, numbers by the column's numeric scheme. */
function labelReader(task: Task, values: readonly string[]): (raw: string) => string | undefined {
  const scheme = task === 'sentiment' ? numericSentimentScheme(values) : undefined;
  return (raw) => scheme?.[raw.trim()] ?? normaliseLabel(task, raw);
}

/** Rows a labelled file had but could not use, for a warning. */
export interface SkippedRows {
  blankText: number;
  /** Label (as written) → rows. A blank label counts as ''. */
  unknownLabels: Map<string, number>;
}

export function describeSkipped(s: SkippedRows): string | undefined {
  const unknown = [...s.unknownLabels.values()].reduce((a, b) => a + b, 0);
  if (unknown + s.blankText === 0) return undefined;
  const parts: string[] = [];
  if (unknown > 0) {
    const examples = [...s.unknownLabels.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([label, n]) => `${JSON.stringify(label)} × ${n}`);
    parts.push(`${unknown} with a label that is not a class (${examples.join(', ')})`);
  }
  if (s.blankText > 0) parts.push(`${s.blankText} with no text`);
  return `skipped ${unknown + s.blankText} rows: ${parts.join('; ')}`;
}

function pickColumn(row: Record<string, string>, names: string[]): string | undefined {
  const keys = Object.keys(row);
  for (const n of names) {
    const k = keys.find((key) => key.trim().toLowerCase() === n);
    if (k !== undefined) return k;
  }
  return undefined;
}

/** Why no column could be read as the task's labels: none of the names, or the values found in them. */
function noLabelColumn(path: string, task: Task, rows: Record<string, string>[], found: string[]): string {
  const expected = `expected one of ${LABEL_COLUMNS[task].join(', ')}`;
  if (found.length === 0) return `${path}: no ${task} label column (${expected})`;
  const seen = found.map((k) => {
    const values = [...new Set(rows.map((r) => (r[k] ?? '').trim()))].slice(0, 5);
    return `${k}: ${values.map((v) => JSON.stringify(v)).join(', ')}`;
  });
  return `${path}: no column holds ${task} labels (${expected}; ${seen.join('; ')}; classes: ${TASK_CLASSES[task].join(', ')})`;
}

/**
 * Read a labelled file for a task. The label column is the first of LABEL_COLUMNS[task] present that
 * holds a known label (a column named after the task wins over `label`); numeric sentiment labels are
 * read by the column's scheme (numericSentimentScheme). Rows without text or with a label that is not
 * a class are left out and counted in `skipped` when given.
 */
export function loadLabelled(path: string, task: Task, source = path, skipped?: SkippedRows): LabelledText[] {
  const rows = readCsv(path);
  const first = rows[0];
  if (!first) return [];
  const textCol = pickColumn(first, TEXT_COLUMNS);
  if (!textCol) throw new Error(`${path}: no text column (expected one of ${TEXT_COLUMNS.join(', ')})`);
  const candidates = LABEL_COLUMNS[task]
    .map((n) => pickColumn(first, [n]))
    .filter((k): k is string => k !== undefined);
  const readers = new Map(
    candidates.map((k) => [
      k,
      labelReader(
        task,
        rows.map((r) => r[k] ?? ''),
      ),
    ]),
  );
  const labelCol = candidates.find((k) => rows.some((r) => readers.get(k)!(r[k] ?? '') !== undefined));
  if (!labelCol) throw new Error(noLabelColumn(path, task, rows, candidates));
  const read = readers.get(labelCol)!;
  const out: LabelledText[] = [];
  for (const r of rows) {
    const raw = r[labelCol] ?? '';
    const label = read(raw);
    const text = r[textCol] ?? '';
    if (!text.trim()) {
      if (skipped) skipped.blankText++;
    } else if (!label) {
      if (skipped) skipped.unknownLabels.set(raw.trim(), (skipped.unknownLabels.get(raw.trim()) ?? 0) + 1);
    } else out.push({ text, label, source });
  }
  return out;
}

/** The shared training files per task, with the per-source weight used in training. */
export function sharedTrainingFiles(task: Task): { file: string; weight: number }[] {
  if (task === 'complaint') return [{ file: 'complaints/train_dev.csv', weight: 1 }];
  return [
    { file: 'airline/train_dev.csv', weight: 1 },
    { file: 'tweeteval/validation.csv', weight: 1 },
  ];
}

/**
 * Corrections exported from the app: CSV with text, task, label. For the complaint task an intent
 * correction counts too (intent complaint → complaint, any other intent → not_complaint) unless the
 * same text has an explicit complaint correction.
 */
export function loadExtraLabels(path: string, task: Task): LabelledText[] {
  const rows = readCsv(path).map((r) => ({
    text: r.text ?? '',
    task: (r.task ?? '').trim().toLowerCase(),
    label: (r.label ?? '').trim().toLowerCase(),
  }));
  const direct = rows
    .filter((r) => r.task === task)
    .map((r) => ({ text: r.text, label: normaliseLabel(task, r.label) ?? '', source: 'extra-labels' }));
  const explicit = new Set(direct.map((r) => r.text));
  const fromIntent =
    task === 'complaint'
      ? rows
          .filter((r) => r.task === 'intent' && r.label !== '' && !explicit.has(r.text))
          .map((r) => ({
            text: r.text,
            label: r.label === 'complaint' ? 'complaint' : 'not_complaint',
            source: 'extra-labels',
          }))
      : [];
  return [...direct, ...fromIntent].filter((r) => r.label !== '' && r.text.trim() !== '');
}
