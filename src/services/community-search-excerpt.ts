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

interface Token {
  start: number;
  end: number;
  hit: boolean;
}

/**
 * The excerpt of `text` for a query's lexemes (positive, stemmed, as websearch_to_tsquery gives them).
 * `text` is raw Markdown from a post: everything is escaped, only <mark> is added.
 */
export function buildExcerpt(text: string, lexemes: readonly string[], maxChars = 3000): Excerpt {
  const src = text.slice(0, maxChars);
  const tokens: Token[] = [];
  for (const m of src.matchAll(WORD)) {
    const start = m.index ?? 0;
    tokens.push({ start, end: start + m[0].length, hit: matchesLexeme(m[0].toLowerCase(), lexemes) });
  }
  if (!tokens.length) return { html: escapeHtml(src.slice(0, 200)), marked: src.slice(0, 200) };
  // the run of WINDOW_WORDS words starting at a match that holds the most matches (earliest on ties),
  // shown from a few words before that match for context
  const hitAt = tokens.flatMap((t, i) => (t.hit ? [i] : []));
  let firstHit = -1;
  let bestHits = 0;
  for (let a = 0, b = 0; a < hitAt.length; a++) {
    while (b < hitAt.length && hitAt[b]! < hitAt[a]! + WINDOW_WORDS - 4) b++;
    if (b - a > bestHits) {
      bestHits = b - a;
      firstHit = hitAt[a]!;
    }
  }
  const first = firstHit > 0 ? Math.max(0, Math.min(firstHit - 4, tokens.length - WINDOW_WORDS)) : 0;
  const last = Math.min(tokens.length, first + WINDOW_WORDS) - 1;
  let html = first > 0 ? '… ' : '';
  let marked = html;
  let pos = tokens[first]!.start;
  for (let i = first; i <= last; i++) {
    const t = tokens[i]!;
    const gap = src.slice(pos, t.start);
    const word = src.slice(t.start, t.end);
    html += escapeHtml(gap) + (t.hit ? `<mark>${escapeHtml(word)}</mark>` : escapeHtml(word));
    marked += gap + (t.hit ? `${MARK_START}${word}${MARK_STOP}` : word);
    pos = t.end;
  }
  if (last < tokens.length - 1) {
    html += ' …';
    marked += ' …';
  } else {
    const tail = src.slice(pos);
    html += escapeHtml(tail);
    marked += tail;
  }
  return { html, marked };
}
