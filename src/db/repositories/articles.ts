/** Articles (knowledge base and blog): storage, publication visibility, search, votes and link uses. */
import { and, asc, count, desc, eq, gt, inArray, lte, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import {
  type ArticleKind,
  type ArticleStatus,
  articleCategories,
  articleImages,
  articleLinkUses,
  articleRevisions,
  articles,
  articleVotes,
  users,
} from '../schema/index.ts';

export type ArticleRow = typeof articles.$inferSelect;
export type CategoryRow = typeof articleCategories.$inferSelect;
export type RevisionRow = typeof articleRevisions.$inferSelect;
export type ArticleWithAuthor = ArticleRow & { authorName: string | null; categoryName: string | null };

/** Columns without the tsvector (never sent anywhere). */
const articleColumns = {
  id: articles.id,
  kind: articles.kind,
  slug: articles.slug,
  title: articles.title,
  summary: articles.summary,
  body: articles.body,
  bodyHtml: articles.bodyHtml,
  categoryId: articles.categoryId,
  tags: articles.tags,
  status: articles.status,
  publishAt: articles.publishAt,
  authorId: articles.authorId,
  updatedById: articles.updatedById,
  revision: articles.revision,
  createdAt: articles.createdAt,
  updatedAt: articles.updatedAt,
  search: sql<string | null>`null`,
  authorName: users.displayName,
  categoryName: articleCategories.name,
};

/** The publication rule, checked at read time: a scheduled article is public from its publish_at on. */
export function publiclyVisible(now: Date): SQL {
  return and(inArray(articles.status, ['published', 'scheduled']), lte(articles.publishAt, now)) as SQL;
}

export interface SearchHit {
  id: string;
  kind: ArticleKind;
  slug: string;
  title: string;
  summary: string;
  /** Excerpt with matches wrapped in \u0001 … \u0002 (the page turns them into <mark>). */
  headline: string;
  rank: number;
  publishAt: Date | null;
}

export const HL_START = '\u0001';
export const HL_STOP = '\u0002';

export function articlesRepository(db: Db) {
  const selectWithAuthor = () =>
    db
      .select(articleColumns)
      .from(articles)
      .leftJoin(users, eq(users.id, articles.authorId))
      .leftJoin(articleCategories, eq(articleCategories.id, articles.categoryId));

  return {
    async insert(values: typeof articles.$inferInsert): Promise<ArticleRow> {
      return db.transaction(async (tx) => {
        const [row] = await tx.insert(articles).values(values).returning();
        await tx.insert(articleRevisions).values({
          articleId: row!.id,
          revision: 1,
          title: row!.title,
          summary: row!.summary,
          body: row!.body,
          tags: row!.tags,
          editorId: values.authorId ?? null,
        });
        return row!;
      });
    },

    /** Updates the article; when the text changed, stores a new revision in the same transaction. */
    async update(
      id: string,
      values: Partial<typeof articles.$inferInsert>,
      options: { newRevision: boolean; editorId?: string },
    ): Promise<ArticleRow | undefined> {
      return db.transaction(async (tx) => {
        const set = { ...values, updatedAt: new Date() } as Partial<typeof articles.$inferInsert>;
        if (options.newRevision) set.revision = sql`${articles.revision} + 1` as unknown as number;
        const [row] = await tx.update(articles).set(set).where(eq(articles.id, id)).returning();
        if (row && options.newRevision) {
          await tx.insert(articleRevisions).values({
            articleId: row.id,
            revision: row.revision,
            title: row.title,
            summary: row.summary,
            body: row.body,
            tags: row.tags,
            editorId: options.editorId ?? null,
          });
        }
        return row;
      });
    },

    async remove(id: string): Promise<boolean> {
      const rows = await db.delete(articles).where(eq(articles.id, id)).returning({ id: articles.id });
      return rows.length > 0;
    },

    async findById(id: string): Promise<ArticleWithAuthor | undefined> {
      const [row] = await selectWithAuthor().where(eq(articles.id, id));
      return row;
    },

    async findBySlug(kind: ArticleKind, slug: string): Promise<ArticleWithAuthor | undefined> {
      const [row] = await selectWithAuthor().where(and(eq(articles.kind, kind), eq(articles.slug, slug)));
      return row;
    },

    async slugTaken(kind: ArticleKind, slug: string, exceptId?: string): Promise<boolean> {
      const [row] = await db
        .select({ id: articles.id })
        .from(articles)
        .where(and(eq(articles.kind, kind), eq(articles.slug, slug)));
      return Boolean(row && row.id !== exceptId);
    },

    /** Public listing, newest first. */
    async listPublic(
      kind: ArticleKind,
      now: Date,
      filter: { categoryId?: string; tag?: string; limit: number; offset?: number },
    ): Promise<ArticleWithAuthor[]> {
      const where = [eq(articles.kind, kind), publiclyVisible(now)];
      if (filter.categoryId) where.push(eq(articles.categoryId, filter.categoryId));
      if (filter.tag) where.push(sql`${articles.tags} @> array[${filter.tag}]::text[]`);
      return selectWithAuthor()
        .where(and(...where))
        .orderBy(desc(articles.publishAt))
        .limit(filter.limit)
        .offset(filter.offset ?? 0);
    },

    async list(filter: {
      kind?: ArticleKind;
      status?: ArticleStatus;
      limit: number;
      offset?: number;
    }): Promise<ArticleWithAuthor[]> {
      const where: SQL[] = [];
      if (filter.kind) where.push(eq(articles.kind, filter.kind));
      if (filter.status) where.push(eq(articles.status, filter.status));
      return selectWithAuthor()
        .where(where.length ? and(...where) : undefined)
        .orderBy(desc(articles.updatedAt))
        .limit(filter.limit)
        .offset(filter.offset ?? 0);
    },

    /** Scheduled articles whose time has come become published; returns them. */
    async publishDue(now: Date): Promise<{ id: string; kind: ArticleKind; slug: string }[]> {
      return db
        .update(articles)
        .set({ status: 'published' })
        .where(and(eq(articles.status, 'scheduled'), lte(articles.publishAt, now)))
        .returning({ id: articles.id, kind: articles.kind, slug: articles.slug });
    },

    /**
     * Ranked full-text search. `tsquery` is an SQL expression (websearch_to_tsquery of the user's
     * words, or an OR of words for suggestions).
     */
    async search(
      tsquery: SQL,
      options: { kinds: ArticleKind[]; now: Date; limit: number; offset?: number; excludeId?: string },
    ): Promise<SearchHit[]> {
      const q = tsquery;
      const where = [
        inArray(articles.kind, options.kinds),
        publiclyVisible(options.now),
        sql`${articles.search} @@ ${q}`,
      ];
      if (options.excludeId) where.push(sql`${articles.id} <> ${options.excludeId}`);
      const rows = await db
        .select({
          id: articles.id,
          kind: articles.kind,
          slug: articles.slug,
          title: articles.title,
          summary: articles.summary,
          publishAt: articles.publishAt,
          rank: sql<number>`ts_rank(${articles.search}, ${q}, 1)`.mapWith(Number),
        })
        .from(articles)
        .where(and(...where))
        .orderBy(sql`ts_rank(${articles.search}, ${q}, 1) desc`, desc(articles.publishAt))
        .limit(options.limit)
        .offset(options.offset ?? 0);
      if (rows.length === 0) return [];
      // Headlines only for the page of hits (ts_headline re-parses the body: keep it off the candidate set).
      const heads = await db
        .select({
          id: articles.id,
          headline: sql<string>`ts_headline('english', ${articles.body}, ${tsquery},
            ${`StartSel=${HL_START}, StopSel=${HL_STOP}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "`})`,
        })
        .from(articles)
        .where(
          inArray(
            articles.id,
            rows.map((r) => r.id),
          ),
        );
      const byId = new Map(heads.map((h) => [h.id, h.headline]));
      return rows.map((r) => ({ ...r, headline: byId.get(r.id) ?? r.summary }));
    },

    /** Lexemes of free text (English stemming), for building suggestion queries. */
    async lexemes(text: string): Promise<string[]> {
      const res = await db.execute<{ l: string }>(
        sql`select unnest(tsvector_to_array(to_tsvector('english', ${text.slice(0, 4000)}))) as l`,
      );
      return res.rows.map((r) => r.l);
    },

    /** Share of articles containing each frequent lexeme, from PostgreSQL's ANALYZE statistics. */
    async frequentLexemes(): Promise<{ rows: number; share: Map<string, number> }> {
      const res = await db.execute<{ elems: string[] | null; freqs: number[] | null; rows: number }>(sql`
        select (select most_common_elems::text::text[] from pg_stats
                 where tablename = 'articles' and attname = 'search' limit 1) as elems,
               (select most_common_elem_freqs from pg_stats
                 where tablename = 'articles' and attname = 'search' limit 1) as freqs,
               greatest((select reltuples from pg_class where relname = 'articles'), 0)::float8 as rows`);
      const row = res.rows[0];
      const share = new Map<string, number>();
      const freqs = (row?.freqs ?? []).map(Number);
      for (const [i, e] of (row?.elems ?? []).entries()) share.set(e, freqs[i] ?? 0);
      return { rows: Number(row?.rows ?? 0), share };
    },

    // Categories
    listCategories: (kind?: ArticleKind): Promise<CategoryRow[]> =>
      db
        .select()
        .from(articleCategories)
        .where(kind ? eq(articleCategories.kind, kind) : undefined)
        .orderBy(asc(articleCategories.position), asc(articleCategories.name)),
    async findCategory(kind: ArticleKind, slug: string): Promise<CategoryRow | undefined> {
      const [row] = await db
        .select()
        .from(articleCategories)
        .where(and(eq(articleCategories.kind, kind), eq(articleCategories.slug, slug)));
      return row;
    },
    async findCategoryById(id: string): Promise<CategoryRow | undefined> {
      const [row] = await db.select().from(articleCategories).where(eq(articleCategories.id, id));
      return row;
    },
    async insertCategory(values: typeof articleCategories.$inferInsert): Promise<CategoryRow> {
      const [row] = await db.insert(articleCategories).values(values).returning();
      return row!;
    },

    // Revisions
    listRevisions: (articleId: string) =>
      db
        .select({
          revision: articleRevisions.revision,
          title: articleRevisions.title,
          editorId: articleRevisions.editorId,
          editorName: users.displayName,
          createdAt: articleRevisions.createdAt,
        })
        .from(articleRevisions)
        .leftJoin(users, eq(users.id, articleRevisions.editorId))
        .where(eq(articleRevisions.articleId, articleId))
        .orderBy(desc(articleRevisions.revision)),
    async findRevision(articleId: string, revision: number): Promise<RevisionRow | undefined> {
      const [row] = await db
        .select()
        .from(articleRevisions)
        .where(and(eq(articleRevisions.articleId, articleId), eq(articleRevisions.revision, revision)));
      return row;
    },

    // Images
    async insertImage(values: typeof articleImages.$inferInsert): Promise<{ id: string }> {
      const [row] = await db.insert(articleImages).values(values).returning({ id: articleImages.id });
      return row!;
    },
    async findImage(id: string) {
      const [row] = await db
        .select({
          contentType: articleImages.contentType,
          bytes: articleImages.bytes,
          sha256: articleImages.sha256,
        })
        .from(articleImages)
        .where(eq(articleImages.id, id));
      return row;
    },

    // Helpful votes
    async votesFromIpSince(ipHash: string, since: Date): Promise<number> {
      const [row] = await db
        .select({ n: count() })
        .from(articleVotes)
        .where(and(eq(articleVotes.ipHash, ipHash), gt(articleVotes.at, since)));
      return row?.n ?? 0;
    },
    async upsertVote(articleId: string, helpful: boolean, voterKey: string, ipHash: string): Promise<void> {
      await db
        .insert(articleVotes)
        .values({ articleId, helpful, voterKey, ipHash })
        .onConflictDoUpdate({
          target: [articleVotes.articleId, articleVotes.voterKey],
          set: { helpful, at: new Date() },
        });
    },
    async voteCounts(articleId: string): Promise<{ yes: number; no: number }> {
      const [row] = await db
        .select({
          yes: sql<number>`count(*) filter (where ${articleVotes.helpful})`.mapWith(Number),
          no: sql<number>`count(*) filter (where not ${articleVotes.helpful})`.mapWith(Number),
        })
        .from(articleVotes)
        .where(eq(articleVotes.articleId, articleId));
      return row ?? { yes: 0, no: 0 };
    },

    // Link uses in replies
    async insertLinkUse(articleId: string, conversationId: string | null): Promise<void> {
      await db.insert(articleLinkUses).values({ articleId, conversationId });
    },

    /** Per-article helpful votes and link uses since a date (deflection analytics). */
    async stats(since: Date) {
      const rows = await db.execute<{
        id: string;
        kind: ArticleKind;
        slug: string;
        title: string;
        helpful_yes: number;
        helpful_no: number;
        link_uses: number;
        conversations: number;
      }>(sql`
        select a.id, a.kind, a.slug, a.title,
          coalesce(v.yes, 0)::int as helpful_yes, coalesce(v.no, 0)::int as helpful_no,
          coalesce(l.uses, 0)::int as link_uses, coalesce(l.convs, 0)::int as conversations
        from ${articles} a
        left join (
          select article_id, count(*) filter (where helpful) as yes, count(*) filter (where not helpful) as no
          from ${articleVotes} where at >= ${since} group by article_id
        ) v on v.article_id = a.id
        left join (
          select article_id, count(*) as uses, count(distinct conversation_id) as convs
          from ${articleLinkUses} where at >= ${since} group by article_id
        ) l on l.article_id = a.id
        where v.article_id is not null or l.article_id is not null
        order by coalesce(l.uses, 0) + coalesce(v.yes, 0) desc, a.title`);
      return rows.rows.map((r) => ({
        articleId: r.id,
        kind: r.kind,
        slug: r.slug,
        title: r.title,
        helpfulYes: Number(r.helpful_yes),
        helpfulNo: Number(r.helpful_no),
        linkUses: Number(r.link_uses),
        conversations: Number(r.conversations),
      }));
    },
  };
}

export type ArticlesRepository = ReturnType<typeof articlesRepository>;
