/**
 * "Try routing" as sentences people read, the same on the routing settings page and from
 * `earshot routing try`: where the post would go and by which rule, the classification behind it,
 * the priority with each factor's points (worded as "Why here" words them), and the SLA policy.
 * Plain text: the page escapes it when rendering, the CLI strips control characters when printing.
 */
import { priorityFactorText } from '../domain/priority.ts';
import type { Destination, RuleRef } from '../domain/routing-impact.ts';
import { waitText } from '../lib/duration.ts';
import type { TriedRouting } from './routing-try.ts';

/** "support queue, team billing"; "ignored". */
export const destinationText = (d: Destination): string =>
  d.queue === 'ignore' ? 'ignored' : `${d.queue} queue${d.team ? `, team ${d.team}` : ''}`;

/** "rule 2 “Refunds”"; "the default policy". */
export const byRuleText = (rule: RuleRef | null): string =>
  rule ? `rule ${rule.position + 1} “${rule.name}”` : 'the default policy';

export function decisionText(r: TriedRouting): string {
  const d = r.decision;
  const by = `${byRuleText(d.rule)}${r.rules === 'candidate' ? ' of the candidate rules' : ''}`;
  return d.queue === 'ignore'
    ? `It would be ignored (reason: ${d.ignoreReason ?? 'none given'}), decided by ${by}: no conversation is opened.`
    : `It would go to the ${destinationText(d)}, decided by ${by}.`;
}

export function triedRoutingSentences(r: TriedRouting): string[] {
  const c = r.classification;
  const p = r.priority;
  const factors = p.factors.map(priorityFactorText).join(', ');
  return [
    decisionText(r),
    `Intent ${c.intent}${c.intentReason ? `: ${c.intentReason}` : ''}.`,
    `Sentiment ${c.sentiment} · complaint score ${c.complaintScore.toFixed(2)}${c.complaint ? ' (a complaint)' : ''} · language ${r.language ?? 'not detected'}.`,
    `Priority ${p.level} (${p.score} of 100)${factors ? `: ${factors}` : ''}.`,
    slaText(r.sla),
  ];
}

function slaText(sla: TriedRouting['sla']): string {
  if (!sla) return 'No SLA clock: an ignored post opens no conversation.';
  const due =
    sla.firstResponseMinutes === null
      ? 'no first-response target'
      : `first response due within ${waitText(sla.firstResponseMinutes * 60)}${sla.businessHours ? ' of business hours' : ''}`;
  return `SLA policy “${sla.name}”: ${due}.`;
}
