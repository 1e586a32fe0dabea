/** Article links in sent replies are counted for deflection analytics, whatever way they were inserted. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers/db.ts';
import { usersRepository } from '../db/repositories/users.ts';
import { articleLinkUses } from '../db/schema/index.ts';
import { insertConversation } from '../http/conversations/fixtures.test-helper.ts';
import { articlesService } from './articles.ts';
import { recordArticleLinks } from './outbox.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

it('records each distinct knowledge-base link of a sent reply once, and ignores unknown or foreign links', async () => {
  const author = await usersRepository(db.db).insert({
    email: 'w@example.test',
    displayName: 'W',
    role: 'agent',
    passwordHash: 'x',
  });
  const articles = articlesService({ db: db.db, baseUrl: 'https://help.example', secret: 's' });
  const a = await articles.create(
    { kind: 'kb', title: 'Reset the router', body: 'Hold reset.', status: 'published' },
    author.id,
  );
  const { conversation } = await insertConversation(db.db, { subject: 'Router down' });
  await recordArticleLinks(
    db.db,
    'https://help.example',
    `Try https://help.example/kb/${a.slug} (and again https://help.example/kb/${a.slug}); not https://other.example/kb/${a.slug} nor https://help.example/kb/missing`,
    conversation.id,
  );
  const rows = await db.db.select().from(articleLinkUses);
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ articleId: a.id, conversationId: conversation.id });
});
