/**
 * Admin changes to routing rules and SLA policies: validated with the domain's rules, written with an
 * audit_log entry in the same transaction, then announced on the bus so every pipeline worker
 * reloads its cached router / policies (src/pipeline/config.ts).
 */
import type { Db } from '../db/client.ts';
import { routingRepository, type StoredRoutingRule } from '../db/repositories/routing.ts';
import { type SlaPolicyInput, type StoredSlaPolicy, slaRepository } from '../db/repositories/sla.ts';
import { auditLog } from '../db/schema/index.ts';
import { InvalidError, NotFoundError } from '../domain/errors.ts';
import {
  DEFAULT_POLICY,
  type RoutingRule,
  routingRuleProblems,
  validateRoutingRules,
} from '../domain/routing.ts';
import { validateSlaPolicy } from '../domain/sla.ts';
import type { EventBus } from '../lib/event-bus.ts';
import { ROUTING_CHANGED, SLA_CHANGED } from '../pipeline/config.ts';

export type RuleInput = Omit<RoutingRule, 'id'>;
type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export { DEFAULT_POLICY };

async function audit(
  tx: Tx,
  actorId: string,
  action: string,
  subjectType: string,
  subjectId: string,
  detail: object,
) {
  await tx
    .insert(auditLog)
    .values({ actorId, action, subjectType, subjectId, detail: detail as Record<string, unknown> });
}

/** Validates one rule as the domain would inside a rule list. */
export function validateRule(input: RuleInput): void {
  validateRoutingRules([{ ...input, id: 'rule' }]);
}

/** A repository of admin-ordered items (routing rules, SLA policies). */
interface OrderedRepository<T, I> {
  list(): Promise<T[]>;
  get(id: string): Promise<T | undefined>;
  insert(input: I): Promise<T>;
  update(id: string, input: I): Promise<T | undefined>;
  remove(id: string): Promise<boolean>;
  reorder(ids: readonly string[]): Promise<void>;
}

interface OrderedCollection<T, I> {
  repository: (db: Db | Tx) => OrderedRepository<T, I>;
  validate: (input: I) => void;
  /** Bus topic announcing a change to every pipeline worker. */
  topic: string;
  /** audit_log subject type, also the prefix of actions and error codes: 'routing_rule'. */
  subject: string;
  /** In messages: 'routing rule'. */
  noun: string;
  /** Key of the created item in the audit entry's detail: 'rule'. */
  auditKey: string;
}

/** Create, update, delete and reorder with validation, an audit entry per change, and a bus announcement. */
function orderedCollectionService<T extends { id: string }, I>(
  db: Db,
  bus: EventBus,
  c: OrderedCollection<T, I>,
) {
  const announce = (detail: object) => bus.publish({ topic: c.topic, ...detail }).catch(() => {});
  const existing = async (tx: Tx, id: string): Promise<T> => {
    const before = await c.repository(tx).get(id);
    if (!before) throw new NotFoundError(`${c.subject}_not_found`, `No such ${c.noun}.`);
    return before;
  };
  return {
    list: () => c.repository(db).list(),
    async create(actorId: string, input: I): Promise<T> {
      c.validate(input);
      const item = await db.transaction(async (tx) => {
        const row = await c.repository(tx).insert(input);
        await audit(tx, actorId, `${c.subject}.create`, c.subject, row.id, { [c.auditKey]: input });
        return row;
      });
      await announce({ id: item.id, change: 'create' });
      return item;
    },
    async update(actorId: string, id: string, input: I): Promise<T> {
      c.validate(input);
      const item = await db.transaction(async (tx) => {
        const before = await existing(tx, id);
        const row = await c.repository(tx).update(id, input);
        await audit(tx, actorId, `${c.subject}.update`, c.subject, id, { before, after: input });
        return row!;
      });
      await announce({ id, change: 'update' });
      return item;
    },
    async remove(actorId: string, id: string): Promise<void> {
      await db.transaction(async (tx) => {
        const before = await existing(tx, id);
        await c.repository(tx).remove(id);
        await audit(tx, actorId, `${c.subject}.delete`, c.subject, id, { before });
      });
      await announce({ id, change: 'delete' });
    },
    async reorder(actorId: string, ids: string[]): Promise<T[]> {
      const items = await db.transaction(async (tx) => {
        const repo = c.repository(tx);
        const current = await repo.list();
        const known = new Set(current.map((r) => r.id));
        if (
          ids.length !== known.size ||
          new Set(ids).size !== ids.length ||
          !ids.every((id) => known.has(id))
        ) {
          throw new InvalidError('invalid_order', `The order must list every ${c.noun} exactly once.`);
        }
        await repo.reorder(ids);
        await audit(tx, actorId, `${c.subject}.reorder`, c.subject, '*', {
          before: current.map((r) => r.id),
          after: ids,
        });
        return repo.list();
      });
      await announce({ change: 'reorder' });
      return items;
    },
  };
}

export function routingService(db: Db, bus: EventBus) {
  return {
    ...orderedCollectionService<StoredRoutingRule, RuleInput>(db, bus, {
      repository: routingRepository,
      validate: validateRule,
      topic: ROUTING_CHANGED,
      subject: 'routing_rule',
      noun: 'routing rule',
      auditKey: 'rule',
    }),
    /** Problems of a whole candidate rule list (for the editor's live check); empty when valid. */
    problems: (rules: unknown) => routingRuleProblems(rules),
  };
}

export function slaPolicyService(db: Db, bus: EventBus) {
  return orderedCollectionService<StoredSlaPolicy, SlaPolicyInput>(db, bus, {
    repository: slaRepository,
    validate: (input) => validateSlaPolicy({ ...input, id: 'policy' }),
    topic: SLA_CHANGED,
    subject: 'sla_policy',
    noun: 'SLA policy',
    auditKey: 'policy',
  });
}
