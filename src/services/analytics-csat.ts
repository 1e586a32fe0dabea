/**
 * CSAT surveys: after resolution the agent sends the customer a link (in the private sidebar);
 * the link carries a random token, only its hash is stored; the customer answers 1–5 on /csat/:token.
 */
import { createHash, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { conversations, csatResponses } from '../db/schema/index.ts';
import { ConflictError, InvalidError, NotFoundError } from '../domain/errors.ts';

const DAY = 86_400_000;
export const CSAT_TTL_DAYS = 14;

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

export interface CsatSurvey {
  id: string;
  token: string;
  /** Absolute link for the customer: `${baseUrl}/csat/${token}`. */
  url: string;
  expiresAt: Date;
}

/** Create a survey for a conversation; returns the link to send in the private sidebar. */
export async function createCsatSurvey(
  db: Db,
  conversationId: string,
  options: { baseUrl: string; now?: Date; ttlDays?: number },
): Promise<CsatSurvey> {
  const [conv] = await db
    .select({ id: conversations.id })
    .from(conversations)
    .where(eq(conversations.id, conversationId));
  if (!conv) throw new NotFoundError('conversation_not_found', 'no such conversation');
  const now = options.now ?? new Date();
  const token = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + (options.ttlDays ?? CSAT_TTL_DAYS) * DAY);
  const [row] = await db
    .insert(csatResponses)
    .values({ conversationId, tokenHash: hash(token), sentAt: now, expiresAt })
    .returning({ id: csatResponses.id });
  return { id: row!.id, token, url: `${options.baseUrl.replace(/\/$/, '')}/csat/${token}`, expiresAt };
}

export type SurveyState = 'open' | 'answered' | 'expired';

export async function findSurvey(
  db: Db,
  token: string,
  now = new Date(),
): Promise<{ id: string; state: SurveyState; score: number | null }> {
  const [row] = await db
    .select()
    .from(csatResponses)
    .where(eq(csatResponses.tokenHash, hash(token)));
  if (!row) throw new NotFoundError('survey_not_found', 'This survey link is not valid.');
  const state: SurveyState =
    row.score !== null ? 'answered' : row.expiresAt.getTime() < now.getTime() ? 'expired' : 'open';
  return { id: row.id, state, score: row.score };
}

export async function answerSurvey(
  db: Db,
  token: string,
  input: { score: number; comment?: string | null },
  now = new Date(),
): Promise<void> {
  if (!Number.isInteger(input.score) || input.score < 1 || input.score > 5) {
    throw new InvalidError('invalid_score', 'Choose a score from 1 to 5.');
  }
  const survey = await findSurvey(db, token, now);
  if (survey.state === 'answered')
    throw new ConflictError('survey_answered', 'Thanks, we already have your answer.');
  if (survey.state === 'expired') throw new ConflictError('survey_expired', 'This survey has expired.');
  const comment = input.comment?.trim().slice(0, 2000) || null;
  await db
    .update(csatResponses)
    .set({ score: input.score, comment, respondedAt: now })
    .where(eq(csatResponses.id, survey.id));
}
