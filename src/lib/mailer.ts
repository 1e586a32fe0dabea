/**
 * Outgoing email. Every message is first written to the `mail_outbox` table. When SMTP is configured
 * (config.smtpUrl), `send` writes it already claimed ('sending'), sends it at once with nodemailer and
 * marks it sent or failed. `flush` sends what others queued in their own transactions (SLA escalations),
 * then retries failures: it claims rows with FOR UPDATE SKIP LOCKED (committed before any is sent), so
 * concurrent flushes never take the same row, and a claim older than MAIL_CLAIM_MINUTES (a sender that
 * died) is taken again. Delivery is at least once: a crash between the server's acceptance and the
 * 'sent' mark sends that message again. Connections time out in seconds, so a silent SMTP server holds
 * no one up for long. Without SMTP, messages stay in the outbox with status 'kept': visible in tests
 * and in development (`latestMailTo`).
 */
import { desc, sql } from 'drizzle-orm';
import { smtpTransport } from '../channels/email/smtp-send.ts';
import type { Db } from '../db/client.ts';
import { outboxSubject } from '../db/repositories/mail-outbox.ts';
import { mailOutbox } from '../db/schema/index.ts';

/** A 'sending' claim older than this belongs to a sender that died: well above the SMTP timeouts. */
export const MAIL_CLAIM_MINUTES = 15;
const MAX_ATTEMPTS = 5;

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<{ id: string; status: string }>;
  flush(): Promise<number>;
}

type ClaimedRow = { id: string; to_address: string; subject: string; text_body: string };

export function createMailer(db: Db, options: { smtpUrl?: string; from: string }): Mailer {
  // The email channel's pooled transport: connection, greeting and socket time out in 10–30 s.
  const transporter = () => smtpTransport(options.smtpUrl!);

  async function deliver(id: string, message: MailMessage): Promise<string> {
    try {
      await transporter().sendMail({ from: options.from, ...message });
      await db
        .update(mailOutbox)
        .set({
          status: 'sent',
          sentAt: new Date(),
          attempts: sql`${mailOutbox.attempts} + 1`,
          lastError: null,
        })
        .where(sql`${mailOutbox.id} = ${id}`);
      return 'sent';
    } catch (err) {
      await db
        .update(mailOutbox)
        .set({
          status: 'failed',
          attempts: sql`${mailOutbox.attempts} + 1`,
          lastError: (err as Error).message.slice(0, 500),
        })
        .where(sql`${mailOutbox.id} = ${id}`);
      return 'failed';
    }
  }

  return {
    async send(message) {
      const [row] = await db
        .insert(mailOutbox)
        .values({
          toAddress: message.to,
          subject: outboxSubject(message.subject),
          textBody: message.text,
          status: options.smtpUrl ? 'sending' : 'kept',
          ...(options.smtpUrl ? { claimedAt: new Date() } : {}),
        })
        .returning({ id: mailOutbox.id });
      const id = row!.id;
      if (!options.smtpUrl) return { id, status: 'kept' };
      return { id, status: await deliver(id, message) };
    },

    /**
     * Claims up to 100 messages (queued first, then failed ones with attempts left, then dead senders'
     * claims), sends them and returns how many were sent.
     */
    async flush() {
      if (!options.smtpUrl) return 0;
      const claimed = await db.execute<ClaimedRow>(sql`
        update mail_outbox m set status = 'sending', claimed_at = now()
         where m.id in (
           select id from mail_outbox
            where attempts < ${MAX_ATTEMPTS}
              and (status in ('queued', 'failed')
                   or (status = 'sending' and claimed_at < now() - make_interval(mins => ${MAIL_CLAIM_MINUTES})))
            order by status = 'failed', created_at
            limit 100
            for update skip locked)
        returning m.id, m.to_address, m.subject, m.text_body`);
      let sent = 0;
      for (const r of claimed.rows) {
        const status = await deliver(r.id, { to: r.to_address, subject: r.subject, text: r.text_body });
        if (status === 'sent') sent++;
      }
      return sent;
    },
  };
}

/** The newest message to an address (tests, development). */
export async function latestMailTo(db: Db, to: string) {
  const [row] = await db
    .select()
    .from(mailOutbox)
    .where(sql`lower(${mailOutbox.toAddress}) = lower(${to})`)
    .orderBy(desc(mailOutbox.createdAt))
    .limit(1);
  return row;
}
