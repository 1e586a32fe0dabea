/**
 * Outgoing email. Every message is first written to the `mail_outbox` table; when SMTP is
 * configured (config.smtpUrl) `send` marks it 'sending', sends it at once with nodemailer and marks it
 * sent or failed. `flush` sends what others queued (SLA escalations, written in their own transaction),
 * retries failures, and picks up a 'sending' row left behind by a process that died before sending;
 * one flush at a time (advisory lock), so a message is never sent by two flushes. Without SMTP, messages
 * stay in the outbox with status 'kept': visible in tests and in development (`latestMailTo`).
 */
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Db } from '../db/client.ts';
import { mailOutbox } from '../db/schema/index.ts';

/** Advisory lock key of the one running flush. */
const FLUSH_LOCK = 7351;

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<{ id: string; status: string }>;
  flush(): Promise<number>;
}

export function createMailer(db: Db, options: { smtpUrl?: string; from: string }): Mailer {
  let transport: Transporter | undefined;
  const transporter = () => {
    transport ??= nodemailer.createTransport(options.smtpUrl);
    return transport;
  };

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
        .where(eq(mailOutbox.id, id));
      return 'sent';
    } catch (err) {
      await db
        .update(mailOutbox)
        .set({
          status: 'failed',
          attempts: sql`${mailOutbox.attempts} + 1`,
          lastError: (err as Error).message.slice(0, 500),
        })
        .where(eq(mailOutbox.id, id));
      return 'failed';
    }
  }

  return {
    async send(message) {
      const [row] = await db
        .insert(mailOutbox)
        .values({
          toAddress: message.to,
          subject: message.subject.replace(/[\r\n]+/g, ' ').slice(0, 300),
          textBody: message.text,
          status: options.smtpUrl ? 'sending' : 'kept',
        })
        .returning({ id: mailOutbox.id });
      const id = row!.id;
      if (!options.smtpUrl) return { id, status: 'kept' };
      return { id, status: await deliver(id, message) };
    },

    /** Sends queued messages and retries failed ones (up to 5 attempts each); returns how many were sent. */
    async flush() {
      if (!options.smtpUrl) return 0;
      return db.transaction(async (tx) => {
        const lock = await tx.execute<{ ok: boolean }>(
          sql`select pg_try_advisory_xact_lock(${FLUSH_LOCK}) as ok`,
        );
        if (!lock.rows[0]?.ok) return 0;
        const rows = await tx
          .select()
          .from(mailOutbox)
          .where(
            and(
              sql`(${mailOutbox.status} in ('queued','failed')
                   or (${mailOutbox.status} = 'sending' and ${mailOutbox.createdAt} < now() - interval '10 minutes'))`,
              lt(mailOutbox.attempts, 5),
            ),
          )
          .orderBy(mailOutbox.createdAt)
          .limit(100);
        let sent = 0;
        for (const r of rows) {
          const status = await deliver(r.id, { to: r.toAddress, subject: r.subject, text: r.textBody });
          if (status === 'sent') sent++;
        }
        return sent;
      });
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
