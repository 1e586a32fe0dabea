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

export function routingService(db: Db, bus: EventBus) {
  const announce = (detail: object) => bus.publish({ topic: ROUTING_CHANGED, ...detail }).catch(() => {});
  return {
    list: () => routingRepository(db).list(),
    /** Problems of a whole candidate rule list (for the editor's live check); empty when valid. */
    problems: (rules: unknown) => routingRuleProblems(rules),
    async create(actorId: string, input: RuleInput): Promise<StoredRoutingRule> {
      validateRule(input);
      const rule = await db.transaction(async (tx) => {
        const r = await routingRepository(tx).insert(input);
        await audit(tx, actorId, 'routing_rule.create', 'routing_rule', r.id, { rule: input });
        return r;
      });
      await announce({ id: rule.id, change: 'create' });
      return rule;
    },
    async update(actorId: string, id: string, input: RuleInput): Promise<StoredRoutingRule> {
      validateRule(input);
      const rule = await db.transaction(async (tx) => {
        const before = await routingRepository(tx).get(id);
        if (!before) throw new NotFoundError('routing_rule_not_found', 'No such routing rule.');
        const r = await routingRepository(tx).update(id, input);
        await audit(tx, actorId, 'routing_rule.update', 'routing_rule', id, { before, after: input });
        return r!;
      });
      await announce({ id, change: 'update' });
      return rule;
    },
    async remove(actorId: string, id: string): Promise<void> {
      await db.transaction(async (tx) => {
        const before = await routingRepository(tx).get(id);
        if (!before) throw new NotFoundError('routing_rule_not_found', 'No such routing rule.');
        await routingRepository(tx).remove(id);
        await audit(tx, actorId, 'routing_rule.delete', 'routing_rule', id, { before });
      });
      await announce({ id, change: 'delete' });
    },
    async reorder(actorId: string, ids: string[]): Promise<StoredRoutingRule[]> {
      const rules = await db.transaction(async (tx) => {
        const repo = routingRepository(tx);
        const current = await repo.list();
        const known = new Set(current.map((r) => r.id));
        if (
          ids.length !== known.size ||
          new Set(ids).size !== ids.length ||
          !ids.every((id) => known.has(id))
        ) {
          throw new InvalidError('invalid_order', 'The order must list every routing rule exactly once.');
        }
        await repo.reorder(ids);
        await audit(tx, actorId, 'routing_rule.reorder', 'routing_rule', '*', {
          before: current.map((r) => r.id),
          after: ids,
        });
        return repo.list();
      });
      await announce({ change: 'reorder' });
      return rules;
    },
  };
}

export function slaPolicyService(db: Db, bus: EventBus) {
  const announce = (detail: object) => bus.publish({ topic: SLA_CHANGED, ...detail }).catch(() => {});
  const check = (input: SlaPolicyInput) => validateSlaPolicy({ ...input, id: 'policy' });
  return {
    list: () => slaRepository(db).list(),
    async create(actorId: string, input: SlaPolicyInput): Promise<StoredSlaPolicy> {
      check(input);
      const p = await db.transaction(async (tx) => {
        const row = await slaRepository(tx).insert(input);
        await audit(tx, actorId, 'sla_policy.create', 'sla_policy', row.id, { policy: input });
        return row;
      });
      await announce({ id: p.id, change: 'create' });
      return p;
    },
    async update(actorId: string, id: string, input: SlaPolicyInput): Promise<StoredSlaPolicy> {
      check(input);
      const p = await db.transaction(async (tx) => {
        const before = await slaRepository(tx).get(id);
        if (!before) throw new NotFoundError('sla_policy_not_found', 'No such SLA policy.');
        const row = await slaRepository(tx).update(id, input);
        await audit(tx, actorId, 'sla_policy.update', 'sla_policy', id, { before, after: input });
        return row!;
      });
      await announce({ id, change: 'update' });
      return p;
    },
    async remove(actorId: string, id: string): Promise<void> {
      await db.transaction(async (tx) => {
        const before = await slaRepository(tx).get(id);
        if (!before) throw new NotFoundError('sla_policy_not_found', 'No such SLA policy.');
        await slaRepository(tx).remove(id);
        await audit(tx, actorId, 'sla_policy.delete', 'sla_policy', id, { before });
      });
      await announce({ id, change: 'delete' });
    },
    async reorder(actorId: string, ids: string[]): Promise<StoredSlaPolicy[]> {
      const list = await db.transaction(async (tx) => {
        const repo = slaRepository(tx);
        const current = await repo.list();
        const known = new Set(current.map((r) => r.id));
        if (
          ids.length !== known.size ||
          new Set(ids).size !== ids.length ||
          !ids.every((id) => known.has(id))
        ) {
          throw new InvalidError('invalid_order', 'The order must list every SLA policy exactly once.');
        }
        await repo.reorder(ids);
        await audit(tx, actorId, 'sla_policy.reorder', 'sla_policy', '*', {
          before: current.map((r) => r.id),
          after: ids,
        });
        return repo.list();
      });
      await announce({ change: 'reorder' });
      return list;
    },
  };
}
