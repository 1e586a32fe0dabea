/** Articles service over a real database: search ranking on a fixture, suggestions, links, publishing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers/db.ts';
import { HL_START } from '../db/repositories/articles.ts';
import { usersRepository } from '../db/repositories/users.ts';
import { runPublishScheduled } from '../jobs/publish-scheduled.ts';
import { type ArticlesService, articlesService } from './articles.ts';

const FIXTURE = [
  {
    key: 'reset',
    title: 'How to reset your password',
    summary: 'Forgot your password? Reset it from the sign-in page.',
    tags: ['account', 'password'],
    body: 'Open the sign-in page, choose **Forgot password** and follow the link we email you.',
  },
  {
    key: 'twofa',
    title: 'Turn on two-factor authentication',
    summary: 'Protect your account with a second step.',
    tags: ['account', 'security'],
    body: 'Two-factor authentication asks for a code after your password. Keep your recovery codes safe.',
  },
  {
    key: 'refund',
    title: 'Refunds and returns',
    summary: 'How refunds work for orders and subscriptions.',
    tags: ['billing'],
    body: 'Request a refund within 30 days. Refunds go back to the original payment method in 5–10 days.',
  },
  {
    key: 'invoice',
    title: 'Download an invoice',
    summary: 'Invoices for every payment.',
    tags: ['billing'],
    body: 'Invoices are under Billing. A refund creates a credit note, not a new invoice.',
  },
  {
    key: 'shipping',
    title: 'Shipping times',
    summary: 'When your order arrives.',
    tags: ['orders'],
    body: 'Orders ship within two business days. Tracking links arrive by email.',
  },
] as const;

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let svc: ArticlesService;
let clock = new Date('2026-03-01T10:00:00Z');
let authorId: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  db = await createTestDatabase();
  svc = articlesService({ db: db.db, baseUrl: 'https://help.example', secret: 's', now: () => clock });
  const author = await usersRepository(db.db).insert({
    email: 'writer@example.test',
    displayName: 'Wren Writer',
    role: 'agent',
    passwordHash: 'x',
  });
  authorId = author.id;
  for (const f of FIXTURE) {
    const { key, ...input } = f;
    const a = await svc.create(
      { ...input, tags: [...input.tags], kind: 'kb', status: 'published' },
      authorId,
    );
    ids[key] = a.id;
  }
  const draft = await svc.create(
    { kind: 'kb', title: 'Password policy (draft)', body: 'password password password', status: 'draft' },
    authorId,
  );
  ids.draft = draft.id;
});

afterAll(async () => {
  await db?.drop();
});

describe('search ranking', () => {
  it('ranks a title match above body mentions, and never returns drafts', async () => {
    const hits = await svc.search('password');
    expect(hits.map((h) => h.id)).not.toContain(ids.draft);
    expect(hits[0]?.id).toBe(ids.reset);
    expect(hits.map((h) => h.id)).toContain(ids.twofa);
    expect(hits[0]!.rank).toBeGreaterThan(hits[1]!.rank);
  });

  it('stems words and highlights the match in an excerpt', async () => {
    const hits = await svc.search('refunded');
    expect(hits[0]?.id).toBe(ids.refund);
    expect(hits[0]?.headline).toContain(`${HL_START}Refund`);
    expect(hits.map((h) => h.id)).toEqual([ids.refund, ids.invoice]);
  });

  it('supports web search syntax: phrases and exclusion', async () => {
    expect((await svc.search('"credit note"')).map((h) => h.id)).toEqual([ids.invoice]);
    expect((await svc.search('refund -invoice')).map((h) => h.id)).toEqual([ids.refund]);
    expect(await svc.search('   ')).toEqual([]);
  });

  it('filters by type', async () => {
    expect(await svc.search('password', { kinds: ['blog'] })).toEqual([]);
  });
});

describe('suggestions and links', () => {
  it('suggests articles for a member question typed in natural language', async () => {
    const s = await svc.suggestArticles('Hi! I forgot my password and cannot sign in, what do I do??', 3);
    expect(s[0]?.id).toBe(ids.reset);
    expect(s[0]?.url).toBe('https://help.example/kb/how-to-reset-your-password');
    expect(await svc.suggestArticles('!!! ??', 3)).toEqual([]);
  });

  it('finds related articles and can exclude the current one', async () => {
    const r = await svc.relatedArticles('refund invoice billing', 5, { excludeId: ids.invoice });
    expect(r.map((a) => a.id)).toContain(ids.refund);
    expect(r.map((a) => a.id)).not.toContain(ids.invoice);
  });

  it('fits a link with an excerpt to the channel length, falling back to title and URL', async () => {
    const long = await svc.articleLinkFor(ids.reset!, 280);
    expect(long.withExcerpt).toBe(true);
    expect(long.text).toContain('How to reset your password: Forgot your password?');
    expect(long.text.endsWith(long.url)).toBe(true);
    expect([...long.text].length).toBeLessThanOrEqual(280);

    const short = await svc.articleLinkFor(ids.reset!, 90);
    expect(short.text).toBe(`How to reset your password: ${short.url}`);
    // X counts every URL as 23 characters: the composer passes its own counter.
    const x = await svc.articleLinkFor(ids.reset!, 80, {
      measure: (t) => t.replace(/https?:\/\/\S+/g, 'x'.repeat(23)).length,
    });
    expect(x.withExcerpt).toBe(true);
    const bare = await svc.articleLinkFor(ids.reset!, 10);
    expect(bare).toMatchObject({ text: bare.url, fits: false });
    await expect(svc.articleLinkFor(ids.draft!, 280)).rejects.toMatchObject({ code: 'article_not_public' });
  });

  it('records link uses and helpful votes for deflection analytics', async () => {
    await svc.recordArticleLinkUsed(ids.refund!, null);
    await svc.recordArticleLinkUsed(ids.refund!, null);
    await svc.vote(ids.refund!, true, { cookie: 'a', ip: '10.0.0.1' });
    await svc.vote(ids.refund!, false, { cookie: 'b', ip: '10.0.0.2' });
    // the same visitor changing their mind replaces the vote
    expect(await svc.vote(ids.refund!, true, { cookie: 'b', ip: '10.0.0.2' })).toEqual({ yes: 2, no: 0 });
    const stats = await svc.stats(new Date(0));
    expect(stats.find((s) => s.articleId === ids.refund)).toMatchObject({
      linkUses: 2,
      helpfulYes: 2,
      helpfulNo: 0,
    });
  });
});

describe('publishing', () => {
  it('a scheduled article is public from its time on, before and after the job runs', async () => {
    const at = new Date(clock.getTime() + 60_000);
    const a = await svc.create(
      { kind: 'blog', title: 'Spring launch', body: 'New things.', status: 'scheduled', publishAt: at },
      authorId,
    );
    expect(a.status).toBe('scheduled');
    await expect(svc.read('blog', a.slug)).rejects.toMatchObject({ code: 'article_not_found' });
    expect((await svc.read('blog', a.slug, 'agent')).id).toBe(a.id);
    expect(await svc.listPublic('blog', { limit: 10 })).toEqual([]);

    clock = new Date(at.getTime() + 1);
    expect((await svc.read('blog', a.slug)).id).toBe(a.id);
    expect((await svc.listPublic('blog', { limit: 10 })).map((p) => p.id)).toEqual([a.id]);
    expect(await runPublishScheduled(db.db, clock)).toEqual({ published: 1 });
    expect((await svc.getForEditor(a.id)).status).toBe('published');
  });

  it('keeps revisions and restores an old one as a new revision', async () => {
    const a = await svc.create({ kind: 'kb', title: 'Rev test', body: 'first' }, authorId);
    await svc.update(a.id, { body: 'second' }, authorId);
    await svc.update(a.id, { tags: [] }, authorId); // no text change: no revision
    const restored = await svc.restoreRevision(a.id, 1, authorId);
    expect(restored.body).toBe('first');
    expect(restored.revision).toBe(3);
    expect((await svc.revisions(a.id)).map((r) => r.revision)).toEqual([3, 2, 1]);
  });
});
