/**
 * Auto-replies and bounces: recognised from their headers and structure, stored, never answered
 * (no mail loops). RFC 3834 (Auto-Submitted), RFC 3464 (multipart/report; report-type=delivery-status)
 * and the common vendor headers.
 */
export type AutomatedKind = 'auto_reply' | 'bounce';

export interface AutomatedVerdict {
  kind: AutomatedKind;
  reason: string;
}

export interface AutomatedInput {
  /** Lower-case header name → raw value (first occurrence). */
  header(name: string): string | undefined;
  fromAddress: string;
  /** Top-level Content-Type value and its report-type parameter, if any. */
  contentType?: string;
  reportType?: string;
  subject?: string;
}

const BOUNCE_SENDERS = /^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)@/i;

export function detectAutomated(input: AutomatedInput): AutomatedVerdict | null {
  const ct = (input.contentType ?? '').toLowerCase();
  const report = (input.reportType ?? '').toLowerCase();
  if (ct === 'multipart/report' && (report === 'delivery-status' || report === '')) {
    return { kind: 'bounce', reason: 'multipart/report delivery-status' };
  }
  if (BOUNCE_SENDERS.test(input.fromAddress))
    return { kind: 'bounce', reason: `sender ${input.fromAddress}` };
  if (
    input.header('return-path')?.trim() === '<>' &&
    /undeliver|delivery status|failure notice|returned mail/i.test(input.subject ?? '')
  ) {
    return { kind: 'bounce', reason: 'null return path with a delivery failure subject' };
  }
  const autoSubmitted = input.header('auto-submitted')?.trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no')
    return { kind: 'auto_reply', reason: `Auto-Submitted: ${autoSubmitted}` };
  if (input.header('x-autoreply') !== undefined) return { kind: 'auto_reply', reason: 'X-Autoreply' };
  if (input.header('x-autorespond') !== undefined) return { kind: 'auto_reply', reason: 'X-Autorespond' };
  const suppress = input.header('x-auto-response-suppress');
  if (
    suppress &&
    /\b(all|oof|autoreply)\b/i.test(suppress) &&
    /out of office|automatic reply|autoreply/i.test(input.subject ?? '')
  ) {
    return { kind: 'auto_reply', reason: 'X-Auto-Response-Suppress with an automatic-reply subject' };
  }
  const precedence = input.header('precedence')?.trim().toLowerCase();
  if (
    precedence === 'bulk' ||
    precedence === 'auto_reply' ||
    precedence === 'junk' ||
    precedence === 'list'
  ) {
    return { kind: 'auto_reply', reason: `Precedence: ${precedence}` };
  }
  if (input.header('list-id') !== undefined || input.header('list-unsubscribe') !== undefined) {
    return { kind: 'auto_reply', reason: 'mailing list (List-Id / List-Unsubscribe)' };
  }
  return null;
}
