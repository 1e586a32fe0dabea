/** Authors write, save drafts, schedule and publish through plain HTML forms. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

it('an agent writes a draft through the form, guests cannot see it, then publishes it', async () => {
  const agent = await t.signIn('agent');
  const headers = { cookie: agent.cookie, 'content-type': 'application/x-www-form-urlencoded' };
  const created = await t.app.inject({
    method: 'POST',
    url: '/app/articles',
    headers,
    payload: form({
      _csrf: agent['x-csrf-token'],
      kind: 'kb',
      title: 'Resetting your router',
      summary: 'Two steps',
      tags: 'router, reset',
      status: 'draft',
      body: 'Hold the **reset** button for ten seconds. <script>alert(1)</script>',
    }),
  });
  expect(created.statusCode).toBe(303);
  const editUrl = created.headers.location as string;
  expect(editUrl).toMatch(/^\/app\/articles\/[0-9a-f-]{36}\?saved=1$/);
  const edit = await t.app.inject({ url: editUrl, headers: { cookie: agent.cookie } });
  expect(edit.body).toContain('Saved.');
  expect(edit.body).toContain('value="Resetting your router"');

  const list = await t.app.inject({ url: '/app/articles', headers: { cookie: agent.cookie } });
  expect(list.body).toContain('Resetting your router');
  expect((await t.app.inject('/kb/resetting-your-router')).statusCode).toBe(404);

  const id = editUrl.split('/')[3]!.split('?')[0]!;
  const published = await t.app.inject({
    method: 'POST',
    url: `/app/articles/${id}`,
    headers,
    payload: form({
      _csrf: agent['x-csrf-token'],
      title: 'Resetting your router',
      status: 'published',
      body: 'Hold the **reset** button. <script>alert(1)</script>',
    }),
  });
  expect(published.statusCode).toBe(303);
  const pub = await t.app.inject('/kb/resetting-your-router');
  expect(pub.statusCode).toBe(200);
  expect(pub.body).toContain('<strong>reset</strong>');
  expect(pub.body).not.toContain('<script>alert(1)</script>');
});

it('editor pages are for editors only, and a form without its CSRF token is refused', async () => {
  const member = await t.signIn('member');
  expect((await t.app.inject({ url: '/app/articles', headers: { cookie: member.cookie } })).statusCode).toBe(
    403,
  );
  const anon = await t.app.inject({ url: '/app/articles/new', headers: { accept: 'text/html' } });
  expect(anon.statusCode).toBe(303);
  expect(anon.headers.location).toBe('/login?next=%2Fapp%2Farticles%2Fnew');
  const agent = await t.signIn('agent');
  const noToken = await t.app.inject({
    method: 'POST',
    url: '/app/articles',
    headers: { cookie: agent.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: form({ title: 'x', body: 'y' }),
  });
  expect(noToken.statusCode).toBe(403);
});
