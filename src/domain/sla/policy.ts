/** SLA policies: targets per queue / channel kind / priority, with a business calendar. */
import { InvalidError, isDomainError } from '../errors.ts';
import type { ChannelKind, PriorityLevel, QueueName } from '../types.ts';
import { type BusinessCalendar, validateCalendar } from './business-hours.ts';

export interface SlaTargets {
  /** Business minutes; null or missing = no such clock. */
  firstResponseMinutes?: number | null;
  nextResponseMinutes?: number | null;
  resolutionMinutes?: number | null;
}

export interface SlaPolicy {
  id: string;
  name: string;
  /** Empty or missing lists match anything. */
  match?: {
    queues?: readonly QueueName[];
    channelKinds?: readonly ChannelKind[];
    priorities?: readonly PriorityLevel[];
  };
  targets: SlaTargets;
  /** null or missing = 24/7. */
  calendar?: BusinessCalendar | null;
  /** Warn at this fraction of the target (default 0.75). */
  warnAtFraction?: number;
  /** Escalate to a supervisor at this fraction, before breach (default 0.9). */
  escalateAtFraction?: number;
  /** Whether automatic acknowledgements stop response clocks (default false). */
  countAutoAcknowledgement?: boolean;
}

export const DEFAULT_WARN_FRACTION = 0.75;
export const DEFAULT_ESCALATE_FRACTION = 0.9;

export interface SlaSubject {
  queue: QueueName;
  /** Absent for a sample post tried without a channel: policies for channel kinds do not match it. */
  channelKind?: ChannelKind;
  priority: PriorityLevel;
}

function matches<T>(list: readonly T[] | undefined, value: T | undefined): boolean {
  return !list || list.length === 0 || (value !== undefined && list.includes(value));
}

/** Policies are ordered by the admin: the first that matches applies; null when none. */
export function selectSlaPolicy(policies: readonly SlaPolicy[], subject: SlaSubject): SlaPolicy | null {
  return (
    policies.find(
      (p) =>
        matches(p.match?.queues, subject.queue) &&
        matches(p.match?.channelKinds, subject.channelKind) &&
        matches(p.match?.priorities, subject.priority),
    ) ?? null
  );
}

export function validateSlaPolicy(policy: SlaPolicy): SlaPolicy {
  /** `path`: JSON pointer of the offending value in the policy (forms show the error next to it). */
  const fail = (message: string, path: string): never => {
    throw new InvalidError('invalid_sla_policy', message, { policyId: policy.id, path });
  };
  for (const [key, v] of Object.entries(policy.targets)) {
    if (v !== null && v !== undefined && !(Number.isFinite(v) && v > 0))
      fail(`${key} must be a positive number of minutes`, `/targets/${key}`);
  }
  const warn = policy.warnAtFraction ?? DEFAULT_WARN_FRACTION;
  const esc = policy.escalateAtFraction ?? DEFAULT_ESCALATE_FRACTION;
  if (!(warn > 0 && warn < 1)) fail('warnAtFraction must be between 0 and 1', '/warnAtFraction');
  if (!(esc > 0 && esc < 1))
    fail(
      'escalateAtFraction must be between 0 and 1 (escalation comes before breach)',
      '/escalateAtFraction',
    );
  if (esc < warn) fail('escalation cannot come before the warning', '/escalateAtFraction');
  if (policy.calendar) {
    try {
      validateCalendar(policy.calendar);
    } catch (e) {
      const at = isDomainError(e) && typeof e.details?.path === 'string' ? e.details.path : '';
      fail(e instanceof Error ? e.message : String(e), `/calendar${at}`);
    }
  }
  return policy;
}
