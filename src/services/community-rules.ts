/**
 * Pure rules of the community forum (no I/O): limits, usernames, slugs, tags, spam heuristics,
 * reputation, who may do what.
 */
import type { Role } from '../db/schema/index.ts';
import { InvalidError } from '../domain/errors.ts';
import { cleanUserText } from '../lib/markdown.ts';

export const LIMITS = {
  titleMin: 8,
  titleMax: 150,
  bodyMax: 20_000,
  tagsMax: 5,
  postsPerPage: 20,
  topicsPerPage: 30,
  /** Posts a new member gets approved by a moderator before posting freely. */
  newMemberApprovals: 1,
  /** Per member: posts per minute and per hour (new members: a third). */
  perMinute: 6,
  perHour: 60,
  /** Open flags from distinct members that hide a post until a moderator looks. */
  autoHideFlags: 3,
} as const;

export const REPUTATION = { upvote: 2, downvote: -1, accepted: 15, official: 5 } as const;

export const STAFF: readonly Role[] = ['admin', 'supervisor', 'agent', 'trainee', 'marketing', 'moderator'];
export const MODERATORS: readonly Role[] = ['admin', 'supervisor', 'moderator'];

export const isStaff = (role: Role | undefined): boolean => !!role && STAFF.includes(role);
export const isModerator = (role: Role | undefined): boolean => !!role && MODERATORS.includes(role);

/** Zero-width, bidi and other invisible format characters (never allowed in names). */
const INVISIBLE =
  // biome-ignore lint/suspicious/noMisleadingCharacterClass: these code points are listed to be rejected
  /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]/;

/** Usernames: 3–30 of [a-z0-9_], nothing that can look like someone else. */
export function validateUsername(raw: string): string {
  if (INVISIBLE.test(raw)) {
    throw new InvalidError('invalid_username', 'Usernames cannot contain invisible characters.');
  }
  const name = raw.trim();
  if (!/^[A-Za-z0-9_]{3,30}$/.test(name)) {
    throw new InvalidError('invalid_username', 'Usernames are 3–30 letters (a–z), digits or underscores.');
  }
  if (/^(admin|administrator|moderator|staff|support|earshot|system)$/i.test(name)) {
    throw new InvalidError('reserved_username', 'This username is reserved.');
  }
  return name;
}

/** Display names: printable text, no invisible or bidi control characters. */
export function cleanDisplayName(raw: string): string {
  const name = raw
    .normalize('NFC')
    .replace(new RegExp(INVISIBLE.source, 'g'), '')
    .replace(/\s+/g, ' ')
    .trim();
  if (!name || name.length > 60) throw new InvalidError('invalid_name', 'Names are 1–60 characters.');
  return name;
}

export function validateTitle(raw: string): string {
  const title = cleanUserText(raw).replace(new RegExp(INVISIBLE.source, 'g'), '').replace(/\s+/g, ' ').trim();
  if (title.length < LIMITS.titleMin || title.length > LIMITS.titleMax) {
    throw new InvalidError(
      'invalid_title',
      `Titles are ${LIMITS.titleMin}–${LIMITS.titleMax} characters: say what the question is about.`,
    );
  }
  return title;
}

export function validateBody(raw: string): string {
  const body = cleanUserText(raw).trim();
  if (!body) throw new InvalidError('empty_post', 'Write something first.');
  if (body.length > LIMITS.bodyMax) {
    throw new InvalidError(
      'post_too_long',
      `Posts are at most ${LIMITS.bodyMax.toLocaleString('en')} characters.`,
    );
  }
  return body;
}

export function normaliseTags(raw: string | string[] | undefined): string[] {
  const list = Array.isArray(raw) ? raw : (raw ?? '').split(/[,\s]+/);
  const tags = [
    ...new Set(
      list
        .map((t) =>
          t
            .toLowerCase()
            .replace(/[^a-z0-9-]/g, '')
            .slice(0, 24),
        )
        .filter((t) => t.length >= 2),
    ),
  ];
  return tags.slice(0, LIMITS.tagsMax);
}

export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug || 'topic';
}

const SPAM_WORDS =
  /\b(viagra|cialis|casino|crypto ?giveaway|free money|work from home|payday loan|bitcoin doubl|seo services|escort)\b/i;

/** 0 = clean … ≥ 3 = very likely spam. */
export function spamScore(input: { title?: string; body: string; isNewMember: boolean }): {
  score: number;
  reasons: string[];
} {
  const text = `${input.title ?? ''}\n${input.body}`;
  const reasons: string[] = [];
  let score = 0;
  const links = text.match(/https?:\/\//gi)?.length ?? 0;
  if (links >= (input.isNewMember ? 2 : 6)) {
    score += 2;
    reasons.push('many links');
  }
  if (SPAM_WORDS.test(text)) {
    score += 3;
    reasons.push('spam words');
  }
  const letters = text.replace(/[^A-Za-z]/g, '');
  if (letters.length > 30 && letters.replace(/[^A-Z]/g, '').length / letters.length > 0.7) {
    score += 1;
    reasons.push('shouting');
  }
  if (/(.)\1{15,}/.test(text)) {
    score += 1;
    reasons.push('repeated characters');
  }
  return { score, reasons };
}

export function pageCount(total: number, perPage: number): number {
  return Math.max(1, Math.ceil(total / perPage));
}
