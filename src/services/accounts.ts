/**
 * Accounts: creating users, password login with rate limiting, sessions. Used by the HTTP layer
 * and the CLI (`earshot user add`).
 */
import { createHash, randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import { type PublicUser, toPublicUser, type UsersRepository } from '../db/repositories/users.ts';
import { ROLES, type Role } from '../db/schema/index.ts';
import { ConflictError, DomainError, InvalidError, RateLimitedError } from '../domain/errors.ts';
import type { EventBus } from '../lib/event-bus.ts';

export const MIN_PASSWORD_LENGTH = 10;
const EMAIL_RE = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

export class AuthError extends DomainError {
  constructor() {
    super('invalid_credentials', 'invalid', 'Email or password is wrong.');
  }
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface NewUser {
  email: string;
  displayName: string;
  role: Role;
  password: string;
}

export function validateNewUser(input: NewUser): void {
  if (!EMAIL_RE.test(input.email) || input.email.length > 254)
    throw new InvalidError('invalid_email', 'Not a valid email address.');
  if (!ROLES.includes(input.role))
    throw new InvalidError('invalid_role', `Role must be one of ${ROLES.join(', ')}.`);
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    throw new InvalidError('weak_password', `Password must be at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
  if (!input.displayName.trim() || input.displayName.length > 100) {
    throw new InvalidError('invalid_name', 'Name must be 1–100 characters.');
  }
}

/** How long a process trusts a session it has looked up (logout and account changes clear it at once). */
export const SESSION_CACHE_MS = 5000;
const SESSION_CACHE_MAX = 20_000;
/** Bus topics that clear cached sessions in every process. */
export const SESSION_REVOKED = 'sessions.revoked';
export const USER_CHANGED = 'users.changed';

type Session = { user: PublicUser; csrfToken: string; tokenHash: string };

export function accountsService(deps: {
  users: UsersRepository;
  sessionTtlHours: number;
  loginRateLimit: number;
  /** Without a bus (CLI), nothing is cached: other processes could not be told about a logout. */
  bus?: EventBus;
}) {
  const { users, bus } = deps;
  // Every request of a signed-in user looks its session up: a few seconds' memory of the answer saves a
  // database round trip per request. A logout or an account change is published on the bus and clears
  // the entries in every process; a cached entry never outlives the session's own expiry.
  const cache = new Map<string, { until: number; session: Session }>();
  const forgetUser = (userId: unknown) => {
    for (const [key, entry] of cache) if (entry.session.user.id === userId) cache.delete(key);
  };
  bus?.subscribe(SESSION_REVOKED, (e) => cache.delete(String(e.tokenHash)));
  bus?.subscribe(USER_CHANGED, (e) => forgetUser(e.userId));
  return {
    userCount: () => users.count(),

    async createUser(input: NewUser, options: { verified?: boolean } = {}): Promise<PublicUser> {
      validateNewUser(input);
      if (await users.findByEmail(input.email))
        throw new ConflictError('email_taken', 'An account with this email exists.');
      const passwordHash = await argon2.hash(input.password, { type: argon2.argon2id });
      const row = await users.insert({
        email: input.email.trim(),
        displayName: input.displayName.trim(),
        role: input.role,
        passwordHash,
        emailVerifiedAt: options.verified === false ? undefined : new Date(),
      });
      return toPublicUser(row);
    },

    /** Checks the rate limit first, so a locked-out account costs no argon2 work. */
    async login(
      email: string,
      password: string,
      ip: string,
      userAgent?: string,
    ): Promise<{ token: string; csrfToken: string; user: PublicUser; expiresAt: Date }> {
      const since = new Date(Date.now() - 15 * 60_000);
      const failures = await users.recentFailures(email, ip, since);
      if (failures.byEmail >= deps.loginRateLimit || failures.byIp >= deps.loginRateLimit * 5) {
        throw new RateLimitedError(
          'too_many_login_attempts',
          'Too many failed logins. Try again in 15 minutes.',
        );
      }
      const user = await users.findByEmail(email);
      const ok =
        user && !user.disabledAt
          ? await argon2.verify(user.passwordHash, password).catch(() => false)
          : false;
      await users.recordLoginAttempt(email, ip, ok);
      if (!user || !ok) throw new AuthError();
      const token = randomBytes(32).toString('base64url');
      const csrfToken = randomBytes(24).toString('base64url');
      const expiresAt = new Date(Date.now() + deps.sessionTtlHours * 3_600_000);
      await users.createSession({
        tokenHash: hashToken(token),
        userId: user.id,
        csrfToken,
        expiresAt,
        userAgent,
      });
      return { token, csrfToken, user: toPublicUser(user), expiresAt };
    },

    async sessionFor(token: string): Promise<Session | undefined> {
      const tokenHash = hashToken(token);
      const now = Date.now();
      const hit = cache.get(tokenHash);
      if (hit && hit.until > now) return hit.session;
      const found = await users.findSession(tokenHash, new Date(now));
      if (!found || found.user.disabledAt) {
        cache.delete(tokenHash);
        return undefined;
      }
      const session = {
        user: toPublicUser(found.user),
        csrfToken: found.session.csrfToken,
        tokenHash: found.session.tokenHash,
      };
      if (bus) {
        if (cache.size >= SESSION_CACHE_MAX) cache.clear();
        cache.set(tokenHash, {
          until: Math.min(now + SESSION_CACHE_MS, found.session.expiresAt.getTime()),
          session,
        });
      }
      return session;
    },

    async logout(token: string): Promise<void> {
      const tokenHash = hashToken(token);
      cache.delete(tokenHash);
      await users.deleteSession(tokenHash);
      await bus?.publish({ topic: SESSION_REVOKED, tokenHash });
    },

    /** An account changed (verified, role, team, disabled): every process re-reads its sessions. */
    async userChanged(userId: string): Promise<void> {
      forgetUser(userId);
      await bus?.publish({ topic: USER_CHANGED, userId });
    },
  };
}

export type AccountsService = ReturnType<typeof accountsService>;
