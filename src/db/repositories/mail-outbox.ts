/**
 * Rows of the system mail outbox (mail_outbox, sent by src/lib/mailer.ts) written inside the caller's
 * transaction: mail that must go out exactly when the work that causes it commits (SLA escalations).
 * The mailer's flush() sends them; without SMTP they are kept, as the mailer keeps its own.
 */
import type { Queryable } from '../../pipeline/intake.ts';

/** A subject as the outbox keeps it: one line (no header injection), at most 300 characters. */
export const outboxSubject = (subject: string) => subject.replace(/[\r\n]+/g, ' ').slice(0, 300);

export async function queueMailRows(
  q: Queryable,
  messages: readonly { to: string; subject: string; text: string }[],
  smtpConfigured: boolean,
): Promise<void> {
  if (messages.length === 0) return;
  await q.query(
    `insert into mail_outbox (to_address, subject, text_body, status)
     select t, s, b, $4 from unnest($1::text[], $2::text[], $3::text[]) u(t, s, b)`,
    [
      messages.map((m) => m.to),
      messages.map((m) => outboxSubject(m.subject)),
      messages.map((m) => m.text),
      smtpConfigured ? 'queued' : 'kept',
    ],
  );
}
