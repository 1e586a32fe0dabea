/**
 * Conversation commands from the workspace: load the row, run the pure state machine
 * (src/domain/conversation.ts), write the new state with a version bump, the events (audit trail)
 * and an audit_log entry, in one transaction. The update trigger announces the change on the bus.
 */
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import {
  auditLog,
  conversationEvents,
  conversations,
  labelCorrections,
  posts,
  slaSchedule,
} from '../db/schema/index.ts';
import {
  type ConversationCommand,
  type ConversationEvent,
  type ConversationState,
  type ConversationStatus,
  decide,
  type PublicState,
} from '../domain/conversation.ts';
import { ConflictError, InvalidError, NotFoundError } from '../domain/errors.ts';
import { type Actor, canCorrectClassification, canSeeQueue, requirePermission } from '../domain/roles.ts';
import { INTENTS, type QueueName, SENTIMENTS } from '../domain/types.ts';

export type ConversationRow = typeof conversations.$inferSelect;

/** Columns the domain state is made of. */
export type StateColumns = Pick<
  ConversationRow,
  | 'id'
  | 'status'
  | 'queue'
  | 'team'
  | 'assigneeId'
  | 'startedPublic'
  | 'startedAsPublicComplaint'
  | 'publicState'
  | 'state'
  | 'createdAt'
  | 'updatedAt'
  | 'resolvedAt'
>;

