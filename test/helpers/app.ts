/** A real Earshot HTTP app over a per-file test database, with helpers to sign in as any role. */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { loadConfig } from '../../src/config/index.ts';
import type { Role } from '../../src/db/schema/index.ts';
import { buildApp, type RouteModule } from '../../src/http/app.ts';
import { type AppContext, buildContext } from '../../src/http/context.ts';
import { type EventBus, openEventBus } from '../../src/lib/event-bus.ts';
import { createTestDatabase } from './db.ts';

/** Fields of a plain HTML form; an array sends the field once per value (checkbox groups). */
export type FormFields = Record<string, string | string[]>;

type SignedIn = { cookie: string; 'x-csrf-token': string };

/** URL-encoded form body, as a browser sends it. */
export function formBody(fields: FormFields): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) q.append(k, one);
  return q.toString();
}

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  bus: EventBus;
  /** Creates a user with the role and returns request headers (cookie + CSRF) for it. */
  signIn(role: Role, email?: string): Promise<{ cookie: string; 'x-csrf-token': string; userId: string }>;
  /** A plain HTML form POST as `who`: its session cookie, and its CSRF token in the body unless `csrf: false`. */
  postForm(
    who: SignedIn,
    url: string,
    fields?: FormFields,
    options?: { csrf?: boolean },
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

let counter = 0;

export async function createTestApp(
  options: { extraRoutes?: RouteModule[]; env?: Record<string, string> } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = loadConfig({
    EARSHOT_SESSION_SECRET: 'test-secret-test-secret-test-secret-0123',
    EARSHOT_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    EARSHOT_DATA_DIR: '/tmp/earshot-test-unused',
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const bus = await openEventBus(database.url, database.pool);
  const ctx = buildContext(config, database, bus);
  const app = await buildApp(ctx, { logger: false, extraRoutes: options.extraRoutes });
  await app.ready();
  return {
    app,
    ctx,
    bus,
    async signIn(role, email = `${role}${++counter}@example.test`) {
      const password = 'a-long-test-password';
      const user = await ctx.accounts.createUser({
        email,
        displayName: `${role} ${counter}`,
        role,
        password,
      });
      const session = await ctx.accounts.login(email, password, '127.0.0.1');
      return { cookie: `es_session=${session.token}`, 'x-csrf-token': session.csrfToken, userId: user.id };
    },
    postForm(who, url, fields = {}, options = {}) {
      return app.inject({
        method: 'POST',
        url,
        headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: formBody({ ...(options.csrf === false ? {} : { _csrf: who['x-csrf-token'] }), ...fields }),
      });
    },
    async close() {
      await app.close();
      await bus.close();
      await database.drop();
    },
  };
}
