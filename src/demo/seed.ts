/**
 * Demo seeding: staff accounts (credentials kept in <dataDir>/demo-credentials.json so a restart
 * prints the same ones), trusted forum members and a forum category, and the X channel pointing
 * at this run's X simulator.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import argon2 from 'argon2';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { type PublicUser, toPublicUser, usersRepository } from '../db/repositories/users.ts';
import { channels, communityCategories, communityProfiles, type Role } from '../db/schema/index.ts';
import type { AppContext } from '../http/context.ts';
import { validateNewUser } from '../services/accounts.ts';
import { channelService } from '../services/channels.ts';
import { DEMO_MEMBERS } from './forum-script.ts';

export const DEMO_DOMAIN = 'demo.earshot';
export const X_CHANNEL_NAME = 'X (demo simulator)';
const SYSTEM_ACTOR = '00000000-0000-0000-0000-000000000000';

export interface DemoCredentials {
  password: string;
  staff: { email: string; role: Role; name: string }[];
}

const STAFF: DemoCredentials['staff'] = [
  { email: `admin@${DEMO_DOMAIN}`, role: 'admin', name: 'Demo Admin' },
  { email: `supervisor@${DEMO_DOMAIN}`, role: 'supervisor', name: 'Sam Supervisor' },
  { email: `alex@${DEMO_DOMAIN}`, role: 'agent', name: 'Alex Agent' },
  { email: `bea@${DEMO_DOMAIN}`, role: 'agent', name: 'Bea Agent' },
  { email: `chris@${DEMO_DOMAIN}`, role: 'agent', name: 'Chris Agent' },
];

function loadCredentials(dataDir: string): DemoCredentials {
  const file = join(dataDir, 'demo-credentials.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DemoCredentials;
  const creds = { password: randomBytes(9).toString('base64url'), staff: STAFF };
  writeFileSync(file, JSON.stringify(creds, null, 2), { mode: 0o600 });
  return creds;
}

/** argon2 is slow on purpose: the demo accounts share one password, so hash it once. */
const hashes = new Map<string, Promise<string>>();
const hashOnce = (password: string) => {
  const known = hashes.get(password);
  if (known) return known;
  const h = argon2.hash(password, { type: argon2.argon2id });
  hashes.set(password, h);
  return h;
};

async function ensureUser(
  ctx: AppContext,
  input: { email: string; role: Role; displayName: string; password: string },
): Promise<PublicUser> {
  const users = usersRepository(ctx.database.db);
  const found = await users.findByEmail(input.email);
  if (found) return toPublicUser(found);
  validateNewUser(input);
  const row = await users.insert({
    email: input.email,
    displayName: input.displayName,
    role: input.role,
    passwordHash: await hashOnce(input.password),
    emailVerifiedAt: new Date(),
  });
  return toPublicUser(row);
}

/** Staff accounts; the shared password is printed by `earshot demo`. */
export async function seedStaff(ctx: AppContext): Promise<DemoCredentials> {
  const creds = loadCredentials(ctx.config.dataDir);
  for (const s of creds.staff)
    await ensureUser(ctx, { email: s.email, role: s.role, displayName: s.name, password: creds.password });
  return creds;
}

/** Verified forum members trusted to post without moderator approval, and the demo category. */
export async function seedForum(ctx: AppContext, password: string) {
  const db: Db = ctx.database.db;
  const members: PublicUser[] = [];
  for (const m of DEMO_MEMBERS) {
    const user = await ensureUser(ctx, {
      email: `${m.username}@${DEMO_DOMAIN}`,
      role: 'member',
      displayName: m.displayName,
      password,
    });
    await db
      .insert(communityProfiles)
      .values({ userId: user.id, username: m.username, approvedPosts: 5 })
      .onConflictDoUpdate({ target: communityProfiles.userId, set: { approvedPosts: 5 } });
    members.push(user);
  }
  let [category] = await db.select().from(communityCategories).where(eq(communityCategories.slug, 'help'));
  category ??= (
    await db
      .insert(communityCategories)
      .values({ slug: 'help', name: 'Help & questions', description: 'Ask the community and our team.' })
      .returning()
  )[0];
  return { members, categoryId: category!.id };
}

/** The X channel for this run's simulator (re-pointed and its cursor reset on a restart). */
export async function seedXChannel(
  ctx: AppContext,
  sim: { url: string; ca: string; bearerToken: string },
  handles: string[],
  pollIntervalSeconds: number,
): Promise<string> {
  const service = channelService({
    database: ctx.database,
    bus: ctx.bus,
    encryptionKey: ctx.config.encryptionKey,
  });
  const input = {
    kind: 'x' as const,
    name: X_CHANNEL_NAME,
    baseUrl: sim.url,
    credentials: { bearerToken: sim.bearerToken, caCert: sim.ca },
    rules: { keywords: [], handles, sources: [] },
    accountId: '1000',
    accountHandle: 'earshot_help',
    enabled: true,
    pollIntervalSeconds,
  };
  const existing = (await service.list()).find((c) => c.kind === 'x' && c.name === X_CHANNEL_NAME);
  if (!existing) return (await service.create(SYSTEM_ACTOR, input)).id;
  await service.update(SYSTEM_ACTOR, existing.id, input);
  await ctx.database.db
    .update(channels)
    .set({ cursor: {}, rateLimit: {}, lastPolledAt: null })
    .where(eq(channels.id, existing.id));
  return existing.id;
}
