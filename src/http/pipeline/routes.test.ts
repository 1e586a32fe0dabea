/**
 * The pipeline API over real posts: status figures, dead letters paged, retried once their channel
 * exists (stored once), discarded, 404 `dead_letter_not_found`; supervisors read, agents get 403.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { pipelineFixture } from './fixtures.test-helper.ts';

let t: TestApp;
let f: ReturnType<typeof pipelineFixture>;
type H = Awaited<ReturnType<TestApp['signIn']>>;
let admin: H;
let supervisor: H;
let agent: H;
beforeAll(async () => {
  t = await createTestApp();
  f = pipelineFixture(t);
  admin = await t.signIn('admin');
  supervisor = await t.signIn('supervisor');
  agent = await t.signIn('agent');
});
afterAll(() => t.close());

const call = (who: H | null, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
  t.app.inject({
    method,
    url,
    headers: who ? { cookie: who.cookie, 'x-csrf-token': who['x-csrf-token'] } : {},
    ...(payload ? { payload } : {}),
  });

describe('pipeline API', () => {
  it('status: queued with the lag, then stored and dead letters after the drain', async () => {
    const channelId = randomUUID();
    await f.connect(channelId);
    await f.enqueue([f.post(channelId), f.post(channelId), f.post(randomUUID())]);
    await f.q(`update inbound_queue set received_at = now() - interval '2 minutes'`);
    const queued = await call(supervisor, 'GET', '/api/pipeline/status');
    expect(queued.statusCode).toBe(200);
    expect(queued.json()).toMatchObject({
      queued: 3,
      queuedCapped: false,
      deadLetters: 0,
      storedLast5Minutes: 0,
    });
    expect(queued.json().lagSeconds).toBeGreaterThanOrEqual(120);
    expect(queued.json().lanes).toHaveLength(4);

    await f.drain();
    const drained = (await call(admin, 'GET', '/api/pipeline/status')).json();
    expect(drained).toMatchObject({
      queued: 0,
      lagSeconds: 0,
      oldestQueuedAt: null,
      deadLetters: 1,
      storedLast5Minutes: 2,
      storedLastHour: 2,
    });
  });

  it('dead letters: newest first, page by page with nextBefore', async () => {
    await f.enqueue(['one', 'two', 'three']);
    await f.drain();
    const ids = await f.deadLetterIds();
    const first = await call(supervisor, 'GET', '/api/pipeline/dead-letters?limit=2');
    expect(first.statusCode).toBe(200);
    const page1 = first.json();
    expect(page1.deadLetters.map((d: { id: number }) => d.id)).toEqual(ids.slice(0, 2));
    expect(page1.deadLetters[0]).toMatchObject({
      error: 'not an object',
      post: { type: 'string', text: null },
    });
    expect(page1.nextBefore).toBe(ids[1]);
    const page2 = (
      await call(supervisor, 'GET', `/api/pipeline/dead-letters?limit=2&before=${ids[1]}`)
    ).json();
    expect(page2.deadLetters.map((d: { id: number }) => d.id)).toEqual(ids.slice(2, 4));
    expect(page2.nextBefore).toBeNull();
    const bad = await call(supervisor, 'GET', '/api/pipeline/dead-letters?limit=500');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('invalid_request');
  });

  it('retry after the channel is connected stores the post exactly once; then the id is unknown', async () => {
    const channelId = randomUUID();
    const p = f.post(channelId);
    await f.enqueue([p]);
    await f.drain();
    const [id] = await f.deadLetterIds();
    await f.connect(channelId);
    const res = await call(admin, 'POST', `/api/pipeline/dead-letters/${id}/retry`);
    expect(res.statusCode).toBe(200);
    expect(res.json().deadLetter).toMatchObject({ id, error: `unknown channel ${channelId}` });
    expect((await f.drain()).stored).toBe(1);
    expect(await f.q('select 1 from posts where external_id = $1', [p.externalId])).toHaveLength(1);
    expect(await f.deadLetterIds()).not.toContain(id);

    const again = await call(admin, 'POST', `/api/pipeline/dead-letters/${id}/retry`);
    expect(again.statusCode).toBe(404);
    expect(again.json().error.code).toBe('dead_letter_not_found');
  });

  it('discard: 204 and audited with the admin; unknown id 404; not a number 400', async () => {
    const [id] = await f.deadLetterIds();
    const res = await call(admin, 'DELETE', `/api/pipeline/dead-letters/${id}`);
    expect(res.statusCode).toBe(204);
    expect(await f.deadLetterIds()).not.toContain(id);
    const [entry] = await f.q(
      `select actor_id, detail from audit_log where action = 'pipeline.dead_letter.discard' and subject_id = $1`,
      [String(id)],
    );
    expect(entry).toMatchObject({ actor_id: admin.userId, detail: { via: 'api' } });
    const gone = await call(admin, 'DELETE', `/api/pipeline/dead-letters/${id}`);
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.code).toBe('dead_letter_not_found');
    expect((await call(admin, 'DELETE', '/api/pipeline/dead-letters/abc')).json().error.code).toBe(
      'invalid_request',
    );
  });

  it('retry-all with an error text queues exactly those again', async () => {
    await f.q('delete from inbound_dead_letters');
    await f.enqueue(['a', 'b', f.post(randomUUID())]);
    await f.drain();
    const res = await call(admin, 'POST', '/api/pipeline/dead-letters/retry-all', { error: 'not an object' });
    expect(res.json()).toEqual({ retried: 2 });
    expect(await f.deadLetterIds()).toHaveLength(1);
    await f.drain();
    expect(await f.deadLetterIds()).toHaveLength(3);
  });

  it('supervisors read but cannot change; agents and signed-out callers cannot read', async () => {
    const [id] = await f.deadLetterIds();
    for (const [method, url] of [
      ['POST', `/api/pipeline/dead-letters/${id}/retry`],
      ['DELETE', `/api/pipeline/dead-letters/${id}`],
      ['POST', '/api/pipeline/dead-letters/retry-all'],
    ] as const) {
      const res = await call(supervisor, method, url, method === 'POST' ? {} : undefined);
      expect(res.statusCode, url).toBe(403);
      expect(res.json().error.code).toBe('forbidden');
    }
    expect(await f.deadLetterIds()).toContain(id);
    for (const url of ['/api/pipeline/status', '/api/pipeline/dead-letters']) {
      expect((await call(agent, 'GET', url)).statusCode).toBe(403);
      expect((await call(null, 'GET', url)).statusCode).toBe(401);
    }
  });

  it('appears in the OpenAPI document', async () => {
    const doc = (await t.app.inject('/api/openapi.json')).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/pipeline/status',
        '/api/pipeline/dead-letters',
        '/api/pipeline/dead-letters/{id}/retry',
        '/api/pipeline/dead-letters/retry-all',
        '/api/pipeline/dead-letters/{id}',
        '/api/pipeline/dead-letters/{id}/payload',
      ]),
    );
    expect(Object.keys(doc.paths).some((p: string) => p.startsWith('/app/settings/pipeline'))).toBe(false);
  });
});
