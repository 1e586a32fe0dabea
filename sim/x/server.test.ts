import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpecValidator, toSpecPath } from '../shared/spec-validator.ts';
import { startXSim, type XSim } from './server.ts';

const spec = SpecValidator.fromFile('x/x-api-v2-openapi.json');
let sim: XSim;

function call(method: string, path: string, body?: unknown, token?: string) {
  return new Promise<{ status: number; headers: Record<string, string>; json: unknown }>(
    (resolve, reject) => {
      const req = request(`${sim.url}${path}`, {
        method,
        ca: sim.ca,
        headers: { authorization: `Bearer ${token ?? sim.bearerToken}`, 'content-type': 'application/json' },
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers as Record<string, string>,
            json: text ? JSON.parse(text) : undefined,
          }),
        );
      });
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    },
  );
}

beforeAll(async () => {
  sim = await startXSim({ heartbeatMs: 50 });
});
afterAll(() => sim.close());

describe('X simulator vs the X API v2 OpenAPI description', () => {
  it('serves every endpoint with spec-valid bodies and rate-limit headers', async () => {
    const root = sim.injectTweet({
      text: 'my parcel is late #help',
      author: { username: 'ann', followers: 42 },
    });
    sim.injectTweet({ text: '@earshot_help the app is broken', author: 'ben', inReplyTo: root.id });
    sim.injectDm({ text: 'can you check order 123?', from: 'ann' });
    const q =
      '?tweet.fields=author_id,created_at,conversation_id,referenced_tweets,lang,public_metrics&expansions=author_id&user.fields=public_metrics,created_at';
    await call(
      'GET',
      `/2/tweets/search/recent${q}&query=${encodeURIComponent('(late OR broken) -is:retweet')}`,
    );
    await call('GET', `/2/tweets/search/recent${q}&query=nomatch`);
    await call('GET', `/2/tweets/search/recent?query=x&max_results=5`); // 400: below 10
    await call('GET', `/2/users/1000/mentions${q}&max_results=5`);
    await call('GET', `/2/users/999999/mentions`);
    await call('GET', `/2/tweets?ids=${root.id},123`);
    await call('GET', '/2/tweets/search/stream/rules');
    await call('POST', '/2/tweets/search/stream/rules', { add: [{ value: 'late', tag: 't' }] });
    await call('GET', '/2/tweets/search/stream/rules');
    const posted = await call('POST', '/2/tweets', {
      text: 'sorry about that',
      reply: { in_reply_to_tweet_id: root.id },
    });
    await call('POST', '/2/tweets', { text: 'x', reply: { in_reply_to_tweet_id: '1' } });
    const id = (posted.json as { data: { id: string } }).data.id;
    await call('DELETE', `/2/tweets/${id}`);
    await call('DELETE', `/2/tweets/${id}`);
    await call(
      'GET',
      '/2/dm_events?dm_event.fields=id,text,event_type,created_at,sender_id,dm_conversation_id,participant_ids&expansions=sender_id',
    );
    await call('POST', `/2/dm_conversations/with/${root.authorId}/messages`, { text: 'we are on it' });
    await call('GET', '/2/tweets/search/recent?query=x', undefined, 'wrong'); // 401
    sim.force429(30, '/2/users/:id/mentions');
    const limited = await call('GET', '/2/users/1000/mentions');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['x-rate-limit-reset'])).toBeGreaterThan(Date.now() / 1000);
    expect(limited.headers['x-rate-limit-remaining']).toBe('0');

    const served = sim.router.served.filter((s) => !s.template.startsWith('/_sim'));
    const statuses = new Set(served.map((s) => s.status));
    expect([...statuses].sort()).toEqual([200, 201, 400, 401, 429]);
    const templates = new Set(served.map((s) => `${s.method} ${s.template}`));
    expect(templates.size).toBe(9);
    for (const s of served) {
      const outcome = spec.validateResponse(toSpecPath(s.template), s.method, s.status, s.body, s.headers);
      expect(outcome.errors, `${s.method} ${s.template} ${s.status}`).toEqual([]);
      if (s.status !== 401) expect(s.headers['x-rate-limit-reset'], s.template).toMatch(/^\d{10}$/);
    }
  });

  it('streams spec-valid lines with keep-alives', async () => {
    const lines: string[] = [];
    const req = request(`${sim.url}/2/tweets/search/stream?tweet.fields=author_id&expansions=author_id`, {
      ca: sim.ca,
      headers: { authorization: `Bearer ${sim.bearerToken}` },
    });
    const got = new Promise<void>((resolve) => {
      req.on('response', (res) => {
        let raw = '';
        res.on('data', (c) => {
          raw += c;
          if (raw.includes('"matching_rules"') && raw.split('\r\n').length > 3) {
            lines.push(...raw.split('\r\n'));
            resolve();
          }
        });
      });
    });
    req.end();
    await new Promise((r) => setTimeout(r, 120));
    sim.injectTweet({ text: 'running late again', author: 'cat' });
    await got;
    req.destroy();
    const data = lines.filter((l) => l.trim());
    expect(data.length).toBeGreaterThan(0);
    expect(lines.filter((l) => l === '').length).toBeGreaterThan(0); // keep-alives
    for (const l of data)
      expect(spec.validateResponse('/2/tweets/search/stream', 'get', 200, JSON.parse(l)).errors).toEqual([]);
  });
});