/** The domain state of a row: the stored JSON where the pipeline wrote it, the columns otherwise. */
export function stateOf(row: StateColumns): ConversationState {
  const s = row.state as Partial<ConversationState>;
  return {
    id: row.id,
    status: row.status as ConversationStatus,
    queue: row.queue as QueueName,
    team: row.team,
    assigneeId: row.assigneeId,
    startedPublic: row.startedPublic,
    startedAsPublicComplaint: row.startedAsPublicComplaint,
    publicState: row.publicState as PublicState,
    waiver: s.waiver ?? null,
    noResponseNeeded: s.noResponseNeeded ?? null,
    reopenCount: s.reopenCount ?? 0,
    openedAt: s.openedAt ?? row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    closedAt: s.closedAt ?? null,
  };
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export async function loadVisible(
  db: Db | Tx,
  id: string,
  actor: Actor,
  lock = false,
): Promise<ConversationRow> {
  const q = db.select().from(conversations).where(eq(conversations.id, id));
  const [row] = lock ? await q.for('update') : await q;
  // Invisible and missing look the same: marketing must not learn that a support case exists.
  if (!row || !canSeeQueue(actor.role, row.queue as QueueName)) {
    throw new NotFoundError('conversation_not_found', 'No such conversation.');
  }
  return row;
}

export async function recordEvents(
  tx: Db | Tx,
  events: readonly (
    | ConversationEvent
    | { type: string; conversationId: string; at: string; actorId: string }
  )[],
): Promise<void> {
  if (events.length === 0) return;
  await tx.insert(conversationEvents).values(
    events.map(({ type, conversationId, at, actorId, ...data }) => ({
      conversationId,
      type,
      at: new Date(at),
      actorId,
      data,
    })),
  );
}

export interface ApplyOptions {
  /** Refuse when the conversation changed since the caller looked (optimistic concurrency). */
  expectedVersion?: number;
  /** Extra column changes in the same update (first response time, last agent message...). */
  patch?: Partial<typeof conversations.$inferInsert>;
}

/**
 * Events that start, stop or pause SLA clocks (see src/domain/sla/events.ts), or change which policy
 * applies (a hand-off moves the conversation to another queue, whose policy may differ).
 */
const SLA_EVENTS = new Set(['reply_recorded', 'status_changed', 'handed_off']);

/**
 * An agent's reply, a status change or a hand-off moves the clocks: the SLA timers job re-evaluates the conversation
 * on its next run (due times, warnings, the next check) instead of waiting for a check scheduled before
 * the change, or never looking again (a reopened conversation had none).
 */
async function recheckSlaNow(tx: Db | Tx, id: string): Promise<void> {
  await tx
    .insert(slaSchedule)
    .values({ conversationId: id, nextAt: sql`now()` })
    .onConflictDoUpdate({
      target: slaSchedule.conversationId,
      set: { nextAt: sql`least(${slaSchedule.nextAt}, now())`, updatedAt: sql`now()` },
    });
}

export async function applyCommand(
  db: Db | Tx,
  id: string,
  command: ConversationCommand,
  actor: Actor,
  options: ApplyOptions = {},
): Promise<{ row: ConversationRow; events: ConversationEvent[] }> {
  const run = async (tx: Db | Tx) => {
    const row = await loadVisible(tx, id, actor, true);
    if (options.expectedVersion !== undefined && options.expectedVersion !== row.version) {
      throw new ConflictError('stale_view', 'This conversation changed since you opened it.', {
        currentVersion: row.version,
      });
    }
    const at = new Date().toISOString();
    const { state, events } = decide(stateOf(row), command, { actor, at });
    // Who gives the conversation its owner, for the NOTIFY trigger (an agent is not told of their own
    // assignment); only commands that change the assignee need it.
    if (actor.role !== 'system' && state.assigneeId !== row.assigneeId) {
      await tx.execute(sql`select set_config('earshot.actor', ${actor.id}, true)`);
    }
    const [updated] = await tx
      .update(conversations)
      .set({
        status: state.status,
        publicState: state.publicState,
        queue: state.queue,
        team: state.team,
        assigneeId: state.assigneeId,
        resolvedAt: state.resolvedAt ? new Date(state.resolvedAt) : null,
        state: { ...(row.state as Record<string, unknown>), ...state },
        version: sql`${conversations.version} + 1`,
        updatedAt: new Date(at),
        ...options.patch,
      })
      .where(eq(conversations.id, id))
      .returning();
    await recordEvents(tx, events);
    if (events.some((e) => SLA_EVENTS.has(e.type))) await recheckSlaNow(tx, id);
    if (events.length > 0 && actor.role !== 'system') {
      await tx.insert(auditLog).values({
        actorId: actor.id,
        action: `conversation.${command.type}`,
        subjectType: 'conversation',
        subjectId: id,
        detail: command as unknown as Record<string, unknown>,
      });
    }
    return { row: updated!, events };
  };
  return 'transaction' in db ? db.transaction(run) : run(db);
}

export async function correctLabel(
  db: Db,
  id: string,
  actor: Actor & { role: NonNullable<Actor['role']> },
  task: 'intent' | 'sentiment',
  label: string,
): Promise<void> {
  requirePermission(canCorrectClassification(actor.role), 'correct a classification', actor);
  const allowed: readonly string[] = task === 'intent' ? INTENTS : SENTIMENTS;
  if (!allowed.includes(label)) throw new InvalidError('invalid_label', `${label} is not a ${task}`);
  await db.transaction(async (tx) => {
    const row = await loadVisible(tx, id, actor, true);
    const previous = task === 'intent' ? row.intent : row.sentiment;
    if (previous === label) return;
    const [first] = await tx
      .select({ id: posts.id, text: posts.text })
      .from(posts)
      .where(sql`${posts.conversationId} = ${id} AND ${posts.direction} = 'inbound'`)
      .orderBy(posts.postedAt)
      .limit(1);
    // Training data: the text the classifier saw, with the agent's label.
    await tx.insert(labelCorrections).values({
      postId: first?.id ?? null,
      conversationId: id,
      task,
      previous,
      label,
      text: first?.text ?? row.subject,
      correctedBy: actor.id,
    });
    await tx
      .update(conversations)
      .set({
        ...(task === 'intent' ? { intent: label } : { sentiment: label }),
        version: sql`${conversations.version} + 1`,
        updatedAt: new Date(),
      })
      .where(eq(conversations.id, id));
    await recordEvents(tx, [
      {
        type: 'label_corrected',
        conversationId: id,
        at: new Date().toISOString(),
        actorId: actor.id,
        task,
        previous,
        label,
      } as never,
    ]);
  });
}

/** Add or remove tags (bulk action and conversation sidebar). */
export async function setTags(
  db: Db,
  id: string,
  actor: Actor,
  add: string[],
  remove: string[],
): Promise<void> {
  await db.transaction(async (tx) => {
    const row = await loadVisible(tx, id, actor, true);
    const tags = [...new Set([...row.tags.filter((t) => !remove.includes(t)), ...add])].sort();
    await tx
      .update(conversations)
      .set({ tags, version: sql`${conversations.version} + 1`, updatedAt: new Date() })
      .where(eq(conversations.id, id));
    await recordEvents(tx, [
      {
        type: 'tags_changed',
        conversationId: id,
        at: new Date().toISOString(),
        actorId: actor.id,
        add,
        remove,
      } as never,
    ]);
  });
}
