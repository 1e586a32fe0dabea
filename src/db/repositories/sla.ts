/** SLA policies (ordered by position; the first that matches applies) and the timers' schedule. */
import { asc, eq, sql } from 'drizzle-orm';
import type { SlaPolicy } from '../../domain/sla.ts';
import type { Db } from '../client.ts';
import { slaPolicies } from '../schema/index.ts';

export type SlaPolicyRow = typeof slaPolicies.$inferSelect;

export interface StoredSlaPolicy extends SlaPolicy {
  position: number;
  updatedAt: string;
}

export function toSlaPolicy(row: SlaPolicyRow): StoredSlaPolicy {
  const policy = row.policy as Omit<SlaPolicy, 'id' | 'name'>;
  return {
    ...policy,
    id: row.id,
    name: row.name,
    position: row.position,
    updatedAt: row.updatedAt.toISOString(),
  };
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type SlaPolicyInput = Omit<SlaPolicy, 'id'>;

const body = (p: SlaPolicyInput) => {
  const { name: _name, ...rest } = p;
  return rest;
};

export function slaRepository(db: Db | Tx) {
  return {
    async list(): Promise<StoredSlaPolicy[]> {
      const rows = await db
        .select()
        .from(slaPolicies)
        .orderBy(asc(slaPolicies.position), asc(slaPolicies.name));
      return rows.map(toSlaPolicy);
    },
    async get(id: string): Promise<StoredSlaPolicy | undefined> {
      const [row] = await db.select().from(slaPolicies).where(eq(slaPolicies.id, id));
      return row ? toSlaPolicy(row) : undefined;
    },
    async insert(p: SlaPolicyInput): Promise<StoredSlaPolicy> {
      const [row] = await db
        .insert(slaPolicies)
        .values({
          name: p.name,
          policy: body(p),
          position: sql`coalesce((select max(position) + 1 from sla_policies), 0)`,
        })
        .returning();
      return toSlaPolicy(row!);
    },
    async update(id: string, p: SlaPolicyInput): Promise<StoredSlaPolicy | undefined> {
      const [row] = await db
        .update(slaPolicies)
        .set({ name: p.name, policy: body(p), updatedAt: new Date() })
        .where(eq(slaPolicies.id, id))
        .returning();
      return row ? toSlaPolicy(row) : undefined;
    },
    async remove(id: string): Promise<boolean> {
      const rows = await db
        .delete(slaPolicies)
        .where(eq(slaPolicies.id, id))
        .returning({ id: slaPolicies.id });
      return rows.length > 0;
    },
    async reorder(ids: readonly string[]): Promise<void> {
      for (const [i, id] of ids.entries()) {
        await db.update(slaPolicies).set({ position: i }).where(eq(slaPolicies.id, id));
      }
    },
  };
}
