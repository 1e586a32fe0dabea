/**
 * "Why here": the routing, classification and priority behind a conversation, from the pipeline's
 * `routed` event (src/http/conversations/triage-explanation.ts), and what agents changed since (a
 * hand-off, a corrected intent or sentiment). Collapsed, its summary still says where and why.
 */
import { priorityFactorText } from '../../domain/priority.ts';
import type { ConversationDetail } from '../../http/conversations/detail.ts';
import { str, type TriageExplanation } from '../../http/conversations/triage-explanation.ts';
import { fmtTime, label } from './layout.tsx';

const THREADING: Record<string, string> = {
  no_match: 'New conversation: no open conversation of this customer or thread matched.',
  outside_window:
    "New conversation: the customer's earlier conversation was resolved longer ago than the reopen window.",
  closed: 'New conversation: the earlier conversation of this thread is closed.',
};

const where = (queue: string | null, team: string | null) =>
  `${queue ?? 'an unknown queue'}${team ? `, team ${team}` : ''}`;

const RESTORED = 'restored from the ignored posts';

function byWhat(t: TriageExplanation): string {
  if (!t.rule) return t.restored ? `hand (${RESTORED})` : 'the default policy';
  const rule = t.rule.name ? `rule “${t.rule.name}”` : 'a rule since deleted';
  return t.restored ? `${rule} (${RESTORED})` : rule;
}

const corrected = (was: string | null, now: string) =>
  was && was !== now ? ` (an agent changed it to ${label(now)})` : '';

export function TriagePanel({
  triage: t,
  conversation: c,
}: {
  triage: TriageExplanation;
  conversation: ConversationDetail['conversation'];
}) {
  const movedSince = (t.queue ?? c.queue) !== c.queue || (t.team ?? null) !== (c.team ?? null);
  return (
    <details class="triage">
      <summary>
        Why here: routed to {where(t.queue, t.team)} by {byWhat(t)}
        {t.priority ? ` · priority ${t.priority}` : ''}
      </summary>
      <ul>
        <li>
          Routed {fmtTime(t.routedAt)} to {where(t.queue, t.team)} by {byWhat(t)}.
          {movedSince ? ` Handed off since: now ${where(c.queue, c.team)}.` : ''}
        </li>
        {t.intent && (
          <li>
            Intent {label(t.intent)}
            {t.intentReason ? `: ${t.intentReason}` : ''}
            {corrected(t.intent, c.intent)}.
          </li>
        )}
        <li>
          Sentiment {t.sentiment ? label(t.sentiment) : 'unknown'}
          {corrected(t.sentiment, c.sentiment)}
          {t.complaintScore !== null ? ` · complaint score ${t.complaintScore.toFixed(2)}` : ''} · language{' '}
          {t.language ?? 'not detected'}.
        </li>
        {t.priority && (
          <li>
            Priority {t.priority}
            {t.priorityScore !== null ? ` (${t.priorityScore} of 100)` : ''}
            {t.priorityFactors.length > 0 ? ':' : '.'}
            {t.priorityFactors.length > 0 && (
              <ul>
                {t.priorityFactors.map((f) => (
                  <li key={f.factor}>{priorityFactorText(f)}</li>
                ))}
              </ul>
            )}
          </li>
        )}
        {t.threading && THREADING[t.threading] && <li>{THREADING[t.threading]}</li>}
      </ul>
    </details>
  );
}

/**
 * A routing event of the audit trail as a sentence ("Routed to support, team billing by a routing rule";
 * "Handed off from marketing to support: wrong queue"), or null for any other event type.
 */
export function routingEventText(type: string, data: unknown): string | null {
  const d = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
  if (type === 'restored') {
    const by = str(d.ruleId) ? `rule “${str(d.ruleName) ?? 'since deleted'}”` : 'the default policy';
    return `Restored from the ignored posts (ignored as “${str(d.reason) ?? 'unknown'}” by ${by})`;
  }
  if (type === 'routed') {
    const by = str(d.ruleId) ? 'a routing rule' : d.restored === true ? 'hand' : 'the default policy';
    const ignored = str(d.queue) === 'ignore' ? ' (ignored)' : '';
    return `Routed to ${where(str(d.queue), str(d.team))}${ignored} by ${by}`;
  }
  if (type === 'handed_off') {
    const note = str(d.note);
    return `Handed off from ${where(str(d.fromQueue), str(d.fromTeam))} to ${where(str(d.toQueue), str(d.toTeam))}${note ? `: ${note}` : ''}`;
  }
  return null;
}
