import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpecValidator, toSpecPath } from '../shared/spec-validator.ts';
import { type DiscourseSim, startDiscourseSim } from './server.ts';

let sim: DiscourseSim;
let spec: SpecValidator;
const auth = { 'api-key': 'sim-api-key', 'api-username': 'earshot_support' };

/** Spec paths for the simulator's route templates. */
function specPath(template: string): string {
  if (template === '/t/:file') return '/t/{id}.json';
  if (template === '/posts/:file') return '/posts/{id}.json';
  return toSpecPath(template);
}

beforeAll(async () => {
  sim = await startDiscourseSim();
  spec = SpecValidator.fromFile('discourse/openapi.json');
  const { topic } = sim.createTopic({
    title: 'Acme router drops wifi',
    author: 'dana',
    raw: 'Since the update my Acme router drops wifi.',
  });
  sim.injectPost({ topicId: topic.id, author: 'finn', raw: 'Same here, acme support?' });
  sim.injectPrivateMessage({
    from: 'dana',
    to: 'earshot_support',
    title: 'About my order number',
    raw: 'Order 77 please',
  });
});
afterAll(() => sim.close());

describe('discourse simulator responses are valid against discourse/openapi.json', () => {
  it('every 200 response served across the read and write endpoints validates', async () => {
    const get = (path: string) => fetch(`${sim.url}${path}`, { headers: auth }).then((r) => r.json());
    await get('/latest.json');
    await get('/posts.json');
    await get('/posts.json?before=2');
    await get('/search.json?q=acme%20router%20order:latest');
    await get('/t/1.json');
    await get('/posts/1.json');
    const reply = await fetch(`${sim.url}/posts.json`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        raw: 'Sorry to hear that! Which firmware?',
        topic_id: 1,
        reply_to_post_number: 2,
      }),
    });
    expect(reply.status).toBe(200);
    const pm = await fetch(`${sim.url}/posts.json`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        raw: 'Could you DM the serial?',
        title: 'Following up on your post',
        archetype: 'private_message',
        target_recipients: 'dana',
      }),
    });
    expect(pm.status).toBe(200);
    const del = await fetch(`${sim.url}/posts/${((await reply.json()) as { id: number }).id}.json`, {
      method: 'DELETE',
      headers: auth,
    });
    expect(del.status).toBe(200);
    const served = sim.router.served.filter((s) => s.status === 200 && s.body !== undefined);
    expect(served.length).toBeGreaterThanOrEqual(8);
    for (const s of served) {
      const outcome = spec.validateResponse(specPath(s.template), s.method, s.status, s.body, s.headers);
      expect(outcome.errors, `${s.method} ${s.template}`).toEqual([]);
    }
  });

  it('the validator does catch a response that breaks the spec', () => {
    const outcome = spec.validateResponse('/posts.json', 'get', 200, { latest_posts: [{ id: 'one' }] });
    expect(outcome.ok).toBe(false);
  });

  it('a wrong key is 403 invalid_access; anonymous readers see public posts but not private messages', async () => {
    const bad = await fetch(`${sim.url}/posts.json`, {
      headers: { 'api-key': 'nope', 'api-username': 'earshot_support' },
    });
    expect(bad.status).toBe(403);
    expect(await bad.json()).toMatchObject({ error_type: 'invalid_access' });
    const anon = (await (await fetch(`${sim.url}/search.json?q=order`)).json()) as { posts: unknown[] };
    expect(anon.posts).toEqual([]);
    const mine = (await (await fetch(`${sim.url}/search.json?q=order`, { headers: auth })).json()) as {
      posts: unknown[];
    };
    expect(mine.posts).toHaveLength(1);
  });

  it('forced 429 carries Retry-After and wait_seconds', async () => {
    sim.force429(1, 7);
    const res = await fetch(`${sim.url}/posts.json`, { headers: auth });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(await res.json()).toMatchObject({ error_type: 'rate_limit', extras: { wait_seconds: 7 } });
  });
});
