/**
 * A small English spell check for replies: flags unknown words and suggests known words by
 * edit distance (Damerau, ≤ 2), most frequent first. Ignores URLs, email addresses, @handles,
 * #tags, numbers, words with digits, acronyms in capitals, capitalised words inside a sentence
 * (names) and words outside a–z (other scripts, accented names).
 */
import { WORD_LIST } from './words.ts';

export interface SpellFinding {
  word: string;
  /** UTF-16 offsets, end exclusive. */
  start: number;
  end: number;
  suggestions: string[];
}

export interface SpellCheckerOptions {
  /** Extra accepted words (brand and product names, an admin's custom dictionary). */
  extraWords?: readonly string[];
  maxSuggestions?: number;
}

export interface SpellChecker {
  isKnown(word: string): boolean;
  suggest(word: string): string[];
  check(text: string): SpellFinding[];
}

/** Optimal string alignment distance, giving up (returning max + 1) beyond `max`. */
export function editDistance(a: string, b: string, max = 2): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1);
    row[0] = i;
    rows.push(row);
  }
  for (let j = 0; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    let best = Number.POSITIVE_INFINITY;
    const row = rows[i]!;
    const prev = rows[i - 1]!;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, rows[i - 2]![j - 2]! + 1);
      row[j] = v;
      if (v < best) best = v;
    }
    if (best > max) return max + 1;
  }
  return rows[a.length]![b.length]!;
}

const SKIP = /https?:\/\/\S+|www\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|[@#][\p{L}\p{N}_]+|\S*\d\S*/giu;
const WORD = /\p{L}+(?:['’]\p{L}+)*/gu;

function stems(w: string): string[] {
  const out: string[] = [];
  const push = (s: string) => {
    if (s.length >= 2) out.push(s);
  };
  const undouble = (s: string) => (s.length > 2 && s.at(-1) === s.at(-2) ? s.slice(0, -1) : s);
  if (w.endsWith("'s") || w.endsWith("s'")) push(w.slice(0, -2));
  if (w.endsWith('ies') || w.endsWith('ied')) push(`${w.slice(0, -3)}y`);
  if (w.endsWith('s')) push(w.slice(0, -1));
  if (w.endsWith('es')) push(w.slice(0, -2));
  if (w.endsWith('ed') || w.endsWith('er')) {
    push(w.slice(0, -2));
    push(w.slice(0, -1));
    push(undouble(w.slice(0, -2)));
  }
  if (w.endsWith('ing') || w.endsWith('est')) {
    push(w.slice(0, -3));
    push(`${w.slice(0, -3)}e`);
    push(undouble(w.slice(0, -3)));
  }
  if (w.endsWith('ily')) push(`${w.slice(0, -3)}y`);
  if (w.endsWith('ly')) push(w.slice(0, -2));
  if (w.endsWith('ness') || w.endsWith('ment') || w.endsWith('less')) push(w.slice(0, -4));
  if (w.endsWith('ful')) push(w.slice(0, -3));
  if ((w.startsWith('un') || w.startsWith('re')) && w.length >= 6) push(w.slice(2));
  return out;
}

export function createSpellChecker(options: SpellCheckerOptions = {}): SpellChecker {
  const ranked = WORD_LIST.split(' ');
  const rank = new Map<string, number>();
  ranked.forEach((w, i) => {
    if (!rank.has(w)) rank.set(w, i);
  });
  for (const w of options.extraWords ?? []) {
    const lw = w.toLowerCase();
    if (!rank.has(lw)) {
      rank.set(lw, ranked.length);
      ranked.push(lw);
    }
  }
  const byLength = new Map<number, string[]>();
  for (const w of ranked) {
    const list = byLength.get(w.length) ?? [];
    list.push(w);
    byLength.set(w.length, list);
  }
  const maxSuggestions = options.maxSuggestions ?? 5;

  const known = (raw: string, depth = 0): boolean => {
    const w = raw.toLowerCase().replace(/’/g, "'");
    if (rank.has(w)) return true;
    return depth < 2 && stems(w).some((s) => known(s, depth + 1));
  };

  const suggest = (raw: string): string[] => {
    const w = raw.toLowerCase().replace(/’/g, "'");
    const found: Array<{ word: string; d: number; r: number }> = [];
    for (let len = w.length - 2; len <= w.length + 2; len++) {
      for (const cand of byLength.get(len) ?? []) {
        const d = editDistance(w, cand, 2);
        if (d <= 2) found.push({ word: cand, d, r: rank.get(cand)! });
      }
    }
    found.sort((a, b) => a.d - b.d || a.r - b.r);
    const capital = /^\p{Lu}/u.test(raw);
    return found
      .slice(0, maxSuggestions)
      .map((f) => (capital ? f.word[0]!.toUpperCase() + f.word.slice(1) : f.word));
  };

  const check = (text: string): SpellFinding[] => {
    const masked = text.replace(SKIP, (m) => ' '.repeat(m.length));
    const findings: SpellFinding[] = [];
    for (const m of masked.matchAll(WORD)) {
      const word = m[0];
      if (!/^[a-z'’]+$/i.test(word) || word.length < 2) continue;
      if (word.length > 1 && word === word.toUpperCase()) continue; // acronym or shouting, not a typo
      const before = masked.slice(0, m.index).trimEnd();
      const sentenceStart = before === '' || /[.!?:\n]$/.test(before);
      if (/^\p{Lu}/u.test(word) && !sentenceStart) continue; // a name
      if (known(word)) continue;
      findings.push({ word, start: m.index, end: m.index + word.length, suggestions: suggest(word) });
    }
    return findings;
  };

  return { isKnown: (w) => known(w), suggest, check };
}

let shared: SpellChecker | null = null;

/** Check with the built-in word list (plus optional extra words). */
export function checkSpelling(text: string, extraWords?: readonly string[]): SpellFinding[] {
  if (extraWords && extraWords.length > 0) return createSpellChecker({ extraWords }).check(text);
  shared ??= createSpellChecker();
  return shared.check(text);
}
