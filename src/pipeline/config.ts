/**
 * What the pipeline reads on every batch but changes rarely: the compiled router, the SLA
 * policies, the assignment strategy and the set of known channels. Cached per process, reloaded
 * when an admin change is announced on the bus (topics below) and at least every `ttlMs`.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { routingRepository, type StoredRoutingRule } from '../db/repositories/routing.ts';
import { slaRepository } from '../db/repositories/sla.ts';
import type { AssignmentStrategy } from '../domain/assignment.ts';
import { compileRouter, type Router, type RoutingRule } from '../domain/routing.ts';
import type { SlaPolicy } from '../domain/sla.ts';
import type { EventBus } from '../lib/event-bus.ts';

export const ROUTING_CHANGED = 'routing.rules.changed';
export const SLA_CHANGED = 'sla.policies.changed';
export const CHANNELS_CHANGED = 'channels.changed';
export const ASSIGNMENT_SETTING = 'assignment.strategy';

/** Used when no SLA policy is configured: 24/7, tighter for high and urgent priority. */
export const DEFAULT_SLA_POLICIES: readonly SlaPolicy[] = [
  {
    id: 'default-urgent',
    name: 'Default (high and urgent)',
    match: { priorities: ['high', 'urgent'] },
    targets: { firstResponseMinutes: 30, nextResponseMinutes: 60, resolutionMinutes: 8 * 60 },
  },
  {
    id: 'default',
    name: 'Default',
    targets: { firstResponseMinutes: 120, nextResponseMinutes: 240, resolutionMinutes: 48 * 60 },
  },
];

export interface PipelineConfig {
  router: Router;
  ruleCount: number;
  slaPolicies: readonly SlaPolicy[];
  strategy: AssignmentStrategy;
  channels: ReadonlySet<string>;
  /** Conversation threading windows (src/domain/threading.ts). */
  contactWindowMinutes?: number;
  reopenWindowMinutes?: number;
}

export interface PipelineConfigCache {
  get(): Promise<PipelineConfig>;
  invalidate(): void;
  close(): void;
}

/**
 * The stored rules the pipeline routes with. They were validated when saved; one that no longer is
 * (edited in SQL, an older version's shape) is skipped on its own, and the others keep routing,
 * rather than stopping intake.
 */
export function routableRules(rules: readonly StoredRoutingRule[]): RoutingRule[] {
  const stored = rules.map(({ position: _p, updatedAt: _u, ...r }) => r);
  const compiles = (r: RoutingRule) => {
    try {
      compileRouter([r]);
      return true;
    } catch {
      return false;
    }
  };
  return stored.filter(compiles);
}

/** The admin's SLA policies, or the defaults when there are none. */
export const slaPoliciesInForce = (policies: readonly SlaPolicy[]): readonly SlaPolicy[] =>
  policies.length > 0 ? policies : DEFAULT_SLA_POLICIES;

export async function loadPipelineConfig(db: Db): Promise<PipelineConfig> {
  const [rules, policies, settingRows, channelRows] = await Promise.all([
    routingRepository(db).list(),
    slaRepository(db).list(),
    db.execute<{ key: string; value: unknown }>(
      sql`select key, value from settings where key in (${ASSIGNMENT_SETTING}, 'threading.windows')`,
    ),
    db.execute<{ id: string }>(sql`select id::text as id from channels`),
  ]);
  const setting = (key: string) => settingRows.rows.find((r) => r.key === key)?.value;
  const strategy = setting(ASSIGNMENT_SETTING) === 'least_loaded' ? 'least_loaded' : 'round_robin';
  const windows = (setting('threading.windows') ?? {}) as {
    contactWindowMinutes?: number;
    reopenWindowMinutes?: number;
  };
  const router: Router = compileRouter(routableRules(rules));
  return {
    router,
    ruleCount: rules.length,
    slaPolicies: slaPoliciesInForce(policies),
    strategy,
    channels: new Set(channelRows.rows.map((r) => r.id)),
    ...(typeof windows.contactWindowMinutes === 'number'
      ? { contactWindowMinutes: windows.contactWindowMinutes }
      : {}),
    ...(typeof windows.reopenWindowMinutes === 'number'
      ? { reopenWindowMinutes: windows.reopenWindowMinutes }
      : {}),
  };
}

/** Only the assignment strategy (for backlog runs, which need nothing else of the config). */
export async function loadAssignmentStrategy(db: Db): Promise<AssignmentStrategy> {
  const r = await db.execute<{ value: unknown }>(
    sql`select value from settings where key = ${ASSIGNMENT_SETTING}`,
  );
  return r.rows[0]?.value === 'least_loaded' ? 'least_loaded' : 'round_robin';
}

export function pipelineConfigCache(db: Db, bus?: EventBus, ttlMs = 30_000): PipelineConfigCache {
  let current: { at: number; config: Promise<PipelineConfig> } | undefined;
  const invalidate = () => {
    current = undefined;
  };
  const unsubscribe = [ROUTING_CHANGED, SLA_CHANGED, CHANNELS_CHANGED, 'settings.changed'].map(
    (topic) => bus?.subscribe(topic, invalidate) ?? (() => {}),
  );
  return {
    get() {
      if (!current || Date.now() - current.at > ttlMs) {
        const config = loadPipelineConfig(db);
        current = { at: Date.now(), config };
        config.catch(() => {
          if (current?.config === config) current = undefined;
        });
      }
      return current.config;
    },
    invalidate,
    close() {
      for (const u of unsubscribe) u();
    },
  };
}
