/**
 * Agents' availability for automatic assignment (`users.online`) and their assignment settings
 * (capacity, skills, team). An agent marks themselves available or away (the app's header, the API);
 * signing out, or the last session expiring, makes them away. Every change is written with an audit_log
 * entry in the same transaction and clears cached sessions in every process (accounts.userChanged).
 * Becoming available, or getting more room, assigns the waiting backlog (src/services/assignment-backlog.ts).
 * Settings are changed through updateAgentSettings by both the API and the Agents page (/app/settings/agents).
 */
import { and, asc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { type PublicUser, toPublicUser } from '../db/repositories/users.ts';
import { type Role as AccountRole, auditLog, users } from '../db/schema/index.ts';
import {
  type AgentSettings,
  ASSIGNABLE_ROLES,
  takesConversations,
  validateAgentSettings,
} from '../domain/assignment.ts';
import { InvalidError, NotFoundError } from '../domain/errors.ts';
import { type Actor, canManageUsers, requirePermission } from '../domain/roles.ts';
import type { AccountsService } from './accounts.ts';
import { assignWholeBacklog, type BacklogAssignment } from './assignment-backlog.ts';

/** Why availability changed: the agent's own toggle, signing out, or no session left. */
export type AvailabilityReason = 'agent' | 'sign_out' | 'session_expired';

export interface AvailabilityChange {
  user: PublicUser;
  /** Conversations from the backlog assigned (to anyone) because of this change. */
  assigned: BacklogAssignment[];
}

/** An account that takes conversations, with its load as automatic assignment counts it. */
export interface AgentOverview {
  user: PublicUser;
  /** Open conversations assigned (new, open, waiting on the customer), as in src/pipeline/assign.ts. */
  load: number;
}

export function availabilityService(deps: { database: Database; accounts: AccountsService }) {
  const { db } = deps.database;
  return {
    /** The enabled accounts that take conversations, by name, with their current load. */
    async agents(): Promise<AgentOverview[]> {
      const rows = await db
        .select({
          user: users,
          load: sql<number>`(select count(*) from conversations c
              where c.assignee_id = users.id and c.status in ('new', 'open', 'waiting_on_customer'))::int`,
        })
        .from(users)
        .where(and(inArray(users.role, ASSIGNABLE_ROLES as AccountRole[]), isNull(users.disabledAt)))
        .orderBy(asc(sql`lower(${users.displayName})`), asc(users.createdAt));
      return rows.map((r) => ({ user: toPublicUser(r.user), load: r.load }));
    },

    /** Sets the actor's own availability; audited only when it changes. */
    async setOnline(
      actor: Actor,
      online: boolean,
      reason: AvailabilityReason = 'agent',
    ): Promise<AvailabilityChange> {
      requirePermission(takesConversations(actor.role), 'mark themselves available', actor);
      const changed = await db.transaction(async (tx) => {
        const [row] = await tx
          .update(users)
          .set({ online })
          .where(and(eq(users.id, actor.id), ne(users.online, online)))
          .returning();
        if (row) {
          await tx.insert(auditLog).values({
            actorId: actor.id,
            action: 'user.availability',
            subjectType: 'user',
            subjectId: actor.id,
            detail: { online, reason },
          });
        }
        return row;
      });
      const row = changed ?? (await db.select().from(users).where(eq(users.id, actor.id)))[0];
      if (!row) throw new NotFoundError('user_not_found', 'No such account.');
      if (!changed) return { user: toPublicUser(row), assigned: [] };
      await deps.accounts.userChanged(actor.id);
      const assigned = online ? await assignWholeBacklog(deps.database) : [];
      return { user: toPublicUser(row), assigned };
    },

    /** A supervisor or admin switches their own SLA escalation e-mails on or off. */
    async setSlaEmail(actor: Actor, slaEmail: boolean): Promise<PublicUser> {
      requirePermission(
        actor.role === 'admin' || actor.role === 'supervisor',
        'choose SLA escalation e-mails',
        actor,
      );
      const [row] = await db.update(users).set({ slaEmail }).where(eq(users.id, actor.id)).returning();
      if (!row) throw new NotFoundError('user_not_found', 'No such account.');
      await deps.accounts.userChanged(actor.id);
      return toPublicUser(row);
    },

    /** An administrator sets an agent's capacity, skills and team. */
    async updateAgentSettings(
      actor: Actor,
      userId: string,
      input: AgentSettings,
    ): Promise<AvailabilityChange> {
      requirePermission(canManageUsers(actor.role), 'change agents’ assignment settings', actor);
      const settings = validateAgentSettings(input);
      if (Object.keys(settings).length === 0) {
        throw new InvalidError('nothing_to_change', 'Give a capacity, skills or a team.');
      }
      const result = await db.transaction(async (tx) => {
        const [before] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
        if (!before) throw new NotFoundError('user_not_found', 'No such account.');
        if (!takesConversations(before.role)) {
          throw new InvalidError(
            'not_an_agent',
            `An account with the role ${before.role} does not take conversations.`,
          );
        }
        const [after] = await tx.update(users).set(settings).where(eq(users.id, userId)).returning();
        await tx.insert(auditLog).values({
          actorId: actor.id,
          action: 'user.agent_settings',
          subjectType: 'user',
          subjectId: userId,
          detail: {
            before: { capacity: before.capacity, skills: before.skills, team: before.team },
            after: { capacity: after!.capacity, skills: after!.skills, team: after!.team },
          },
        });
        return { before, after: after! };
      });
      const { before, after } = result;
      await deps.accounts.userChanged(userId);
      // More room or other teams/skills may let waiting conversations through.
      const widened =
        after.capacity > before.capacity ||
        after.team !== before.team ||
        JSON.stringify(after.skills) !== JSON.stringify(before.skills);
      const assigned = after.online && widened ? await assignWholeBacklog(deps.database) : [];
      return { user: toPublicUser(after), assigned };
    },
  };
}

export type AvailabilityService = ReturnType<typeof availabilityService>;

/** Agents still marked available without any live session are made away (housekeeping, every minute). */
export async function awayWithoutSession(db: Database['db']): Promise<number> {
  const r = await db.execute<{ id: string }>(sql`
    with gone as (
      update users u set online = false
       where u.online
         and not exists (select 1 from sessions s where s.user_id = u.id and s.expires_at > now())
      returning u.id)
    insert into audit_log (actor_id, action, subject_type, subject_id, detail)
    select id, 'user.availability', 'user', id::text, '{"online":false,"reason":"session_expired"}'::jsonb from gone
    returning subject_id as id`);
  return r.rows.length;
}
