/**
 * Knowledge base and blog: writing (drafts, scheduling, revisions), public reading with the
 * publication rule, search, suggestions for the forum and the composer, helpful votes and the
 * use of article links in replies.
 *
 * Other areas use it through `articlesFor(ctx)`:
 *   suggestArticles(text, limit)      – forum "before you post" suggestions, composer sidebar
 *   relatedArticles(text, limit)      – related articles beside a forum topic
 *   articleLinkFor(id, maxLength)     – a link or short excerpt fitted to a channel's length
 *   recordArticleLinkUsed(id, convId) – count a link used in a reply (deflection analytics)
 */
import { createHash } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { type ArticleWithAuthor, articlesRepository, type SearchHit } from '../db/repositories/articles.ts';
import type { ArticleKind, ArticleStatus, Role } from '../db/schema/index.ts';
import { InvalidError, NotFoundError, RateLimitedError } from '../domain/errors.ts';
import { codePoints, keywords, plainText, truncateWords, websearchQuery } from './articles-text.ts';
import { articleWriter } from './articles-write.ts';

export { ARTICLE_KINDS, ARTICLE_STATUSES } from '../db/schema/index.ts';
export type { ArticleKind, ArticleStatus, ArticleWithAuthor, SearchHit };

/** Roles that may write and see unpublished articles. */
export const EDITOR_ROLES: Role[] = ['admin', 'supervisor', 'agent'];
export const isEditor = (role: Role | undefined): boolean => Boolean(role && EDITOR_ROLES.includes(role));

/** Anonymous helpful votes allowed per IP per hour. */
export const VOTES_PER_IP_PER_HOUR = 30;

export interface ArticlesDeps {
  db: Db;
  baseUrl: string;
  /** Salt for hashing voters' IPs and cookies (never stored in clear). */
  secret: string;
  now?: () => Date;
}

export interface ArticleSuggestion {
  id: string;
  kind: ArticleKind;
  title: string;
  summary: string;
  url: string;
  path: string;
  rank: number;
}

export interface ArticleLink {
  articleId: string;
  title: string;
  url: string;
  /** What to insert: title + excerpt + URL, title + URL, or the URL alone, whichever fits. */
  text: string;
  withExcerpt: boolean;
  /** False when even the bare URL is longer than maxLength. */
  fits: boolean;
}

export function articlePath(a: { kind: ArticleKind; slug: string }): string {
  return `/${a.kind === 'kb' ? 'kb' : 'blog'}/${a.slug}`;
}

