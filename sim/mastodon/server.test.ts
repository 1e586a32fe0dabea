import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpecValidator, toSpecPath } from '../shared/spec-validator.ts';
import { type MastodonSim, startMastodonSim } from './server.ts';

const spec = SpecValidator.fromFile('mastodon/mastodon-openapi.json');
let sim: MastodonSim;

const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${sim.accessToken}`, 'content-type': 'application/json', ...headers },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as unknown };
};

beforeAll(async () => {
  sim = await startMastodonSim();
});
afterAll(() => sim.close());

describe('Mastodon simulator vs the Mastodon OpenAPI description', () => {
  it('serves every endpoint with spec-valid bodies and headers', async () => {
    const a = sim.injectStatus({
      text: 'Hey @earshot my #order never arrived',
      author: { username: 'ann', remote: 'social.example', followers: 7 },
    });
    sim.injectStatus({ text: '@earshot this is private', author: 'ben', visibility: 'direct' });
    sim.injectStatus({ text: 'order status page is down', author: 'cat', inReplyTo: a.id });
    await call('GET', '/api/v1/notifications?types[]=mention&limit=1');
    await call('GET', '/api/v2/search?q=order&type=statuses');
    const created = await call(
      'POST',
      '/api/v1/statuses',
      { status: 'Sorry Ann!', in_reply_to_id: a.id },
      { 'Idempotency-Key': 'k1' },
    );
    await call('POST', '/api/v1/statuses', { status: 'x'.repeat(501) });
    const id = (created.json as { id: string }).id;
    await call('GET', `/api/v1/statuses?id[]=${id}&id[]=1`);
    await call('GET', `/api/v1/statuses/${id}`);
    await call('GET', '/api/v1/accounts/1');
    await call('DELETE', `/api/v1/statuses/${id}`);
    await call('DELETE', `/api/v1/statuses/${id}`);
    await call('GET', '/api/v1/notifications', undefined, { authorization: 'Bearer wrong' });
    sim.force429(30);
    const limited = await call('GET', '/api/v1/notifications');
    expect(limited.status).toBe(429);
    expect(Date.parse(limited.headers.get('x-ratelimit-reset') ?? '')).toBeGreaterThan(Date.now());
    sim.state.rateLimit.forcedUntilMs = 0;

    const served = sim.router.served.filter((s) => !s.template.startsWith('/_sim'));
    expect(new Set(served.map((s) => s.status))).toEqual(new Set([200, 401, 404, 422, 429]));
    expect(new Set(served.map((s) => `${s.method} ${s.template}`)).size).toBe(7);
    for (const s of served) {
      const outcome = spec.validateResponse(toSpecPath(s.template), s.method, s.status, s.body, s.headers);
      expect(outcome.errors, `${s.method} ${s.template} ${s.status}`).toEqual([]);
    }
    const notes = served.find((s) => s.template === '/api/v1/notifications' && s.status === 200)!;
    expect(notes.headers.Link).toMatch(/max_id=\d+>; rel="next", <.*min_id=\d+>; rel="prev"/);
  });
});
