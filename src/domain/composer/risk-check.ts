/**
 * Risk check before a public post: personal data (→ suggest taking it private), phrases from
 * the admin-edited guideline list (→ the guideline's message), and shouting.
 */
export type RiskKind = 'email' | 'phone' | 'order_number' | 'card_number' | 'iban' | 'guideline' | 'shouting';
export type RiskSuggestion = 'take_private' | 'rephrase' | 'lower_case';

export interface RiskFinding {
  kind: RiskKind;
  /** UTF-16 offsets into the text, end exclusive. */
  start: number;
  end: number;
  match: string;
  suggestion: RiskSuggestion;
  message: string;
  severity: 'block' | 'warn';
  guidelineId?: string;
}

export interface Guideline {
  id: string;
  /** Matched case-insensitively as a whole phrase. */
  phrase: string;
  message: string;
  severity?: 'block' | 'warn';
}

export interface RiskOptions {
  guidelines?: readonly Guideline[];
  /** Regular expression source (case-insensitive) for order numbers; replaces the default. */
  orderNumberPattern?: string;
}

const EMAIL = /(?<![\w.+-])[\w.+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/giu;
const CARD = /(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)/g;
const IBAN = /\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\b/g;
const PHONE = /(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,5}\)[ .-]?)?\d{2,5}(?:[ .-]?\d{2,5}){1,4}(?![\w])/g;
export const DEFAULT_ORDER_PATTERN = String.raw`\border\s*(?:no\.?|number|num|id|#)?\s*[:#]?\s*#?\s*([A-Z]{0,4}-?\d[\dA-Z-]{3,})`;

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

export function ibanValid(raw: string): boolean {
  const iban = raw.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let rem = 0;
  for (const ch of rearranged) {
    const v = ch >= 'A' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of v) rem = (rem * 10 + Number(d)) % 97;
  }
  return rem === 1;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function phraseRegExp(phrase: string): RegExp {
  const body = phrase.trim().split(/\s+/).map(escapeRegExp).join('\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}_])${body}(?![\\p{L}\\p{N}_])`, 'giu');
}

const ENTITY = /(?:https?:\/\/\S+|www\.\S+|[@#][\p{L}\p{N}_]+)/giu;

function shouting(text: string): RiskFinding[] {
  const visible = text.replace(ENTITY, ' ');
  const letters = visible.match(/\p{L}/gu) ?? [];
  const upper = visible.match(/\p{Lu}/gu) ?? [];
  const lower = visible.match(/\p{Ll}/gu) ?? [];
  if (letters.length >= 12 && upper.length / Math.max(1, upper.length + lower.length) >= 0.8) {
    return [
      finding(
        'shouting',
        0,
        text.length,
        text,
        'lower_case',
        'The reply is written in capitals: it reads as shouting.',
        'warn',
      ),
    ];
  }
  // A run of four or more all-caps words inside otherwise normal text.
  const out: RiskFinding[] = [];
  const run = /(?<![\p{L}\p{N}])\p{Lu}{2,}(?:[\s,.!?'-]+\p{Lu}{2,}){3,}(?![\p{L}\p{N}])/gu;
  for (const m of visible.matchAll(run)) {
    out.push(
      finding(
        'shouting',
        m.index,
        m.index + m[0].length,
        m[0],
        'lower_case',
        'Several words in capitals read as shouting.',
        'warn',
      ),
    );
  }
  return out;
}

function finding(
  kind: RiskKind,
  start: number,
  end: number,
  match: string,
  suggestion: RiskSuggestion,
  message: string,
  severity: 'block' | 'warn',
): RiskFinding {
  return { kind, start, end, match, suggestion, message, severity };
}

const PRIVATE_MESSAGES: Record<string, string> = {
  email: 'An email address is personal data: take this conversation private.',
  phone: 'A phone number is personal data: take this conversation private.',
  order_number: 'Order numbers identify a customer: take this conversation private.',
  card_number: 'A payment card number must never be posted publicly: take this conversation private.',
  iban: 'A bank account number (IBAN) is personal data: take this conversation private.',
};

export function checkRisk(text: string, options: RiskOptions = {}): RiskFinding[] {
  const findings: RiskFinding[] = [];
  const taken: Array<[number, number]> = [];
  const overlaps = (s: number, e: number) => taken.some(([a, b]) => s < b && e > a);
  const add = (kind: RiskKind, start: number, match: string, severity: 'block' | 'warn' = 'block') => {
    const end = start + match.length;
    if (overlaps(start, end)) return;
    taken.push([start, end]);
    findings.push(finding(kind, start, end, match, 'take_private', PRIVATE_MESSAGES[kind]!, severity));
  };

  for (const m of text.matchAll(EMAIL)) add('email', m.index, m[0]);
  for (const m of text.matchAll(IBAN)) if (ibanValid(m[0])) add('iban', m.index, m[0]);
  for (const m of text.matchAll(CARD)) {
    const digits = m[0].replace(/\D/g, '');
    if (digits.length >= 13 && digits.length <= 19 && luhnValid(digits)) add('card_number', m.index, m[0]);
  }
  const orderRe = new RegExp(options.orderNumberPattern ?? DEFAULT_ORDER_PATTERN, 'giu');
  for (const m of text.matchAll(orderRe)) {
    if (m[0].length === 0) break;
    add('order_number', m.index, m[0], 'warn');
  }
  for (const m of text.matchAll(PHONE)) {
    const digits = m[0].replace(/\D/g, '');
    const international = m[0].startsWith('+');
    if (digits.length > 15 || digits.length < (international ? 8 : 10)) continue;
    if (/^\d{4}-\d{2}-\d{2}$/.test(m[0])) continue; // an ISO date, not a phone
    add('phone', m.index, m[0]);
  }

  for (const g of options.guidelines ?? []) {
    if (!g.phrase.trim()) continue;
    for (const m of text.matchAll(phraseRegExp(g.phrase))) {
      findings.push({
        ...finding(
          'guideline',
          m.index,
          m.index + m[0].length,
          m[0],
          'rephrase',
          g.message,
          g.severity ?? 'warn',
        ),
        guidelineId: g.id,
      });
    }
  }
  findings.push(...shouting(text));
  return findings.sort((a, b) => a.start - b.start || a.kind.localeCompare(b.kind));
}

/** True when anything in the findings should make the composer suggest taking it private. */
export function suggestsTakingPrivate(findings: readonly RiskFinding[]): boolean {
  return findings.some((f) => f.suggestion === 'take_private');
}
