/**
 * One dead letter in full, over real posts through the real intake and drain: the JSON
 * (`GET /api/pipeline/dead-letters/:id`), the download of its stored post, its page (every field, a
 * hostile post escaped, a long one truncated with a note), retry / discard from the page; 404 / 400;
 * supervisors read, agents are refused.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../test/helpers/app.ts';
import { pipelineTestApp } from './fixtures.test-helper.ts';

let p: Awaited<ReturnType<typeof pipelineTestApp>>;
type H = Awaited<ReturnType<TestApp['signIn']>>;
beforeAll(async () => {
  p = await pipelineTestApp();
});
afterAll(() => p.t.close());

const PAGE = '/app/settings/pipeline';
const API = '/api/pipeline/dead-letters';
const get = (who: H | null, url: string, accept = 'application/json') =>
  p.t.app.inject({ url, headers: { accept, ...(who ? { cookie: who.cookie } : {}) } });
const html = (who: H | null, url: string) => get(who, url, 'text/html');

const HOSTILE = '</pre><script>alert("owned")</script><img src=x onerror=alert(1)> & "quoted"';

/** A post to a channel that does not exist, drained into a dead letter; its id. */
async function deadLetter(over: Record<string, unknown> = {}): Promise<{ id: number; post: object }> {
  const post = { ...p.f.post(randomUUID(), 'mallory', HOSTILE), ...over };
  await p.f.enqueue([post]);
  await p.f.drain();
  const [id] = await p.f.deadLetterIds();
  return { id: id!, post };
}

