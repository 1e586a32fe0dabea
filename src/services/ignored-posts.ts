/**
 * Posts triage ignored, for the people who review them (the API, /app/ignored and `earshot ignored`):
 * newest first in keyset pages with filters by reason and channel kind, and how many were ignored per
 * reason in the last 7 days. Restoring one is src/services/ignored-posts-restore.ts.
 */
import type { Database } from '../db/client.ts';
import {
  countIgnoredByReason,
  type IgnoredPost,
  listIgnoredPosts,
  parseCursor,
  type ReasonCounts,
} from '../db/repositories/ignored-posts.ts';
import { InvalidError } from '../domain/errors.ts';
import { ignoredBy } from '../domain/ignored-posts.ts';

export const IGNORED_PAGE = { default: 50, max: 200 } as const;

export interface IgnoredPostView extends IgnoredPost {
  /** Who ignored it: the rule's current name, "default policy" or "a rule since deleted". */
  ignoredBy: string;
}

export interface IgnoredPostsPage {
  ignoredPosts: IgnoredPostView[];
  /** `before` for the next (older) page; null on the last page. */
  nextBefore: string | null;
}

export interface IgnoredQuery {
  before?: string;
  limit?: number;
  reason?: string;
  channel?: string;
}

export function ignoredPostsService(database: Pick<Database, 'pool'>) {
  const q = database.pool;
  return {
    async list(query: IgnoredQuery = {}): Promise<IgnoredPostsPage> {
      const limit = Math.min(Math.max(query.limit ?? IGNORED_PAGE.default, 1), IGNORED_PAGE.max);
      const before = query.before ? parseCursor(query.before) : undefined;
      if (before === null) {
        throw new InvalidError('invalid_cursor', 'before: not a position in the list of ignored posts.', {
          before: query.before,
        });
      }
      const rows = await listIgnoredPosts(q, {
        limit: limit + 1,
        ...(before ? { before } : {}),
        ...(query.reason ? { reason: query.reason } : {}),
        ...(query.channel ? { channelKind: query.channel } : {}),
      });
      const page = rows.slice(0, limit).map((r) => ({ ...r, ignoredBy: ignoredBy(r.ruleId, r.ruleName) }));
      return { ignoredPosts: page, nextBefore: rows.length > limit ? (page.at(-1)?.cursor ?? null) : null };
    },

    counts: (days = 7): Promise<ReasonCounts> => countIgnoredByReason(q, days),
  };
}
