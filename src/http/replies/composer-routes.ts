/**
 * Composer helpers: live checks (length as the platform counts it, thread split preview, risk check,
 * spelling), canned replies with variables, knowledge-base links (tolerates a missing articles table),
 * and the admin-edited guideline phrases and canned replies (settings table).
 */

import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { renderCanned } from '../../domain/composer/canned.ts';
import { countLength } from '../../domain/composer/length.ts';
import { createSpellChecker, type SpellChecker } from '../../domain/composer/spellcheck.ts';
import { splitThread } from '../../domain/composer/thread-split.ts';
import { CHANNEL_KINDS, type ChannelKind } from '../../domain/types.ts';
import { articlesFor } from '../../services/articles.ts';
import { loadVisible } from '../../services/conversations.ts';
import { CANNED_KEY, readSetting, riskFindings } from '../../services/replies.ts';
import {
  cannedList,
  composerSettings,
  guidelineList,
  type Item,
  type ListSpec,
} from '../composer-settings/settings.ts';
import type { AppContext } from '../context.ts';
import { actorOf, ok } from '../conversations/respond.ts';
import { requireRole, STAFF_ROLES } from '../plugins/session.ts';

const staff = { preHandler: requireRole(...STAFF_ROLES) };
const admin = { preHandler: requireRole('admin') };
const tags = ['workspace'];

export interface CannedReply {
  id: string;
  title: string;
  body: string;
}

let speller: SpellChecker | undefined;

export function composerRoutes(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.database.db;

  app.post<{ Body: { text: string; channelKind: ChannelKind; split?: boolean } }>(
    '/api/composer/check',
    {
      ...staff,
      schema: {
        tags,
        body: {
          type: 'object',
          required: ['text', 'channelKind'],
          properties: {
            text: { type: 'string', maxLength: 40000 },
            channelKind: { type: 'string', enum: [...CHANNEL_KINDS] },
            split: { type: 'boolean' },
          },
        },
        response: { 200: ok },
      },
    },
    async (req) => {
      const { text, channelKind } = req.body;
      speller ??= createSpellChecker();
      const length = countLength(text, channelKind);
      return {
        length,
        parts: length.valid || !req.body.split ? [text.trim()] : splitThread(text, channelKind),
        risk: await riskFindings(db, text),
        spelling: speller.check(text),
      };
    },
  );

  app.get<{ Querystring: { conversationId: string } }>(
    '/api/composer/canned',
    {
      ...staff,
      schema: {
        tags,
        querystring: {
          type: 'object',
          required: ['conversationId'],
          properties: { conversationId: { type: 'string', format: 'uuid' } },
        },
        response: { 200: ok },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const conv = await loadVisible(db, req.query.conversationId, actor);
      const contact = await db.execute(
        sql`SELECT ct.display_name, ci.handle FROM contacts ct LEFT JOIN contact_identities ci ON ci.contact_id = ct.id
            WHERE ct.id = ${conv.contactId} LIMIT 1`,
      );
      const c = (contact.rows[0] ?? {}) as { display_name?: string; handle?: string };
      const context = {
        customer: { name: c.display_name ?? null, handle: c.handle ?? null },
        agent: { name: actor.name },
        conversation: { id: conv.id, url: `${ctx.config.baseUrl}/app/conversations/${conv.id}` },
        channel: { name: conv.channelKind },
      };
      const items = await readSetting<CannedReply[]>(db, CANNED_KEY, []);
      return {
        items: items.map((r) => {
          try {
            return { ...r, text: renderCanned(r.body, context), missing: [] as string[] };
          } catch (e) {
            const missing = ((e as { details?: { missing?: string[] } }).details?.missing ?? []) as string[];
            return { ...r, text: r.body, missing };
          }
        }),
      };
    },
  );

  app.get<{ Querystring: { q?: string } }>(
    '/api/composer/articles',
    {
      ...staff,
      schema: {
        tags,
        querystring: { type: 'object', properties: { q: { type: 'string', maxLength: 200 } } },
        response: { 200: ok },
      },
    },
    async (req) => {
      const q = (req.query.q ?? '').trim();
      const found = q ? await articlesFor(ctx).suggestArticles(q, 10) : [];
      return {
        available: true,
        items: found.map((a) => ({ id: a.id, title: a.title, url: a.url, summary: a.summary })),
      };
    },
  );

  const lists = composerSettings(db);
  for (const [path, spec] of [
    ['/api/composer/guidelines', guidelineList],
    ['/api/composer/canned-replies', cannedList],
  ] as const) {
    app.get(path, { ...staff, schema: { tags, response: { 200: ok } } }, async () => ({
      items: await readSetting<unknown[]>(db, spec.key, []),
    }));
    // Same rules as the admin page's forms (src/http/composer-settings/settings.ts).
    app.put<{ Body: { items: Record<string, string>[] } }>(
      path,
      {
        ...admin,
        schema: {
          tags,
          body: {
            type: 'object',
            required: ['items'],
            properties: {
              items: {
                type: 'array',
                maxItems: 500,
                items: { type: 'object', additionalProperties: { type: 'string', maxLength: 4000 } },
              },
            },
          },
          response: { 200: ok },
        },
      },
      async (req) => ({
        items: await lists.replaceAll(spec as ListSpec<Item>, req.user!.id, req.body.items),
      }),
    );
  }
}
