/**
 * Pure text helpers for articles: slugs, tags, plain-text excerpts, search queries from free text,
 * and fitting a link or excerpt into a channel's length.
 */
import { type SQL, sql } from 'drizzle-orm';
import { InvalidError } from '../domain/errors.ts';

export const SLUG_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return slug || 'article';
}

export function normaliseTags(tags: readonly string[]): string[] {
  const out = new Set<string>();
  for (const raw of tags) {
    const tag = slugify(raw).slice(0, 40);
    if (raw.trim() && tag) out.add(tag);
  }
  if (out.size > 12) throw new InvalidError('too_many_tags', 'At most 12 tags.');
  return [...out];
}

/** Markdown to plain text, good enough for excerpts and meta descriptions. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]*>/g, ' ')
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+/gm, '')
    .replace(/[`*_~]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Cut text at a word boundary so that `measure(result)` ≤ max, adding an ellipsis when cut. */
export function truncateWords(text: string, max: number, measure: (s: string) => number): string {
  if (measure(text) <= max) return text;
  const words = text.split(/\s+/);
  let out = '';
  for (const word of words) {
    const next = out ? `${out} ${word}` : word;
    if (measure(`${next}…`) > max) break;
    out = next;
  }
  return out ? `${out.replace(/[\s,;:.-]+$/, '')}…` : '';
}

export function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Distinct searchable words of free text (a forum question, a customer's post). */
export function keywords(text: string, max = 24): string[] {
  const seen = new Set<string>();
  for (const m of text.toLowerCase().matchAll(/[\p{L}\p{N}]{2,}/gu)) {
    if (seen.size >= max) break;
    if (m[0] !== 'or') seen.add(m[0]);
  }
  return [...seen];
}

/** The user's search box text: phrases in quotes, `-word`, `or` (websearch syntax). */
export function websearchQuery(q: string): SQL {
  return sql`websearch_to_tsquery('english', ${q.slice(0, 300)})`;
}
