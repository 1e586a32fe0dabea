/**
 * Outgoing email. Every message is first written to the `mail_outbox` table; when SMTP is
 * configured (config.smtpUrl) it is sent at once with nodemailer and marked sent or failed
 * (`flushMailOutbox` retries failures). Without SMTP, messages stay in the outbox with status
 * 'kept': visible in tests and in development (`latestMailTo`).
 */
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Db } from '../db/client.ts';
import { mailOutbox } from '../db/schema/index.ts';

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
          status: options.smtpUrl ? 'queued' : 'kept',
        })
        .returning({ id: mailOutbox.id });
      const id = row!.id;
      if (!options.smtpUrl) return { id, status: 'kept' };
      return { id, status: await deliver(id, message) };
    },

    /** Retries queued and failed messages (up to 5 attempts each); returns how many were sent. */
    async flush() {
      if (!options.smtpUrl) return 0;
      const rows = await db
        .select()
        .from(mailOutbox)
        .where(and(sql`${mailOutbox.status} in ('queued','failed')`, lt(mailOutbox.attempts, 5)))
        .limit(100);
      let sent = 0;
      for (const r of rows) {
        const status = await deliver(r.id, { to: r.toAddress, subject: r.subject, text: r.textBody });
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
