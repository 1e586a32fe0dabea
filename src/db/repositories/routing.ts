/** Routing rules (ordered by position) as the pipeline and the admin API see them. */
import { asc, eq, sql } from 'drizzle-orm';
import type { RoutingAction, RoutingConditions, RoutingRule } from '../../domain/routing.ts';
import type { Db } from '../client.ts';
import { routingRules } from '../schema/index.ts';

export type RoutingRuleRow = typeof routingRules.$inferSelect;

export interface StoredRoutingRule extends RoutingRule {
  position: number;
  updatedAt: string;
}

export function toRoutingRule(row: RoutingRuleRow): StoredRoutingRule {
  return {
    id: row.id,
    name: row.name,
    enabled: row.enabled,
    conditions: row.conditions as RoutingConditions,
    action: row.action as RoutingAction,
    position: row.position,
    updatedAt: row.updatedAt.toISOString(),
  };
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export function routingRepository(db: Db | Tx) {
  return {
    async list(): Promise<StoredRoutingRule[]> {
      const rows = await db
        .select()
        .from(routingRules)
        .orderBy(asc(routingRules.position), asc(routingRules.name));
      return rows.map(toRoutingRule);
    },
    async get(id: string): Promise<StoredRoutingRule | undefined> {
      const [row] = await db.select().from(routingRules).where(eq(routingRules.id, id));
      return row ? toRoutingRule(row) : undefined;
    },
    async insert(rule: Omit<RoutingRule, 'id'>, position?: number): Promise<StoredRoutingRule> {
      const [row] = await db
        .insert(routingRules)
        .values({
          name: rule.name,
          enabled: rule.enabled,
          conditions: rule.conditions,
          action: rule.action,
          position: position ?? sql`coalesce((select max(position) + 1 from routing_rules), 0)`,
        })
        .returning();
      return toRoutingRule(row!);
    },
    async update(id: string, rule: Omit<RoutingRule, 'id'>): Promise<StoredRoutingRule | undefined> {
      const [row] = await db
        .update(routingRules)
        .set({ ...rule, updatedAt: new Date() })
        .where(eq(routingRules.id, id))
        .returning();
      return row ? toRoutingRule(row) : undefined;
    },
    async remove(id: string): Promise<boolean> {
      const rows = await db
        .delete(routingRules)
        .where(eq(routingRules.id, id))
        .returning({ id: routingRules.id });
      return rows.length > 0;
    },
    /** Positions follow the given id order (0, 1, 2...). */
    async reorder(ids: readonly string[]): Promise<void> {
      for (const [i, id] of ids.entries()) {
        await db.update(routingRules).set({ position: i }).where(eq(routingRules.id, id));
      }
    },
  };
}
