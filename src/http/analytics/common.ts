/** Request → filters, and the guards of the analytics pages. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AnalyticsFilters } from '../../db/repositories/analytics.ts';
import type { Role } from '../../db/schema/index.ts';
import { type PeriodName, resolvePeriod } from '../../services/analytics.ts';
import { HttpError } from '../plugins/errors.ts';
import type { FilterQuery } from './schemas.ts';

export const ANALYTICS_ROLES: Role[] = ['admin', 'supervisor'];

export function parseFilters(
  q: FilterQuery,
  now = new Date(),
): { period: PeriodName; filters: AnalyticsFilters; values: FilterQuery & { period: string } } {
  const { period, from, to } = resolvePeriod(
    {
      period: q.period || undefined,
      from: q.from || undefined,
      to: q.to || undefined,
      start: q.start || undefined,
    },
    now,
  );
  const filters: AnalyticsFilters = { from, to };
  if (q.channel) filters.channel = q.channel;
  if (q.queue) filters.queue = q.queue;
  if (q.team) filters.team = q.team;
  if (q.agent) filters.agent = q.agent.toLowerCase();
  return {
    period,
    filters,
    values: { ...q, period, from: q.from ?? '', to: q.to ?? '' },
  };
}

/** For HTML pages: signed-out visitors go to the sign-in page and come back; wrong roles get 403. */
export function pageGuard(...roles: Role[]) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    if (!req.user) return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
    if (!roles.includes(req.user.role))
      throw new HttpError(403, 'forbidden', 'Your role does not allow this.');
  };
}

/** Neutralise spreadsheet formulas in CSV cells (=, +, -, @ at the start of a text value). */
export function csvSafe(v: unknown): unknown {
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(v)) return `'${v}`;
  return v;
}
