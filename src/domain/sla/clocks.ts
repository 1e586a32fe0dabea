/**
 * SLA clocks computed by replaying a conversation's events up to `now`: pure and replayable.
 *
 * Events are processed in the order given (the order Earshot recorded them). Each event's time
 * is clamped to be no earlier than the previous one, so a reply stamped before the message it
 * answers (clock skew) counts as zero elapsed time, never negative. Events after `now` are ignored.
 *
 * - first response: starts at the first customer message; stopped by the first agent reply,
 *   public or private. Internal notes never count; automatic acknowledgements only if the policy says.
 * - next response: after the first response, a customer message starts it only if none is running
 *   (a second message does not restart it); the next agent reply stops it.
 * - resolution: starts with the first customer message, stops on resolved/closed, resumes with its
 *   elapsed time on reopen.
 * - next response and resolution pause while the conversation waits on the customer. First response
 *   never pauses: until an agent has answered, the customer is not the one being waited on, and
 *   marking a conversation "waiting on customer" without a reply must not hide an unanswered post.
 */
import type { ConversationStatus } from '../conversation-types.ts';
import { addBusinessTime, businessTimeBetween } from './business-hours.ts';
import { DEFAULT_ESCALATE_FRACTION, DEFAULT_WARN_FRACTION, type SlaPolicy } from './policy.ts';

export type SlaEvent =
  | { type: 'customer_message'; at: string }
  | { type: 'agent_reply'; at: string; visibility: 'public' | 'private'; automated?: boolean }
  | { type: 'internal_note'; at: string }
  | { type: 'status_changed'; at: string; status: ConversationStatus };

export const SLA_CLOCKS = ['first_response', 'next_response', 'resolution'] as const;
export type SlaClockName = (typeof SLA_CLOCKS)[number];

export type SlaClockStatus = 'disabled' | 'not_started' | 'running' | 'paused' | 'met' | 'missed' | 'stopped';
export type SlaStage = 'ok' | 'warning' | 'escalation' | 'breached';

export interface SlaClockState {
  clock: SlaClockName;
  status: SlaClockStatus;
  targetMinutes: number | null;
  /** Business minutes elapsed in the current (or last) cycle. */
  elapsedMinutes: number;
  /** Business minutes left; negative when overdue; null without a target. */
  remainingMinutes: number | null;
  startedAt: string | null;
  /** When the target is (or was) reached; null when paused, stopped or not started. */
  dueAt: string | null;
  warnAt: string | null;
  escalateAt: string | null;
  completedAt: string | null;
  stage: SlaStage;
  /** Cycles started (next response can run many times) and how many missed their target. */
  cycles: number;
  missedCount: number;
}

interface Clock {
  target: number | null;
  accumulated: number;
  runningSince: number | null;
  active: boolean;
  startedAt: number | null;
  completedAt: number | null;
  outcome: 'met' | 'missed' | 'stopped' | null;
  crossed: [number | null, number | null, number | null];
  cycles: number;
  missed: number;
}

