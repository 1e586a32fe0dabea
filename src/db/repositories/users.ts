import { and, count, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { loginAttempts, type Role, sessions, users } from '../schema/index.ts';

export type UserRow = typeof users.$inferSelect;
export type PublicUser = Omit<UserRow, 'passwordHash'>;

export function toPublicUser(row: UserRow): PublicUser {
  const { passwordHash: _omit, ...rest } = row;
  return rest;
}

export function usersRepository(db: Db) {
  return {
    async count(): Promise<number> {
      const [row] = await db.select({ n: count() }).from(users);
      return row?.n ?? 0;
    },
    async findByEmail(email: string): Promise<UserRow | undefined> {
      const [row] = await db.select().from(users).where(sql`lower(${users.email}) = lower(${email})`);
      return row;
    },
    async findById(id: string): Promise<UserRow | undefined> {
      const [row] = await db.select().from(users).where(eq(users.id, id));
      return row;
    },
    async insert(values: {
      email: string;
      displayName: string;
      role: Role;
      passwordHash: string;
      emailVerifiedAt?: Date;
    }): Promise<UserRow> {
      const [row] = await db.insert(users).values(values).returning();
      return row!;
    },
    async list(): Promise<UserRow[]> {
      return db.select().from(users).orderBy(users.createdAt);
    },
    async createSession(values: typeof sessions.$inferInsert): Promise<void> {
      await db.insert(sessions).values(values);
    },
    async findSession(tokenHash: string, now: Date) {
      const [row] = await db
        .select({ session: sessions, user: users })
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now)));
      return row;
    },
    async deleteSession(tokenHash: string): Promise<void> {
      await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
    },
    async recordLoginAttempt(email: string, ip: string, success: boolean): Promise<void> {
      await db.insert(loginAttempts).values({ email: email.toLowerCase(), ip, success });
    },
    async recentFailures(email: string, ip: string, since: Date): Promise<{ byEmail: number; byIp: number }> {
      const [row] = await db
        .select({
          byEmail:
            sql<number>`count(*) filter (where ${loginAttempts.email} = ${email.toLowerCase()})`.mapWith(
              Number,
            ),
          byIp: sql<number>`count(*) filter (where ${loginAttempts.ip} = ${ip})`.mapWith(Number),
        })
        .from(loginAttempts)
        .where(and(eq(loginAttempts.success, false), gt(loginAttempts.at, since)));
      return row ?? { byEmail: 0, byIp: 0 };
    },
  };
}

export type UsersRepository = ReturnType<typeof usersRepository>;
