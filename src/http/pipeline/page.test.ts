/**
 * /app/settings/pipeline: status figures and dead letters for supervisors (read-only) and admins, whose
 * plain HTML forms retry, retry all with one error, and discard — then a notice; CSRF and roles enforced.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { pipelineFixture } from './fixtures.test-helper.ts';

let t: TestApp;
let f: ReturnType<typeof pipelineFixture>;
type H = Awaited<ReturnType<TestApp['signIn']>>;
let admin: H;
let supervisor: H;
beforeAll(async () => {
  t = await createTestApp();
  f = pipelineFixture(t);
  admin = await t.signIn('admin');
  supervisor = await t.signIn('supervisor');
});
afterAll(() => t.close());

const PAGE = '/app/settings/pipeline';
const show = (who: H, url = PAGE) => t.app.inject({ url, headers: { cookie: who.cookie } });
const post = (who: H, url: string, fields: Record<string, string> = {}, csrf = true) =>
  t.postForm(who, url, fields, { csrf });

it('supervisors see the figures and the dead letters, read-only; the nav links the page', async () => {
  const channelId = randomUUID();
  const missing = randomUUID();
  await f.connect(channelId);
  await f.enqueue([f.post(channelId), f.post(missing, 'mallory', 'Hello <b>there</b>')]);
  await f.drain();
  await f.enqueue([f.post(channelId)]);
  await f.q(`update inbound_queue set received_at = now() - interval '3 minutes 5 seconds'`);

  const res = await show(supervisor);
  expect(res.statusCode).toBe(200);
  expect(res.body).toContain(`<a href="${PAGE}" aria-current="page">Pipeline</a>`);
  expect(res.body).toMatch(/<dt>Queued<\/dt><dd><strong>1<\/strong>/);
  expect(res.body).toMatch(/<dt>Oldest waiting<\/dt><dd><strong>3 min [5-9] s<\/strong>/);
  expect(res.body).toMatch(/<dt>Stored, last 5 minutes<\/dt><dd><strong>1<\/strong>/);
  expect(res.body).toMatch(/<dt>Dead letters<\/dt><dd><strong>1<\/strong>/);
  // Without JavaScript: a Refresh link; with it, the block updates from its island data (pipeline-live.tsx)
  // and the polite live region (empty until the number of dead letters changes).
  expect(res.body).toContain(`Refresh the page for new figures. <a href="${PAGE}">Refresh</a>`);
  expect(res.body).toContain('<script type="application/json" id="island-pipeline-status">{"status":{');
  expect(res.body).toContain(
    '<p id="dead-letters-changed" class="live-change" role="status" aria-live="polite"></p>',
  );
  expect(res.body).toContain(`<td>unknown channel ${missing}</td>`);
  expect(res.body).toContain('x · @mallory · ');
  expect(res.body).toContain('Hello &lt;b');
  expect(res.body).not.toContain('<b>there');
  expect(res.body).toContain('only admins retry or discard them');
  expect(res.body).not.toContain('/retry"');
  expect(res.body).not.toContain('/discard"');

  const [id] = await f.deadLetterIds();
  expect((await post(supervisor, `${PAGE}/dead-letters/${id}/retry`)).statusCode).toBe(403);
  expect((await post(supervisor, `${PAGE}/dead-letters/${id}/discard`)).statusCode).toBe(403);
  expect(await f.deadLetterIds()).toEqual([id]);

  const agent = await t.signIn('agent');
  expect((await show(agent)).statusCode).toBe(403);
  expect((await show(agent, '/app')).body).not.toContain(`href="${PAGE}"`);
  await f.drain();
});

it('an admin retries a dead letter once its channel exists: stored once, a notice; again: already gone', async () => {
  const [id] = await f.deadLetterIds();
  const [row] = await f.q('select post from inbound_dead_letters where id = $1', [id]);
  await f.connect(row!.post.channelId);
  const page = await show(admin);
  expect(page.body).toContain(`action="${PAGE}/dead-letters/${id}/retry"`);

  const res = await post(admin, `${PAGE}/dead-letters/${id}/retry`);
  expect(res.statusCode).toBe(303);
  expect(res.headers.location).toBe(`${PAGE}?done=retried`);
  expect((await show(admin, res.headers.location)).body).toContain('The dead letter was queued again.');
  expect((await f.drain()).stored).toBe(1);
  expect(await f.q('select 1 from posts where external_id = $1', [row!.post.externalId])).toHaveLength(1);

  const again = await post(admin, `${PAGE}/dead-letters/${id}/retry`);
  expect(again.headers.location).toBe(`${PAGE}?done=gone`);
  expect((await show(admin, again.headers.location)).body).toContain(
    'That dead letter was already retried or discarded.',
  );
});

it('an admin discards a dead letter and retries all with one error; a form without CSRF is refused', async () => {
  await f.enqueue(['garbage', 'more garbage', f.post(randomUUID())]);
  await f.drain();
  const ids = await f.deadLetterIds();
  expect(ids).toHaveLength(3);

  const refused = await post(admin, `${PAGE}/dead-letters/${ids[0]}/discard`, {}, false);
  expect(refused.statusCode).toBe(403);
  expect(refused.body).toContain('Security token missing or expired');
  expect(await f.deadLetterIds()).toEqual(ids);

  const discarded = await post(admin, `${PAGE}/dead-letters/${ids[0]}/discard`);
  expect(discarded.headers.location).toBe(`${PAGE}?done=discarded`);
  expect((await show(admin, discarded.headers.location)).body).toContain('The dead letter was discarded.');
  expect(await f.deadLetterIds()).toEqual(ids.slice(1));

  const page = await show(admin);
  expect(page.body).toMatch(/<th scope="row">not an object<\/th><td>2<\/td>/);
  const all = await post(admin, `${PAGE}/retry-all`, { error: 'not an object' });
  expect(all.headers.location).toBe(`${PAGE}?done=retried-all`);
  expect(await f.deadLetterIds()).toEqual([]);
  expect((await f.q('select count(*)::int as n from inbound_queue'))[0]!.n).toBe(2);
  await f.drain();
  expect(await f.deadLetterIds()).toHaveLength(2);
});

it('pages of 50, newest first, with a link to older ones', async () => {
  await f.enqueue(Array.from({ length: 55 }, (_, i) => `junk ${i}`));
  await f.drain();
  const ids = await f.deadLetterIds();
  const first = await show(admin);
  const row = (id: number | undefined) =>
    `<a href="${PAGE}/dead-letters/${id}" aria-label="Dead letter ${id}">${id}</a>`;
  expect(first.body).toContain(row(ids[0]));
  expect(first.body).not.toContain(row(ids[50]));
  const older = `${PAGE}?before=${ids[49]}`;
  expect(first.body).toContain(`href="${older}"`);
  const second = await show(admin, older);
  expect(second.body).toContain(row(ids[50]));
  expect(second.body).toContain(`<a href="${older}">Refresh</a>`);
  expect(second.body).toContain(`href="${PAGE}">Newest dead letters`);
  expect(second.body).not.toContain('Older dead letters');
});