const MINUTE = 60_000;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function computeSlaClocks(
  policy: SlaPolicy,
  events: readonly SlaEvent[],
  now: Date | string | number,
): SlaClockState[] {
  const nowMs = typeof now === 'number' ? now : new Date(now).getTime();
  const cal = policy.calendar ?? null;
  const warnF = policy.warnAtFraction ?? DEFAULT_WARN_FRACTION;
  const escF = policy.escalateAtFraction ?? DEFAULT_ESCALATE_FRACTION;
  const minutes = (m: number | null | undefined) => (m ? m * MINUTE : null);
  const make = (target: number | null): Clock => ({
    target,
    accumulated: 0,
    runningSince: null,
    active: false,
    startedAt: null,
    completedAt: null,
    outcome: null,
    crossed: [null, null, null],
    cycles: 0,
    missed: 0,
  });
  const clocks: Record<SlaClockName, Clock> = {
    first_response: make(minutes(policy.targets.firstResponseMinutes)),
    next_response: make(minutes(policy.targets.nextResponseMinutes)),
    resolution: make(minutes(policy.targets.resolutionMinutes)),
  };
  const thresholds = (c: Clock): [number, number, number] => {
    const t = c.target ?? Number.POSITIVE_INFINITY;
    return [t * warnF, t * escF, t];
  };
  /** Close the running segment at `t`, recording thresholds crossed within it. */
  const settle = (c: Clock, t: number) => {
    if (c.runningSince === null) return;
    const seg = businessTimeBetween(cal, c.runningSince, t);
    thresholds(c).forEach((th, i) => {
      if (c.crossed[i] === null && c.accumulated < th && c.accumulated + seg >= th) {
        c.crossed[i] = addBusinessTime(cal, c.runningSince!, th - c.accumulated);
      }
    });
    c.accumulated += seg;
    c.runningSince = null;
  };
  let paused = false;
  const pausable = (c: Clock) => c !== clocks.first_response;
  let status: ConversationStatus = 'new';
  const start = (c: Clock, t: number) => {
    if (c.target === null) return;
    Object.assign(c, { accumulated: 0, active: true, startedAt: t, completedAt: null, outcome: null });
    c.crossed = [null, null, null];
    c.cycles += 1;
    c.runningSince = paused && pausable(c) ? null : t;
  };
  const finish = (c: Clock, t: number, how: 'complete' | 'stop') => {
    if (!c.active) return;
    settle(c, t);
    c.active = false;
    c.completedAt = t;
    if (how === 'stop') c.outcome = 'stopped';
    else c.outcome = c.target !== null && c.accumulated > c.target ? 'missed' : 'met';
    if (c.outcome === 'missed') c.missed += 1;
  };
  const setPaused = (p: boolean, t: number) => {
    if (p === paused) return;
    paused = p;
    for (const c of Object.values(clocks)) {
      if (!c.active || !pausable(c)) continue;
      if (p) settle(c, t);
      else c.runningSince = t;
    }
  };
  const reopen = (t: number) => {
    const r = clocks.resolution;
    if (r.target !== null && r.outcome !== null && r.startedAt !== null) {
      if (r.outcome === 'missed') r.missed -= 1;
      Object.assign(r, { active: true, outcome: null, completedAt: null, runningSince: paused ? null : t });
    }
  };

  let last = Number.NEGATIVE_INFINITY;
  let firstSeen = false;
  for (const e of events) {
    const t = Math.max(Date.parse(e.at), last);
    if (Number.isNaN(t) || t > nowMs) break;
    last = t;
    switch (e.type) {
      case 'customer_message': {
        if (status === 'resolved' || status === 'closed') reopen(t);
        if (status !== 'new') status = 'open';
        setPaused(false, t);
        if (!firstSeen) {
          firstSeen = true;
          start(clocks.first_response, t);
          start(clocks.resolution, t);
        } else if (!clocks.first_response.active && !clocks.next_response.active) {
          start(clocks.next_response, t);
        }
        break;
      }
      case 'agent_reply': {
        if (e.automated && !policy.countAutoAcknowledgement) break;
        if (clocks.first_response.active) finish(clocks.first_response, t, 'complete');
        else if (clocks.next_response.active) finish(clocks.next_response, t, 'complete');
        break;
      }
      case 'internal_note':
        break;
      case 'status_changed': {
        const wasDone = status === 'resolved' || status === 'closed';
        status = e.status;
        if (e.status === 'resolved' || e.status === 'closed') {
          setPaused(false, t);
          finish(clocks.first_response, t, 'stop');
          finish(clocks.next_response, t, 'stop');
          finish(clocks.resolution, t, 'complete');
        } else {
          if (wasDone) reopen(t);
          setPaused(e.status === 'waiting_on_customer', t);
        }
        break;
      }
    }
  }

  return SLA_CLOCKS.map((name) => snapshot(name, clocks[name]));

  function snapshot(name: SlaClockName, c: Clock): SlaClockState {
    const elapsed =
      c.accumulated + (c.runningSince !== null ? businessTimeBetween(cal, c.runningSince, nowMs) : 0);
    const ths = thresholds(c);
    const at = ths.map((th, i) => {
      if (c.crossed[i] !== null) return c.crossed[i];
      if (c.runningSince === null) return null;
      return addBusinessTime(cal, c.runningSince, th - c.accumulated);
    });
    const stage: SlaStage =
      c.target === null
        ? 'ok'
        : elapsed >= ths[2]
          ? 'breached'
          : elapsed >= ths[1]
            ? 'escalation'
            : elapsed >= ths[0]
              ? 'warning'
              : 'ok';
    let status: SlaClockStatus;
    if (c.target === null) status = 'disabled';
    else if (c.active) status = c.runningSince !== null ? 'running' : 'paused';
    else status = c.outcome ?? 'not_started';
    const showTimes = status === 'running' || status === 'met' || status === 'missed';
    return {
      clock: name,
      status,
      targetMinutes: c.target === null ? null : c.target / MINUTE,
      elapsedMinutes: Math.round((elapsed / MINUTE) * 100) / 100,
      remainingMinutes: c.target === null ? null : Math.round(((c.target - elapsed) / MINUTE) * 100) / 100,
      startedAt: iso(c.startedAt),
      dueAt: showTimes ? iso(at[2] ?? null) : null,
      warnAt: showTimes ? iso(at[0] ?? null) : null,
      escalateAt: showTimes ? iso(at[1] ?? null) : null,
      completedAt: iso(c.completedAt),
      stage,
      cycles: c.cycles,
      missedCount: c.missed,
    };
  }
}

export interface SlaDeadline {
  at: string;
  clock: SlaClockName;
  kind: 'warning' | 'escalation' | 'breach';
}

/** The next moment after `now` when the scheduler must act (warn, escalate, breach); null if none. */
export function nextDeadline(
  states: readonly SlaClockState[],
  now: Date | string | number,
): SlaDeadline | null {
  const nowMs = typeof now === 'number' ? now : new Date(now).getTime();
  let best: SlaDeadline | null = null;
  for (const s of states) {
    if (s.status !== 'running') continue;
    for (const [kind, at] of [
      ['warning', s.warnAt],
      ['escalation', s.escalateAt],
      ['breach', s.dueAt],
    ] as const) {
      if (at === null || Date.parse(at) <= nowMs) continue;
      if (best === null || Date.parse(at) < Date.parse(best.at)) best = { at, clock: s.clock, kind };
    }
  }
  return best;
}

/** Earliest due time among running clocks (for "sort by SLA due" and "breaching soon"). */
export function earliestDue(states: readonly SlaClockState[]): string | null {
  const due = states.filter((s) => s.status === 'running' && s.dueAt !== null).map((s) => s.dueAt!);
  return due.sort()[0] ?? null;
}
