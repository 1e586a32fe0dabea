/** Outbound email through the outbox to a local SMTP sink: threading headers, idempotency, back-off. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { emailTestEnv } from '../../test/mail/env.ts';
import { rawEmail } from '../../test/mail/messages.ts';
import { type SmtpSink, startSmtpSink } from '../../test/mail/smtp-sink.ts';
import { createEmailAdapter } from '../channels/email/index.ts';
import { closeSmtpTransports } from '../channels/email/smtp-send.ts';
import { type ChannelConfig, ChannelError } from '../channels/types.ts';
import { ingestEmails } from './email.ts';
import { backoffMs, deliverDueEmails, MAX_ATTEMPTS, queueEmail } from './email-outbox.ts';

let env: Awaited<ReturnType<typeof emailTestEnv>>;
let sink: SmtpSink;
const config = {
  id: 'unused',
  kind: 'email',
  baseUrl: '',
  credentials: {},
  rules: { keywords: [], handles: [], sources: [] },
} as ChannelConfig;

beforeAll(async () => {
  sink = await startSmtpSink();
  env = await emailTestEnv({ smtpUrl: sink.url });
  // The customer's message we answer.
  await ingestEmails({ db: env.db, pool: env.pool, settings: env.settings }, [
    {
      source: Buffer.from(
        rawEmail({
          messageId: 'q2@customer.test',
          subject: 'Where is my parcel?',
          inReplyTo: 'q1@customer.test',
          references: ['q1@customer.test'],
        }),
      ),
      origin: 'smtp',
    },
  ]);
});
afterAll(async () => {
  await closeSmtpTransports();
  await sink?.close();
  await env?.close();
});
beforeEach(() => {
  sink.failWith = null;
});

describe('email adapter send', () => {
  const adapter = () => createEmailAdapter({ db: env.db, settings: async () => env.settings });

  it('threads the reply in the customer client and sends text + HTML', async () => {
    const before = sink.messages.length;
    const res = await adapter().send(config, {
      idempotencyKey: 'reply-1',
      text: 'Hello Ana,\n\nYour parcel ships today.',
      inReplyToExternalId: 'q2@customer.test',
      isPrivate: true,
    });
    const [m] = (await sink.waitFor(before + 1)).slice(before);
    expect(res.externalId).toMatch(/^es\.[0-9a-f]{32}@earshot\.test$/);
    expect(m!.parsed.messageId).toBe(`<${res.externalId}>`);
    expect(m!.parsed.inReplyTo).toBe('<q2@customer.test>');
    expect(m!.parsed.references).toEqual(['<q1@customer.test>', '<q2@customer.test>']);
    expect(m!.parsed.subject).toBe('Re: Where is my parcel?');
    expect(m!.envelope.to).toEqual(['ana@customer.test']);
    expect(m!.parsed.text).toContain('Your parcel ships today.');
    expect(m!.parsed.html).toContain('<p>Your parcel ships today.</p>');
    expect(m!.parsed.headers.get('auto-submitted')).toBeUndefined();
  });

  it('never sends the same idempotency key twice', async () => {
    const before = sink.messages.length;
    const a = await adapter().send(config, {
      idempotencyKey: 'reply-2',
      text: 'Once',
      recipientExternalId: 'ana@customer.test',
      isPrivate: true,
    });
    const b = await adapter().send(config, {
      idempotencyKey: 'reply-2',
      text: 'Once',
      recipientExternalId: 'ana@customer.test',
      isPrivate: true,
    });
    expect(b.externalId).toBe(a.externalId);
    await new Promise((r) => setTimeout(r, 200));
    expect(sink.messages.length - before).toBe(1);
  });

  it('retries a temporary failure with back-off and the same Message-ID; gives up on 5xx', async () => {
    sink.failWith = 421;
    const send = () =>
      adapter().send(config, {
        idempotencyKey: 'reply-3',
        text: 'Retry me',
        recipientExternalId: 'ana@customer.test',
        isPrivate: true,
      });
    await expect(send()).rejects.toMatchObject({ code: 'smtp_unavailable' });
    const [row] = await env.query<{
      status: string;
      attempts: number;
      next_attempt_at: Date;
      message_id: string;
    }>(
      `select status, attempts, next_attempt_at, message_id from email_outbound where idempotency_key = 'reply-3'`,
    );
    expect(row).toMatchObject({ status: 'queued', attempts: 1 });
    expect(row!.next_attempt_at.getTime()).toBeGreaterThan(Date.now() + 10_000);
    // Not due yet: the job leaves it alone.
    sink.failWith = null;
    expect((await deliverDueEmails({ db: env.db, settings: env.settings })).sent).toBe(0);
    const later = () => new Date(Date.now() + 10 * 60_000);
    const before = sink.messages.length;
    expect((await deliverDueEmails({ db: env.db, settings: env.settings, now: later })).sent).toBe(1);
    const [m] = (await sink.waitFor(before + 1)).slice(before);
    expect(m!.parsed.messageId).toBe(`<${row!.message_id}>`);
    expect((await send()).externalId).toBe(row!.message_id);

    sink.failWith = 550;
    await expect(
      adapter().send(config, {
        idempotencyKey: 'reply-4',
        text: 'x',
        recipientExternalId: 'gone@customer.test',
        isPrivate: true,
      }),
    ).rejects.toBeInstanceOf(ChannelError);
    const [failed] = await env.query<{ status: string }>(
      `select status from email_outbound where idempotency_key = 'reply-4'`,
    );
    expect(failed!.status).toBe('failed');
  });

  it('rejects header injection before anything is queued', async () => {
    await expect(
      queueEmail(
        { db: env.db, settings: env.settings },
        {
          idempotencyKey: 'inj-1',
          purpose: 'reply',
          to: 'ana@customer.test',
          subject: 'Hello\r\nBcc: everyone@x.test',
          text: 'x',
        },
      ),
    ).rejects.toMatchObject({ code: 'email_header_injection' });
    expect(await env.query(`select id from email_outbound where idempotency_key = 'inj-1'`)).toHaveLength(0);
  });

  it('backs off exponentially up to an hour', () => {
    const mid = () => 0.5;
    expect(backoffMs(1, mid)).toBe(30_000);
    expect(backoffMs(2, mid)).toBe(60_000);
    expect(backoffMs(MAX_ATTEMPTS + 5, mid)).toBe(3_600_000);
  });
});
