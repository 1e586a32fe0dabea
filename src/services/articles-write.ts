/**
 * Writing articles: validation, Markdown rendering (sanitised once, on save), drafts, scheduling,
 * revisions, categories and image uploads.
 */
import { createHash } from 'node:crypto';
import type { ArticlesRepository, ArticleWithAuthor } from '../db/repositories/articles.ts';
import { ARTICLE_KINDS, type ArticleKind, type ArticleStatus, type articles } from '../db/schema/index.ts';
import { ConflictError, InvalidError, NotFoundError } from '../domain/errors.ts';
import { renderArticleMarkdown as renderMarkdown } from './articles-markdown.ts';
import { normaliseTags, SLUG_RE, slugify } from './articles-text.ts';

export const MAX_BODY = 200_000;
export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;
export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;

export interface ArticleInput {
  kind: ArticleKind;
  title: string;
  body: string;
  slug?: string;
  summary?: string;
  categoryId?: string | null;
  tags?: string[];
  /** draft (default), published (now, or at publishAt), scheduled (needs publishAt). */
  status?: 'draft' | 'published' | 'scheduled';
  publishAt?: string | Date | null;
}

export type ArticlePatch = Partial<Omit<ArticleInput, 'kind'>>;

/** Sniffs the real type from the first bytes; the declared type must agree. SVG is never accepted. */
export function sniffImage(
  bytes: Buffer,
): { type: (typeof IMAGE_TYPES)[number]; width?: number; height?: number } | null {
  if (bytes.length >= 24 && bytes.subarray(0, 8).equals(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]))) {
    return { type: 'image/png', width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  }
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
    return { type: 'image/jpeg' };
  const head = bytes.subarray(0, 6).toString('latin1');
  if ((head === 'GIF87a' || head === 'GIF89a') && bytes.length >= 10) {
    return { type: 'image/gif', width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8) };
  }
  if (
    bytes.length >= 12 &&
    bytes.subarray(0, 4).toString('latin1') === 'RIFF' &&
    bytes.subarray(8, 12).toString('latin1') === 'WEBP'
  ) {
    return { type: 'image/webp' };
  }
  return null;
}

function validText(input: { title?: string; body?: string; summary?: string }): void {
  if (input.title !== undefined && (!input.title.trim() || input.title.length > 200)) {
    throw new InvalidError('invalid_title', 'Title must be 1–200 characters.');
  }
  if (input.body !== undefined && input.body.length > MAX_BODY) {
    throw new InvalidError('body_too_long', `Body must be at most ${MAX_BODY} characters.`);
  }
  if (input.summary !== undefined && input.summary.length > 500) {
    throw new InvalidError('summary_too_long', 'Summary must be at most 500 characters.');
  }
}

function parseAt(at: string | Date | null | undefined): Date | null {
  if (at === undefined || at === null || at === '') return null;
  const d = at instanceof Date ? at : new Date(at);
  if (Number.isNaN(d.getTime())) throw new InvalidError('invalid_publish_at', 'publishAt is not a date.');
  return d;
}

/** Status and publish time for a requested state: a past time for `scheduled` means published. */
export function publication(
  status: 'draft' | 'published' | 'scheduled',
  at: Date | null,
  now: Date,
): { status: ArticleStatus; publishAt: Date | null } {
  if (status === 'draft') return { status: 'draft', publishAt: at };
  if (status === 'scheduled' && !at) {
    throw new InvalidError('publish_at_required', 'A scheduled article needs publishAt.');
  }
  const when = at ?? now;
  return { status: when.getTime() > now.getTime() ? 'scheduled' : 'published', publishAt: when };
}

