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

const LABEL_COLUMNS: Record<Task, string[]> = {
  complaint: ['label', 'complaint', 'is_complaint', 'class'],
  sentiment: ['label', 'sentiment', 'airline_sentiment', 'polarity', 'class'],
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

function labelOf(task: Task, raw: string): string | undefined {
  if (task === 'sentiment' && /^[012]$/.test(raw.trim())) return TASK_CLASSES.sentiment[Number(raw.trim())];
  return normaliseLabel(task, raw);
}

function pickColumn(row: Record<string, string>, names: string[]): string | undefined {
  const keys = Object.keys(row);
  for (const n of names) {
    const k = keys.find((key) => key.trim().toLowerCase() === n);
    if (k !== undefined) return k;
  }
  return undefined;
}

/**
 * Read a labelled file for a task. For sentiment, a numeric TweetEval-style label (0/1/2) means
 * negative/neutral/positive; for the label column the first matching alias that holds a known label wins.
 */
export function loadLabelled(path: string, task: Task, source = path): LabelledText[] {
  const rows = readCsv(path);
  const first = rows[0];
  if (!first) return [];
  const textCol = pickColumn(first, TEXT_COLUMNS);
  if (!textCol) throw new Error(`${path}: no text column (expected one of ${TEXT_COLUMNS.join(', ')})`);
  const candidates = LABEL_COLUMNS[task].filter((n) => pickColumn(first, [n]) !== undefined);
  const labelCol = candidates
    .map((n) => pickColumn(first, [n])!)
    .find((k) => rows.slice(0, 50).some((r) => labelOf(task, r[k] ?? '') !== undefined));
  if (!labelCol)
    throw new Error(`${path}: no ${task} label column (expected one of ${LABEL_COLUMNS[task].join(', ')})`);
  const numeric = task === 'sentiment' && rows.every((r) => /^[012]$/.test((r[labelCol] ?? '').trim()));
  const out: LabelledText[] = [];
  for (const r of rows) {
    const raw = (r[labelCol] ?? '').trim();
    const label = numeric ? TASK_CLASSES.sentiment[Number(raw)] : normaliseLabel(task, raw);
    const text = r[textCol] ?? '';
    if (label && text.trim()) out.push({ text, label, source });
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

/** Corrections exported from the app: CSV with text, task, label. */
export function loadExtraLabels(path: string, task: Task): LabelledText[] {
  return readCsv(path)
    .filter((r) => (r.task ?? '').trim().toLowerCase() === task)
    .map((r) => ({
      text: r.text ?? '',
      label: normaliseLabel(task, r.label ?? '') ?? '',
      source: 'extra-labels',
    }))
    .filter((r) => r.label !== '' && r.text.trim() !== '');
}
