/**
 * Forum members: sign-up with email verification (through the mail outbox), community profiles
 * (username, reputation), notifications.
 */
import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import type { PublicUser } from '../db/repositories/users.ts';
import {
  communityEmailTokens,
  communityNotifications,
  communityProfiles,
  communityTopics,
  users,
} from '../db/schema/index.ts';
import { ConflictError, InvalidError } from '../domain/errors.ts';
import type { Mailer } from '../lib/mailer.ts';
import type { AccountsService } from './accounts.ts';
import { cleanDisplayName, validateUsername } from './community-rules.ts';

type ProfileRow = typeof communityProfiles.$inferSelect;

/** The member's community profile; staff and accounts made elsewhere get one on first use. */
export async function ensureProfile(db: Db, user: Pick<PublicUser, 'id' | 'email'>): Promise<ProfileRow> {
  const [found] = await db.select().from(communityProfiles).where(eq(communityProfiles.userId, user.id));
  if (found) return found;
  const base =
    (user.email.split('@')[0] ?? 'member')
      .toLowerCase()
      .replace(/[^a-z0-9_]/g, '_')
      .slice(0, 20) || 'member';
  for (let i = 0; i < 20; i++) {
    const username = i === 0 && base.length >= 3 ? base : `${base}_${randomBytes(2).toString('hex')}`;
    const [row] = await db
      .insert(communityProfiles)
      .values({ userId: user.id, username })
      .onConflictDoNothing()
      .returning();
    if (row) return row;
    const [again] = await db.select().from(communityProfiles).where(eq(communityProfiles.userId, user.id));
    if (again) return again;
  }
  throw new ConflictError('username_unavailable', 'Could not choose a username.');
}

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

export async function signUpMember(
  db: Db,
  deps: { accounts: AccountsService; mailer: Mailer; baseUrl: string },
  input: { email: string; password: string; username: string; displayName: string },
): Promise<PublicUser> {
  const username = validateUsername(input.username);
  const displayName = cleanDisplayName(input.displayName);
  const [taken] = await db
    .select({ id: communityProfiles.userId })
    .from(communityProfiles)
    .where(sql`lower(${communityProfiles.username}) = lower(${username})`);
  if (taken) throw new ConflictError('username_taken', 'This username is taken.');
  const user = await deps.accounts.createUser(
    { email: input.email, password: input.password, displayName, role: 'member' },
    { verified: false },
  );
  await db.insert(communityProfiles).values({ userId: user.id, username });
  await sendVerification(db, deps, user);
  return user;
}

export async function sendVerification(
  db: Db,
  deps: { mailer: Mailer; baseUrl: string },
  user: Pick<PublicUser, 'id' | 'email' | 'displayName'>,
): Promise<void> {
  const token = randomBytes(24).toString('base64url');
  await db.insert(communityEmailTokens).values({
    tokenHash: hash(token),
    userId: user.id,
    purpose: 'verify',
    expiresAt: new Date(Date.now() + 48 * 3_600_000),
  });
  await deps.mailer.send({
    to: user.email,
    subject: 'Confirm your email for the community',
    text: `Hello ${user.displayName},\n\nConfirm your email address to start posting:\n${deps.baseUrl}/community/verify?token=${token}\n\nThe link works for 48 hours. If you did not sign up, ignore this message.\n`,
  });
}

export async function verifyEmail(db: Db, token: string): Promise<string> {
  const now = new Date();
  const [row] = await db
    .update(communityEmailTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(communityEmailTokens.tokenHash, hash(token)),
        isNull(communityEmailTokens.usedAt),
        gt(communityEmailTokens.expiresAt, now),
      ),
    )
    .returning();
  if (!row) throw new InvalidError('invalid_token', 'This confirmation link is invalid or has expired.');
  await db.update(users).set({ emailVerifiedAt: now }).where(eq(users.id, row.userId));
  return row.userId;
}

export async function listNotifications(db: Db, userId: string, limit = 50) {
  return db
    .select({
      n: communityNotifications,
      topicTitle: communityTopics.title,
      topicSlug: communityTopics.slug,
    })
    .from(communityNotifications)
    .leftJoin(communityTopics, eq(communityTopics.id, communityNotifications.topicId))
    .where(eq(communityNotifications.userId, userId))
    .orderBy(desc(communityNotifications.id))
    .limit(limit);
}

export async function unreadCount(db: Db, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(communityNotifications)
    .where(and(eq(communityNotifications.userId, userId), isNull(communityNotifications.readAt)));
  return row?.n ?? 0;
}

export async function markNotificationsRead(db: Db, userId: string): Promise<void> {
  await db
    .update(communityNotifications)
    .set({ readAt: new Date() })
    .where(and(eq(communityNotifications.userId, userId), isNull(communityNotifications.readAt)));
}
