import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';

let t: TestApp;
let admin: Awaited<ReturnType<TestApp['signIn']>>;
const secret = 'page-app-secret-123';
const pageId = '1200';

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signIn('admin');
});
afterAll(async () => {
  await t.close();
});

const headers = () => ({ cookie: admin.cookie, 'x-csrf-token': admin['x-csrf-token'] });
const q = async (sql: string, params: unknown[] = []) => (await t.ctx.database.pool.query(sql, params)).rows;

async function facebookChannel(): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/channels',
    headers: headers(),
    payload: {
      kind: 'facebook',
      name: 'Our page',
      baseUrl: 'http://127.0.0.1:9',
      accountId: pageId,
      credentials: { pageAccessToken: 'tok-SECRET-1', appSecret: secret, verifyToken: 'verify-me' },
    },
  });
  expect(res.statusCode).toBe(201);
  return res.json().channel.id;
}

const delivery = (commentId: string) =>
  JSON.stringify({
    object: 'page',
    entry: [
      {
        id: pageId,
        time: Math.floor(Date.now() / 1000),
        changes: [
          {
            field: 'feed',
            value: {
              from: { id: '2001', name: 'Dana Diaz' },
              message: 'Your delivery is three days late and nobody answers the phone',
              post_id: `${pageId}_77`,
              comment_id: commentId,
              parent_id: `${pageId}_77`,
              created_time: Math.floor(Date.now() / 1000),
              item: 'comment',
              verb: 'add',
            },
          },
        ],
      },
    ],
  });

describe('channels API', () => {
  it('never returns credentials, stores them encrypted, and reports health', async () => {
    const id = await facebookChannel();
    for (const res of [
      await t.app.inject({ method: 'GET', url: '/api/channels', headers: headers() }),
      await t.app.inject({ method: 'GET', url: `/api/channels/${id}`, headers: headers() }),
      await t.app.inject({
        method: 'PATCH',
        url: `/api/channels/${id}`,
        headers: headers(),
        payload: { name: 'Renamed' },
      }),
    ]) {
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain('tok-SECRET-1');
      expect(res.body).not.toContain(secret);
      expect(res.body).not.toContain('credentials');
    }
    const one = (await t.app.inject({ method: 'GET', url: `/api/channels/${id}`, headers: headers() })).json()
      .channel;
    expect(one).toMatchObject({ name: 'Renamed', hasCredentials: true, health: { status: 'never_run' } });
    const [row] = await q('select credentials_enc from channels where id = $1', [id]);
    expect(row.credentials_enc).toMatch(/^v1\./);
    expect(row.credentials_enc).not.toContain('SECRET');
  });

  it('is for admins only', async () => {
    const agent = await t.signIn('agent');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/channels',
      headers: { cookie: agent.cookie, 'x-csrf-token': agent['x-csrf-token'] },
      payload: { kind: 'rss', name: 'x', baseUrl: 'http://127.0.0.1' },
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('webhooks', () => {
  it('answers the verification handshake', async () => {
    const id = await facebookChannel();
    const res = await t.app.inject({
      method: 'GET',
      url: `/webhooks/${id}?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=12345`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('12345');
  });

  it('keeps nothing from a delivery with a bad signature', async () => {
    const id = await facebookChannel();
    const body = delivery(`${pageId}_bad1`);
    const res = await t.app.inject({
      method: 'POST',
      url: `/webhooks/${id}`,
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` },
      payload: body,
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('bad_signature');
    expect(
      await q(`select 1 from inbound_queue where post->>'externalId' = $1`, [`${pageId}_bad1`]),
    ).toHaveLength(0);
    const [row] = await q('select last_error from channels where id = $1', [id]);
    expect(row.last_error).toMatch(/bad_signature/);
    // the failure shows on the admins' channel health page
    const supervisor = await t.signIn('supervisor');
    const page = await t.app.inject({ url: '/app/channels', headers: { cookie: supervisor.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Failing');
    expect(page.body).toContain('bad_signature');
    const agent = await t.signIn('agent');
    expect((await t.app.inject({ url: '/app/channels', headers: { cookie: agent.cookie } })).statusCode).toBe(
      403,
    );
  });

  it('acknowledges a signed delivery into the intake, byte-exact body', async () => {
    const id = await facebookChannel();
    const body = delivery(`${pageId}_good1`);
    const signature = `sha256=${createHmac('sha256', secret).update(Buffer.from(body)).digest('hex')}`;
    const res = await t.app.inject({
      method: 'POST',
      url: `/webhooks/${id}`,
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
      payload: body,
    });
    expect(res.statusCode).toBe(200);
    const queued = await q(`select post from inbound_queue where post->>'externalId' = $1`, [
      `${pageId}_good1`,
    ]);
    expect(queued).toHaveLength(1);
    expect(queued[0].post).toMatchObject({
      channelId: id,
      channelKind: 'facebook',
      author: { externalId: '2001' },
    });
  });
});
