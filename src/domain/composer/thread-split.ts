/**
 * Split a long reply into numbered parts ("… 1/3") that each fit the channel's limit,
 * breaking at paragraph and sentence boundaries first, then words, then (for a single
 * overlong word) grapheme clusters. Lengths are measured the way the platform counts.
 */
import { InvalidError } from '../errors.ts';
import type { ChannelKind } from '../types.ts';
import { countLength, type LengthOptions } from './length.ts';

export interface SplitOptions extends LengthOptions {
  /** Append " i/n" to every part (default true). */
  numbering?: boolean;
}

interface Unit {
  text: string;
  /** Separator before this unit when it follows another in the same part. */
  sep: string;
}

const sentences = new Intl.Segmenter('en', { granularity: 'sentence' });
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function units(text: string): Unit[] {
  const out: Unit[] = [];
  text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .forEach((para, pi) => {
      let first = true;
      for (const s of sentences.segment(para)) {
        const t = s.segment.trim();
        if (!t) continue;
        out.push({ text: t, sep: first && pi > 0 ? '\n\n' : ' ' });
        first = false;
      }
    });
  return out;
}

function pack(all: Unit[], budget: number, measure: (s: string) => number): string[] {
  const parts: string[] = [];
  let cur = '';
  const flush = () => {
    if (cur) parts.push(cur);
    cur = '';
  };
  const tryAdd = (piece: string, sep: string): boolean => {
    const cand = cur ? cur + sep + piece : piece;
    if (measure(cand) > budget) return false;
    cur = cand;
    return true;
  };
  for (const u of all) {
    if (tryAdd(u.text, u.sep)) continue;
    flush();
    if (tryAdd(u.text, u.sep)) continue;
    for (const word of u.text.split(/\s+/)) {
      if (tryAdd(word, ' ')) continue;
      flush();
      if (tryAdd(word, ' ')) continue;
      for (const { segment: g } of graphemes.segment(word)) {
        if (tryAdd(g, '')) continue;
        flush();
        if (!tryAdd(g, ''))
          throw new InvalidError('cannot_split', 'a single character does not fit the limit');
      }
    }
  }
  flush();
  return parts;
}

/** Returns one part (unchanged apart from trimming) when the text already fits. */
export function splitThread(text: string, channelKind: ChannelKind, options: SplitOptions = {}): string[] {
  const measure = (s: string) => countLength(s, channelKind, options).length;
  const limit = countLength('', channelKind, options).limit;
  const trimmed = text.trim();
  if (!trimmed) return [];
  if (limit === null || measure(trimmed) <= limit) return [trimmed];
  const numbering = options.numbering ?? true;
  for (let digits = 1; digits <= 4; digits++) {
    const suffix = numbering ? measure(` ${'9'.repeat(digits)}/${'9'.repeat(digits)}`) : 0;
    if (limit - suffix < 1) break;
    const parts = pack(units(trimmed), limit - suffix, measure);
    if (!numbering) return parts;
    if (String(parts.length).length <= digits) {
      return parts.map((p, i) => `${p} ${i + 1}/${parts.length}`);
    }
  }
  throw new InvalidError('reply_too_long', 'reply is too long to split into a thread');
}