/** The publication state after a patch that touches status and/or publishAt. */
function nextPublication(
  current: { status: ArticleStatus; publishAt: Date | null },
  patch: ArticlePatch,
  now: Date,
): { status: ArticleStatus; publishAt: Date | null } {
  const given = patch.publishAt !== undefined ? parseAt(patch.publishAt) : undefined;
  const live = current.status === 'published' || current.status === 'scheduled';
  const status = patch.status ?? (live ? 'scheduled' : 'draft');
  if (status === 'draft') return { status: 'draft', publishAt: given ?? current.publishAt };
  if (status === 'published') {
    const keep = current.status === 'published' ? current.publishAt : null;
    return publication('published', given ?? keep, now);
  }
  return publication('scheduled', given ?? current.publishAt, now);
}

export function articleWriter(repo: ArticlesRepository, now: () => Date) {
  async function uniqueSlug(kind: ArticleKind, wanted: string, exceptId?: string): Promise<string> {
    let slug = wanted;
    for (let i = 2; await repo.slugTaken(kind, slug, exceptId); i++) slug = `${wanted}-${i}`;
    return slug;
  }

  async function checkCategory(kind: ArticleKind, categoryId: string | null | undefined): Promise<void> {
    if (!categoryId) return;
    const c = await repo.findCategoryById(categoryId);
    if (!c || c.kind !== kind) throw new InvalidError('invalid_category', 'No such category for this kind.');
  }

  async function mustFind(id: string): Promise<ArticleWithAuthor> {
    const a = await repo.findById(id);
    if (!a) throw new NotFoundError('article_not_found', 'No such article.');
    return a;
  }

  return {
    async create(input: ArticleInput, authorId: string): Promise<ArticleWithAuthor> {
      if (!ARTICLE_KINDS.includes(input.kind)) throw new InvalidError('invalid_kind', 'Kind is kb or blog.');
      validText(input);
      if (input.slug !== undefined && !SLUG_RE.test(input.slug)) {
        throw new InvalidError('invalid_slug', 'Slug uses lowercase letters, digits and dashes.');
      }
      await checkCategory(input.kind, input.categoryId);
      if (input.slug && (await repo.slugTaken(input.kind, input.slug))) {
        throw new ConflictError('slug_taken', 'Another article already uses this slug.');
      }
      const slug = input.slug ?? (await uniqueSlug(input.kind, slugify(input.title)));
      const pub = publication(input.status ?? 'draft', parseAt(input.publishAt), now());
      const row = await repo.insert({
        kind: input.kind,
        slug,
        title: input.title.trim(),
        summary: (input.summary ?? '').trim(),
        body: input.body,
        bodyHtml: renderMarkdown(input.body),
        categoryId: input.categoryId ?? null,
        tags: normaliseTags(input.tags ?? []),
        ...pub,
        authorId,
        updatedById: authorId,
      });
      return mustFind(row.id);
    },

    async update(id: string, patch: ArticlePatch, editorId: string): Promise<ArticleWithAuthor> {
      const current = await mustFind(id);
      validText(patch);
      const set: Partial<typeof articles.$inferInsert> = { updatedById: editorId };
      if (patch.slug !== undefined && patch.slug !== current.slug) {
        if (!SLUG_RE.test(patch.slug))
          throw new InvalidError('invalid_slug', 'Slug uses lowercase letters, digits and dashes.');
        if (await repo.slugTaken(current.kind, patch.slug, id)) {
          throw new ConflictError('slug_taken', 'Another article already uses this slug.');
        }
        set.slug = patch.slug;
      }
      if (patch.title !== undefined) set.title = patch.title.trim();
      if (patch.summary !== undefined) set.summary = patch.summary.trim();
      if (patch.body !== undefined) {
        set.body = patch.body;
        set.bodyHtml = renderMarkdown(patch.body);
      }
      if (patch.tags !== undefined) set.tags = normaliseTags(patch.tags);
      if (patch.categoryId !== undefined) {
        await checkCategory(current.kind, patch.categoryId);
        set.categoryId = patch.categoryId;
      }
      if (patch.status !== undefined || patch.publishAt !== undefined) {
        Object.assign(set, nextPublication(current, patch, now()));
      }
      const textChanged =
        (set.title !== undefined && set.title !== current.title) ||
        (set.summary !== undefined && set.summary !== current.summary) ||
        (set.body !== undefined && set.body !== current.body) ||
        (set.tags !== undefined && set.tags.join(',') !== current.tags.join(','));
      await repo.update(id, set, { newRevision: textChanged, editorId });
      return mustFind(id);
    },

    /** Publish now, or schedule for `at` (a future time). */
    publish(id: string, editorId: string, at?: string | Date | null) {
      const when = parseAt(at);
      return this.update(
        id,
        { status: when ? 'scheduled' : 'published', publishAt: when ?? now() },
        editorId,
      );
    },
    unpublish(id: string, editorId: string) {
      return this.update(id, { status: 'draft' }, editorId);
    },
    async archive(id: string, editorId: string): Promise<ArticleWithAuthor> {
      await mustFind(id);
      await repo.update(id, { status: 'archived', updatedById: editorId }, { newRevision: false });
      return mustFind(id);
    },
    async remove(id: string): Promise<void> {
      if (!(await repo.remove(id))) throw new NotFoundError('article_not_found', 'No such article.');
    },
    getForEditor: mustFind,
    listForEditor: repo.list,
    revisions: (id: string) => repo.listRevisions(id),
    async revision(id: string, revision: number) {
      const r = await repo.findRevision(id, revision);
      if (!r) throw new NotFoundError('revision_not_found', 'No such revision.');
      return r;
    },
    /** Restoring makes a new revision with the old text (history is never rewritten). */
    async restoreRevision(id: string, revision: number, editorId: string): Promise<ArticleWithAuthor> {
      const r = await this.revision(id, revision);
      return this.update(id, { title: r.title, summary: r.summary, body: r.body, tags: r.tags }, editorId);
    },

    async createCategory(input: {
      kind: ArticleKind;
      name: string;
      slug?: string;
      description?: string;
      position?: number;
    }) {
      if (!ARTICLE_KINDS.includes(input.kind)) throw new InvalidError('invalid_kind', 'Kind is kb or blog.');
      if (!input.name.trim() || input.name.length > 100)
        throw new InvalidError('invalid_name', 'Name must be 1–100 characters.');
      const slug = input.slug ?? slugify(input.name);
      if (!SLUG_RE.test(slug))
        throw new InvalidError('invalid_slug', 'Slug uses lowercase letters, digits and dashes.');
      if (await repo.findCategory(input.kind, slug))
        throw new ConflictError('slug_taken', 'A category with this slug exists.');
      return repo.insertCategory({
        kind: input.kind,
        slug,
        name: input.name.trim(),
        description: (input.description ?? '').trim(),
        position: input.position ?? 0,
      });
    },

    /** Stores an uploaded image after checking its real type and size; returns its public path. */
    async uploadImage(
      bytes: Buffer,
      declaredType: string,
      uploadedById: string,
    ): Promise<{ id: string; url: string; contentType: string }> {
      if (bytes.length === 0) throw new InvalidError('empty_image', 'The image is empty.');
      if (bytes.length > MAX_IMAGE_BYTES)
        throw new InvalidError('image_too_large', 'Images are limited to 2 MB.');
      const sniffed = sniffImage(bytes);
      if (!sniffed || sniffed.type !== declaredType.split(';')[0]?.trim().toLowerCase()) {
        throw new InvalidError('not_an_image', 'Only PNG, JPEG, GIF and WebP images are accepted.');
      }
      const { id } = await repo.insertImage({
        contentType: sniffed.type,
        bytes,
        size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        width: sniffed.width ?? null,
        height: sniffed.height ?? null,
        uploadedById,
      });
      return { id, url: `/kb/images/${id}`, contentType: sniffed.type };
    },
    image: (id: string) => repo.findImage(id),
  };
}
