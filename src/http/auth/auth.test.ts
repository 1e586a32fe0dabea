import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { openEventBus } from '../../lib/event-bus.ts';
import { SESSION_CACHE_MS } from '../../services/accounts.ts';
import { buildApp } from '../app.ts';
import { buildContext } from '../context.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { EARSHOT_LOGIN_RATE_LIMIT: '3' } });
});
afterAll(() => t.close());

function cookieOf(res: { headers: Record<string, unknown> }, name: string): string | undefined {
  const raw = res.headers['set-cookie'];
  const list = Array.isArray(raw) ? raw : raw ? [String(raw)] : [];
  return list.find((c: string) => c.startsWith(`${name}=`));
}

async function anonymousCsrf() {
  const res = await t.app.inject({ method: 'GET', url: '/api/csrf' });
  const cookie = cookieOf(res, 'es_csrf')!.split(';')[0]!;
  return { cookie, token: res.json().csrfToken as string };
}

describe('password login, sessions and CSRF', () => {
  it('signs in with a form post, sets an HTTP-only session cookie and redirects', async () => {
    await t.ctx.accounts.createUser({
      email: 'ann@example.test',
      displayName: 'Ann',
      role: 'agent',
      password: 'correct horse battery',
    });
    const { cookie, token } = await anonymousCsrf();
    const res = await t.app.inject({
      method: 'POST',
      url: '/login',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `email=ann%40example.test&password=correct+horse+battery&_csrf=${token}&next=%2Fapp`,
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/app');
    const session = cookieOf(res, 'es_session')!;
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { cookie: session.split(';')[0]! },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json().user).toMatchObject({ email: 'ann@example.test', role: 'agent' });
    expect(me.json().user.passwordHash).toBeUndefined();
  });

  it('never follows an off-site next after login', async () => {
    const { cookie, token } = await anonymousCsrf();
    const res = await t.app.inject({
      method: 'POST',
      url: '/login',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `email=ann%40example.test&password=correct+horse+battery&_csrf=${token}&next=%2F%2Fevil.example`,
    });
    expect(res.headers.location).toBe('/app');
  });

  it('rejects a login form without the CSRF token', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'email=ann%40example.test&password=correct+horse+battery',
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('csrf_failed');
    expect(cookieOf(res, 'es_session')).toBeUndefined();
  });

  it('rejects a signed-in state change without the session CSRF token', async () => {
    const admin = await t.signIn('admin');
    const payload = {
      email: 'bob@example.test',
      displayName: 'Bob',
      role: 'agent',
      password: 'bob-password-123',
    };
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: admin.cookie },
      payload,
    });
    expect(bad.statusCode).toBe(403);
    const good = await t.app.inject({ method: 'POST', url: '/api/users', headers: admin, payload });
    expect(good.statusCode).toBe(201);
    expect(good.json().user.email).toBe('bob@example.test');
  });

  it('wrong credentials get 401 with a stable code, then the account is rate limited', async () => {
    await t.ctx.accounts.createUser({
      email: 'cy@example.test',
      displayName: 'Cy',
      role: 'agent',
      password: 'cy-password-123',
    });
    const { cookie, token } = await anonymousCsrf();
    const attempt = () =>
      t.app.inject({
        method: 'POST',
        url: '/login',
        headers: { cookie, 'x-csrf-token': token },
        payload: { email: 'cy@example.test', password: 'nope' },
      });
    for (let i = 0; i < 3; i++) {
      const res = await attempt();
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('invalid_credentials');
    }
    const limited = await attempt();
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('too_many_login_attempts');
    // even the right password waits out the window
    const right = await t.app.inject({
      method: 'POST',
      url: '/login',
      headers: { cookie, 'x-csrf-token': token },
      payload: { email: 'cy@example.test', password: 'cy-password-123' },
    });
    expect(right.statusCode).toBe(429);
  });

  it('roles guard the accounts API', async () => {
    const agent = await t.signIn('agent');
    const res = await t.app.inject({ method: 'GET', url: '/api/users', headers: agent });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('forbidden');
    const anon = await t.app.inject({ method: 'GET', url: '/api/users' });
    expect(anon.statusCode).toBe(401);
  });

  it('logout ends the session', async () => {
    const agent = await t.signIn('agent');
    const out = await t.app.inject({ method: 'POST', url: '/logout', headers: agent });
    expect(out.statusCode).toBe(204);
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: agent });
    expect(me.statusCode).toBe(401);
  });

  it('a logout in one process ends the session in every other process at once, despite their session cache', async () => {
    // A second web process on the same database, with its own bus connection and session cache.
    const config = t.ctx.config;
    const bus = await openEventBus(t.ctx.database.url, t.ctx.database.pool);
    const other = await buildApp(buildContext(config, t.ctx.database, bus), { logger: false });
    try {
      const agent = await t.signIn('agent');
      const me = () => other.inject({ method: 'GET', url: '/api/me', headers: agent });
      expect((await me()).statusCode).toBe(200); // now cached in the other process
      expect((await me()).statusCode).toBe(200);
      const out = await t.app.inject({ method: 'POST', url: '/logout', headers: agent });
      expect(out.statusCode).toBe(204);
      // The revocation travels by NOTIFY, well inside the cache's lifetime.
      const until = Date.now() + SESSION_CACHE_MS / 2;
      let status = 200;
      while (status === 200 && Date.now() < until) {
        status = (await me()).statusCode;
        if (status === 200) await new Promise((r) => setTimeout(r, 20));
      }
      expect(status).toBe(401);
    } finally {
      await other.close();
      await bus.close();
    }
  });

  it('a changed account is re-read at once (email verified while the session is cached)', async () => {
    const member = await t.signIn('member');
    const read = async () =>
      (await t.app.inject({ method: 'GET', url: '/api/me', headers: member })).json().user.emailVerifiedAt ??
      null;
    const before = await read();
    await t.ctx.database.pool.query('UPDATE users SET email_verified_at = NULL WHERE id = $1', [
      member.userId,
    ]);
    expect(await read()).toBe(before); // cached
    await t.ctx.accounts.userChanged(member.userId);
    expect(await read()).toBeNull();
  });
});

describe('HTTP basics', () => {
  it('serves health, readiness and the OpenAPI document', async () => {
    expect((await t.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject('/readyz')).json()).toEqual({ status: 'ready' });
    const doc = (await t.app.inject('/api/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/login', '/api/users', '/api/me']));
    expect((await t.app.inject('/api/docs')).statusCode).toBeLessThan(400);
  });

  it('answers unknown routes, invalid bodies and oversized bodies with stable error codes and no stack', async () => {
    const missing = await t.app.inject('/nope');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('not_found');
    const admin = await t.signIn('admin');
    const invalid = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: admin,
      payload: { email: 'x' },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.code).toBe('invalid_request');
    const huge = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { ...admin, 'content-type': 'application/json' },
      payload: JSON.stringify({ email: 'a'.repeat(2_000_000) }),
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('payload_too_large');
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { ...admin, 'content-type': 'application/json' },
      payload: '{"email":',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.body).not.toMatch(/at .*\.ts:\d+/);
  });

  it('renders the login page without JavaScript and escapes what it echoes', async () => {
    const res = await t.app.inject('/login?next=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('<form method="post" action="/login"');
    expect(res.body).not.toContain('<script>alert(1)</script>');
  });
});