export function articlesService(deps: ArticlesDeps) {
  const repo = articlesRepository(deps.db);
  const now = deps.now ?? (() => new Date());
  const hash = (s: string) => createHash('sha256').update(`${deps.secret}:${s}`).digest('base64url');
  const url = (a: { kind: ArticleKind; slug: string }) => `${deps.baseUrl}${articlePath(a)}`;
  const toSuggestion = (h: SearchHit): ArticleSuggestion => ({
    id: h.id,
    kind: h.kind,
    title: h.title,
    summary: h.summary,
    url: url(h),
    path: articlePath(h),
    rank: h.rank,
  });

  /**
   * An OR query of the informative words of free text: in a large knowledge base, words found in
   * more than a fifth of the articles ("guide", "how") are dropped, rarest first, at most 12.
   */
  let frequent: { at: number; rows: number; share: Map<string, number> } | undefined;
  async function informativeQuery(text: string): Promise<SQL | null> {
    const words = keywords(text).join(' ');
    if (!words) return null;
    const lexemes = await repo.lexemes(words);
    if (lexemes.length === 0) return null;
    if (!frequent || Date.now() - frequent.at > 60_000)
      frequent = { at: Date.now(), ...(await repo.frequentLexemes()) };
    const share = (l: string) => frequent?.share.get(l) ?? 0;
    const byRarity = [...lexemes].sort((a, b) => share(a) - share(b));
    const useful = frequent.rows >= 500 ? byRarity.filter((l) => share(l) <= 0.2) : byRarity;
    const chosen = (useful.length ? useful : byRarity.slice(0, 3)).slice(0, 12);
    return sql`to_tsquery('simple', ${chosen.map((l) => `'${l.replace(/'/g, "''")}'`).join(' | ')})`;
  }

  /** Related articles per article revision, kept 5 minutes (the article page asks on every view). */
  const relatedCache = new Map<string, { at: number; value: ArticleSuggestion[] }>();

  function visible(a: ArticleWithAuthor, at: Date): boolean {
    return (
      (a.status === 'published' || a.status === 'scheduled') &&
      a.publishAt !== null &&
      a.publishAt.getTime() <= at.getTime()
    );
  }

  const service = {
    repo,
    ...articleWriter(repo, now),

    /**
     * An article for a reader. Guests (and members) see only what is public now; anything else is a
     * 404 so drafts do not leak even their existence. Editors also see drafts and scheduled ones.
     */
    async read(kind: ArticleKind, slug: string, viewerRole?: Role): Promise<ArticleWithAuthor> {
      const a = await repo.findBySlug(kind, slug);
      if (!a || (!visible(a, now()) && !isEditor(viewerRole))) {
        throw new NotFoundError('article_not_found', 'No such article.');
      }
      return a;
    },
    isPublic: (a: ArticleWithAuthor) => visible(a, now()),

    listPublic: (
      kind: ArticleKind,
      filter: { categoryId?: string; tag?: string; limit: number; offset?: number },
    ) => repo.listPublic(kind, now(), filter),
    categories: (kind?: ArticleKind) => repo.listCategories(kind),
    findCategory: (kind: ArticleKind, slug: string) => repo.findCategory(kind, slug),

    /** The search box (websearch syntax), ranked, with highlighted excerpts. */
    search(q: string, options: { kinds?: ArticleKind[]; limit?: number; offset?: number } = {}) {
      if (!q.trim()) return Promise.resolve([] as SearchHit[]);
      return repo.search(websearchQuery(q), {
        kinds: options.kinds ?? ['kb', 'blog'],
        now: now(),
        limit: Math.min(options.limit ?? 20, 50),
        offset: options.offset,
      });
    },

    /** Knowledge-base articles that may answer free text (a question being typed, a mention). */
    async suggestArticles(text: string, limit = 5): Promise<ArticleSuggestion[]> {
      const query = await informativeQuery(text);
      if (!query) return [];
      const hits = await repo.search(query, { kinds: ['kb'], now: now(), limit: Math.min(limit, 20) });
      return hits.map(toSuggestion);
    },

    /** Articles and blog posts related to a forum topic or another article. */
    async relatedArticles(
      text: string,
      limit = 5,
      options: { excludeId?: string } = {},
    ): Promise<ArticleSuggestion[]> {
      const query = await informativeQuery(text);
      if (!query) return [];
      const hits = await repo.search(query, {
        kinds: ['kb', 'blog'],
        now: now(),
        limit: Math.min(limit, 20),
        excludeId: options.excludeId,
      });
      return hits.map(toSuggestion);
    },

    /** Related articles for an article page (cached per revision for 5 minutes). */
    async relatedTo(a: ArticleWithAuthor, limit = 5): Promise<ArticleSuggestion[]> {
      const key = `${a.id}:${a.revision}:${limit}`;
      const hit = relatedCache.get(key);
      if (hit && Date.now() - hit.at < 300_000) return hit.value;
      const value = await service.relatedArticles(`${a.title} ${a.summary} ${a.tags.join(' ')}`, limit, {
        excludeId: a.id,
      });
      if (relatedCache.size >= 1000) relatedCache.clear();
      relatedCache.set(key, { at: Date.now(), value });
      return value;
    },

    /**
     * A link to a public article, with as much of its summary as fits in maxLength, measured the
     * channel's way (pass the composer's counter; code points by default).
     */
    async articleLinkFor(
      articleId: string,
      maxLength: number,
      options: { measure?: (text: string) => number } = {},
    ): Promise<ArticleLink> {
      const a = await repo.findById(articleId);
      if (!a) throw new NotFoundError('article_not_found', 'No such article.');
      if (!visible(a, now())) {
        throw new InvalidError('article_not_public', 'Only published articles can be linked in replies.');
      }
      const measure = options.measure ?? codePoints;
      const link = url(a);
      const base = { articleId: a.id, title: a.title, url: link };
      const excerptSource = a.summary.trim() || plainText(a.body);
      const titled = `${a.title}: ${link}`;
      if (excerptSource) {
        const room = maxLength - measure(`${a.title}: ${link}`) - 3;
        if (room >= 20) {
          const excerpt = truncateWords(excerptSource, room, measure);
          if (excerpt) {
            const text = `${a.title}: ${excerpt} ${link}`;
            if (measure(text) <= maxLength) return { ...base, text, withExcerpt: true, fits: true };
          }
        }
      }
      if (measure(titled) <= maxLength) return { ...base, text: titled, withExcerpt: false, fits: true };
      return { ...base, text: link, withExcerpt: false, fits: measure(link) <= maxLength };
    },

    async recordArticleLinkUsed(articleId: string, conversationId: string | null): Promise<void> {
      await repo.insertLinkUse(articleId, conversationId);
    },

    /** "Was this helpful?" — one vote per visitor and article (a new vote replaces the old). */
    async vote(
      articleId: string,
      helpful: boolean,
      voter: { cookie?: string; ip: string },
    ): Promise<{ yes: number; no: number }> {
      const a = await repo.findById(articleId);
      if (!a || !visible(a, now())) throw new NotFoundError('article_not_found', 'No such article.');
      const ipHash = hash(`ip:${voter.ip}`);
      const since = new Date(now().getTime() - 3_600_000);
      if ((await repo.votesFromIpSince(ipHash, since)) >= VOTES_PER_IP_PER_HOUR) {
        throw new RateLimitedError('too_many_votes', 'Thanks! You have voted a lot already; try later.');
      }
      const voterKey = voter.cookie ? hash(`c:${voter.cookie}`) : ipHash;
      await repo.upsertVote(articleId, helpful, voterKey, ipHash);
      return repo.voteCounts(articleId);
    },
    voteCounts: (articleId: string) => repo.voteCounts(articleId),

    /** Deflection analytics: helpful votes and link uses per article since a date. */
    stats: (since: Date) => repo.stats(since),

    /** Scheduled articles whose time has come become published (the job; reads do not wait for it). */
    publishDue: () => repo.publishDue(now()),
  };
  return service;
}

export type ArticlesService = ReturnType<typeof articlesService>;

/** The shape of AppContext this needs (kept structural so services do not import the HTTP layer). */
export interface ArticlesContext {
  database: { db: Db };
  config: { baseUrl: string; sessionSecret: string };
}

const cache = new WeakMap<object, ArticlesService>();

/** One articles service per app context: `articlesFor(ctx).suggestArticles(text, 5)`. */
export function articlesFor(ctx: ArticlesContext): ArticlesService {
  let s = cache.get(ctx);
  if (!s) {
    s = articlesService({
      db: ctx.database.db,
      baseUrl: ctx.config.baseUrl,
      secret: ctx.config.sessionSecret,
    });
    cache.set(ctx, s);
  }
  return s;
}
