/**
 * Search excerpts built in the web process from the returned post text, instead of ts_headline
 * (which re-parses and stems every post of the page in PostgreSQL: 0.15–0.5 ms a post).
 *
 * A word is a match when it is one of the query's lexemes under an approximation of the English
 * Snowball stemmer: lowercased, the lexeme is a prefix of the word followed by a short suffix
 * ("printer" → "printers", "print" → "printing"), or the lexeme ends in "i" where the word has "y"
 * ("batteri" → "battery"). Over-marking a near word is harmless; the post itself matched in the
 * database. The excerpt is a window of up to 30 words around the densest run of matches.
 */

/** Highlight markers that cannot occur in posts (control characters are not stored). */
export const MARK_START = '\u0001';
export const MARK_STOP = '\u0002';

const WINDOW_WORDS = 30;
const MAX_SUFFIX = 5;
const WORD = /[\p{L}\p{N}_]+(?:'[\p{L}]+)?/gu;

export interface Excerpt {
  /** HTML: escaped text with <mark> around matches. */
  html: string;
  /** Plain text with MARK_START/MARK_STOP around matches. */
  marked: string;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** True when `word` (already lowercased) plausibly stems to one of `lexemes`. */
export function matchesLexeme(word: string, lexemes: readonly string[]): boolean {
  const w = word.endsWith("'s") ? word.slice(0, -2) : word;
  for (const l of lexemes) {
    if (!l) continue;
    if (w.startsWith(l) && w.length - l.length <= MAX_SUFFIX) return true;
    if (l.endsWith('i') && l.length > 2) {
      const y = `${l.slice(0, -1)}y`;
      if (w.startsWith(y) && w.length - y.length <= MAX_SUFFIX) return true;
    }
    // short stems the stemmer made from "-e" words ("updat" ← "update"): covered by the prefix test
  }
  return false;
}

/**
 * True when the word at `start..end` of `lower` (the lowercased text) plausibly stems to one of
 * `lexemes`: `matchesLexeme` without copying the word out of the text.
 */
function hitAt(lower: string, start: number, end: number, lexemes: readonly string[]): boolean {
  const wordEnd = end - start > 2 && lower.endsWith("'s", end) ? end - 2 : end;
  for (const l of lexemes) {
    if (!l) continue;
    if (
      wordEnd - start >= l.length &&
      wordEnd - start - l.length <= MAX_SUFFIX &&
      lower.startsWith(l, start)
    ) {
      return true;
    }
    if (
      l.endsWith('i') &&
      l.length > 2 &&
      wordEnd - start >= l.length &&
      wordEnd - start - l.length <= MAX_SUFFIX
    ) {
      if (lower.startsWith(l.slice(0, -1), start) && lower.charCodeAt(start + l.length - 1) === 121 /* y */) {
        return true;
      }
    }
  }
  return false;
}

/**
 * The excerpt of `text` for a query's lexemes (positive, stemmed, as websearch_to_tsquery gives them).
 * `text` is raw Markdown from a post: everything is escaped, only <mark> is added.
 */
export function buildExcerpt(text: string, lexemes: readonly string[], maxChars = 3000): Excerpt {
  let src = text.slice(0, maxChars);
  if (src.includes(MARK_START) || src.includes(MARK_STOP)) {
    src = src.replaceAll(MARK_START, ' ').replaceAll(MARK_STOP, ' ');
  }
  const lowered = src.toLowerCase();
  // lowercasing may change the length of a few characters: then words are lowercased one by one
  const sameLength = lowered.length === src.length;
  const starts: number[] = [];
  const ends: number[] = [];
  const hits: number[] = [];
  WORD.lastIndex = 0;
  for (let m = WORD.exec(src); m; m = WORD.exec(src)) {
    const start = m.index;
    const end = start + m[0].length;
    const hit = sameLength ? hitAt(lowered, start, end, lexemes) : matchesLexeme(m[0].toLowerCase(), lexemes);
    if (hit) hits.push(starts.length);
    starts.push(start);
    ends.push(end);
  }
  if (!starts.length) return { html: escapeHtml(src.slice(0, 200)), marked: src.slice(0, 200) };
  // the run of WINDOW_WORDS words starting at a match that holds the most matches (earliest on ties),
  // shown from a few words before that match for context
  let firstHit = -1;
  let bestHits = 0;
  for (let a = 0, b = 0; a < hits.length; a++) {
    while (b < hits.length && hits[b]! < hits[a]! + WINDOW_WORDS - 4) b++;
    if (b - a > bestHits) {
      bestHits = b - a;
      firstHit = hits[a]!;
    }
  }
  const first = firstHit > 0 ? Math.max(0, Math.min(firstHit - 4, starts.length - WINDOW_WORDS)) : 0;
  const last = Math.min(starts.length, first + WINDOW_WORDS) - 1;
  let marked = first > 0 ? '… ' : '';
  let pos = starts[first]!;
  let h = 0;
  while (h < hits.length && hits[h]! < first) h++;
  for (; h < hits.length && hits[h]! <= last; h++) {
    const i = hits[h]!;
    marked += `${src.slice(pos, starts[i])}${MARK_START}${src.slice(starts[i], ends[i])}${MARK_STOP}`;
    pos = ends[i]!;
  }
  marked += last < starts.length - 1 ? `${src.slice(pos, ends[last])} …` : src.slice(pos);
  // the markers are control characters, left alone by the escaping
  const html = escapeHtml(marked).replaceAll(MARK_START, '<mark>').replaceAll(MARK_STOP, '</mark>');
  return { html, marked };
}