describe('a dead letter in full', () => {
  it('JSON: every field, the summary and the stored post exactly as kept', async () => {
    const { id, post } = await deadLetter();
    const res = await get(p.supervisor, `${API}/${id}`);
    expect(res.statusCode).toBe(200);
    const { deadLetter: d } = res.json();
    expect(d).toEqual({
      id,
      receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      failedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      error: `unknown channel ${(post as { channelId: string }).channelId}`,
      post: expect.objectContaining({ type: 'object', channelKind: 'x', authorHandle: 'mallory' }),
      payload: post,
    });

    await p.f.enqueue([42]);
    await p.f.drain();
    const [numberId] = await p.f.deadLetterIds();
    expect((await get(p.admin, `${API}/${numberId}`)).json().deadLetter).toMatchObject({
      error: 'not an object',
      post: { type: 'number', channelKind: null },
      payload: 42,
    });
  });

  it('the download: the stored post as an attachment of JSON', async () => {
    const { id, post } = await deadLetter();
    const res = await get(p.supervisor, `${API}/${id}/payload`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="dead-letter-${id}.json"`);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(JSON.parse(res.body)).toEqual(post);
    expect(res.body).toContain('\n  "channelKind": "x"');
  });

  it('404 `dead_letter_not_found` for an unknown id, 400 `invalid_request` for a malformed one', async () => {
    for (const url of [`${API}/999999999`, `${API}/999999999/payload`]) {
      const res = await get(p.admin, url);
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code).toBe('dead_letter_not_found');
    }
    for (const bad of ['abc', '0', '-1', '1.5', '99999999999999999999']) {
      const res = await get(p.admin, `${API}/${bad}`);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().error.code).toBe('invalid_request');
    }
    const page = await html(p.admin, `${PAGE}/dead-letters/999999999`);
    expect(page.statusCode).toBe(404);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('No dead letter 999999999');
    expect((await html(p.admin, `${PAGE}/dead-letters/abc`)).statusCode).toBe(400);
  });

  it('supervisors and admins read; agents are refused, signed-out browsers sent to sign in', async () => {
    const { id } = await deadLetter();
    for (const url of [`${API}/${id}`, `${API}/${id}/payload`]) {
      expect((await get(p.agent, url)).statusCode, url).toBe(403);
      expect((await get(null, url)).statusCode, url).toBe(401);
    }
    expect((await html(p.agent, `${PAGE}/dead-letters/${id}`)).statusCode).toBe(403);
    const signedOut = await html(null, `${PAGE}/dead-letters/${id}`);
    expect(signedOut.statusCode).toBe(303);
    expect(signedOut.headers.location).toMatch(/^\/login\?next=/);
  });
});

describe('the dead letter page', () => {
  it('shows every field and the stored post escaped; the list links to it', async () => {
    const { id, post } = await deadLetter({ externalId: 'ext-<b>1</b>' });
    const list = await html(p.supervisor, PAGE);
    expect(list.body).toContain(`href="${PAGE}/dead-letters/${id}"`);

    const res = await html(p.supervisor, `${PAGE}/dead-letters/${id}`);
    expect(res.statusCode).toBe(200);
    const body = res.body;
    expect(body).toContain(`<h1>Dead letter ${id}</h1>`);
    for (const [term, value] of [
      ['Id', String(id)],
      ['Error', `unknown channel ${(post as { channelId: string }).channelId}`],
      ['Channel kind', 'x'],
      ['Channel id', (post as { channelId: string }).channelId],
      ['Author handle', 'mallory'],
      ['External id', 'ext-&lt;b>1&lt;/b>'],
    ]) {
      expect(body).toContain(`<dt>${term}</dt><dd>${value}</dd>`);
    }
    expect(body).toMatch(/<dt>Arrived<\/dt><dd><time datetime="\d{4}-[^"]+Z">/);
    expect(body).toMatch(/<dt>Failed<\/dt><dd><time datetime=/);
    expect(body).toMatch(/<dt>Stored post<\/dt><dd>a JSON object, [\d,]+ bytes as JSON<\/dd>/);
    // The hostile text is in the <pre> as text: no tag of it survives.
    expect(body).toContain('&lt;/pre>&lt;script>alert(\\&quot;owned\\&quot;)&lt;/script>');
    expect(body).not.toContain('<script>alert');
    expect(body).not.toContain('<img src=x');
    expect(body.match(/<pre/g)).toHaveLength(1);
    expect(body).toContain(`href="${API}/${id}/payload"`);
    expect(body).not.toContain('Truncated');
    expect(body).toContain('only admins retry or discard them');
    expect(body).not.toContain('/retry"');
  });

  it('a stored post over 64 kB: the first 64 kB with a note, the download has all of it', async () => {
    const long = `${'é'.repeat(40_000)}${'x'.repeat(1000)}END`;
    const { id } = await deadLetter({ text: long });
    const res = await html(p.admin, `${PAGE}/dead-letters/${id}`);
    const all = (await get(p.admin, `${API}/${id}/payload`)).body;
    const bytes = Buffer.byteLength(all).toLocaleString('en');
    expect(res.body).toContain(`Truncated: the first 65,536 bytes are shown, ${bytes} bytes in all.`);
    const pre = /<pre class="payload">([^<]*)<\/pre>/.exec(res.body)![1]!.replaceAll('&quot;', '"');
    // 64 kB, less at most one character's bytes (an "é" is not cut in two)
    expect(Buffer.byteLength(pre)).toBeGreaterThan(65_536 - 2);
    expect(Buffer.byteLength(pre)).toBeLessThanOrEqual(65_536);
    expect(all.startsWith(pre)).toBe(true);
    expect(pre).not.toContain('END');
    expect(pre).not.toContain('\uFFFD');
    expect(all).toContain('END');
  });

  it('an admin retries from the page (back to the list with its notice) and discards from it', async () => {
    const channelId = randomUUID();
    const { id } = await deadLetter({ channelId });
    const page = await html(p.admin, `${PAGE}/dead-letters/${id}`);
    expect(page.body).toContain(`action="${PAGE}/dead-letters/${id}/retry"`);
    expect(page.body).toContain(`action="${PAGE}/dead-letters/${id}/discard"`);
    await p.f.connect(channelId);
    const retried = await p.t.postForm(p.admin, `${PAGE}/dead-letters/${id}/retry`);
    expect(retried.statusCode).toBe(303);
    expect(retried.headers.location).toBe(`${PAGE}?done=retried`);
    expect((await p.f.drain()).stored).toBe(1);
    expect((await html(p.admin, `${PAGE}/dead-letters/${id}`)).statusCode).toBe(404);

    const other = await deadLetter();
    const discarded = await p.t.postForm(p.admin, `${PAGE}/dead-letters/${other.id}/discard`);
    expect(discarded.headers.location).toBe(`${PAGE}?done=discarded`);
    expect(await p.f.deadLetterIds()).not.toContain(other.id);
  });
});
