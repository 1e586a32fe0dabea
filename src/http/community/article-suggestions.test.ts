/** Knowledge-base deflection in the forum and the composer: suggestions before posting, related articles. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { communityRepository } from '../../db/repositories/community.ts';
import { articlesFor } from '../../services/articles.ts';

let t: TestApp;
let categoryId: number;
beforeAll(async () => {
  t = await createTestApp();
  categoryId = (
    await communityRepository(t.ctx.database.db).createCategory({
      slug: 'printers',
      name: 'Printers',
      description: 'Help',
    })
  ).id;
  const agent = await t.signIn('agent');
  await articlesFor(t.ctx).create(
    {
      kind: 'kb',
      title: 'Fixing a printer after a firmware update',
      body: 'If your printer stops after a firmware update, hold the power button for ten seconds.',
      status: 'published',
    },
    agent.userId,
  );
});
afterAll(() => t.close());

it('suggests knowledge-base articles while a member writes a question, with and without JavaScript', async () => {
  const json = await t.app.inject({ url: '/community/similar?title=printer%20firmware%20update' });
  expect(json.statusCode).toBe(200);
  expect(json.json().articles).toEqual([
    expect.objectContaining({ title: 'Fixing a printer after a firmware update' }),
  ]);
  const member = await t.signIn('member');
  const page = await t.app.inject({
    url: '/community/new?title=printer%20firmware%20update',
    headers: { cookie: member.cookie },
  });
  expect(page.statusCode).toBe(200);
  expect(page.body).toContain('Fixing a printer after a firmware update');
  expect(page.body).toContain('Knowledge base');
});

it('shows related articles beside a public topic, and offers them in the composer', async () => {
  const mod = await t.signIn('moderator');
  const res = await t.app.inject({
    method: 'POST',
    url: '/community/topics',
    headers: mod,
    payload: { title: 'Printer dead after firmware update', body: 'It will not start.', categoryId },
  });
  expect(res.statusCode).toBeLessThan(300);
  const { topicId } = res.json() as { topicId: number };
  const topic = await t.app.inject({ url: `/community/t/x/${topicId}` });
  const html =
    topic.statusCode === 301 || topic.statusCode === 308
      ? (await t.app.inject({ url: topic.headers.location as string })).body
      : topic.body;
  expect(html).toContain('Related articles');
  expect(html).toContain('Fixing a printer after a firmware update');

  const agent = await t.signIn('agent');
  const composer = await t.app.inject({ url: '/api/composer/articles?q=firmware%20update', headers: agent });
  expect(composer.statusCode).toBe(200);
  expect(composer.json().items[0]).toMatchObject({ title: 'Fixing a printer after a firmware update' });
});
