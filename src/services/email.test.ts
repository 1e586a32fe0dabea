/**
 * Inbound email against real servers on 127.0.0.1: Debian's Dovecot (IMAP, messages delivered by
 * APPEND) and Earshot's own SMTP listener; the triage pipeline opens the conversations.
 */
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOVECOT_MISSING, type Dovecot, dovecotBinary, startDovecot } from '../../test/mail/dovecot.ts';
import { emailTestEnv, SUPPORT } from '../../test/mail/env.ts';
import { rawEmail, richEmail } from '../../test/mail/messages.ts';
import { type SmtpSink, startSmtpSink } from '../../test/mail/smtp-sink.ts';
import { type SmtpListener, startSmtpListener } from '../channels/email/smtp-listener.ts';
import { closeSmtpTransports } from '../channels/email/smtp-send.ts';
import { pollImapOnce } from '../jobs/email-inbound.ts';
import { enqueueInbound } from '../pipeline/intake.ts';
import { ingestEmails } from './email.ts';
import { inviteToEmailSidebar } from './email-sidebar.ts';

let env: Awaited<ReturnType<typeof emailTestEnv>>;
let sink: SmtpSink;
let listener: SmtpListener;

async function smtpDeliver(raw: string, to: string[], port = listener.port) {
  const t = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  try {
    return await t.sendMail({ envelope: { from: 'ana@customer.test', to }, raw });
  } finally {
    t.close();
  }
}

const postsOf = (conversationId: string) =>
  env.query<{ external_id: string; is_private: boolean; text: string; channel_kind: string }>(
    'select external_id, is_private, text, channel_kind from posts where conversation_id = $1 order by received_at, posted_at',
    [conversationId],
  );
const conversationOf = async (externalId: string) =>
  (
    await env.query<{ conversation_id: string }>('select conversation_id from posts where external_id = $1', [
      externalId,
    ])
  )[0]?.conversation_id;

beforeAll(async () => {
  sink = await startSmtpSink();
  env = await emailTestEnv({ smtpUrl: sink.url });
  listener = await startSmtpListener({
    port: 0,
    domains: ['earshot.test'],
    maxMessageBytes: 200_000,
    onMessage: async (source, envelope) => {
      await ingestEmails({ db: env.db, pool: env.pool, settings: env.settings }, [
        { source, origin: 'smtp', envelopeTo: envelope.to },
      ]);
    },
  });
});

afterAll(async () => {
  await closeSmtpTransports();
  await listener?.close();
  await sink?.close();
  await env?.close();
});

describe('SMTP listener', () => {
  it('accepts mail for our domain, threads a reply into the same conversation', async () => {
    await smtpDeliver(rawEmail({ messageId: 'first@customer.test', subject: 'Broken kettle' }), [SUPPORT]);
    await env.drain();
    const conv = await conversationOf('first@customer.test');
    expect(conv).toBeTruthy();
    const [c] = await env.query<{ subject: string; channel_kind: string }>(
      'select subject, channel_kind from conversations where id = $1',
      [conv],
    );
    expect(c).toMatchObject({ subject: 'Broken kettle', channel_kind: 'email' });

    const reply = rawEmail({
      messageId: 'second@customer.test',
      subject: 'Re: Broken kettle',
      inReplyTo: 'first@customer.test',
      references: ['first@customer.test'],
      body: 'Here is the serial number: 42.\r\n\r\nOn Mon, 2 Nov 2026, Support wrote:\r\n> What is the serial?\r\n',
    });
    await smtpDeliver(reply, [SUPPORT]);
    await env.drain();
    expect(await conversationOf('second@customer.test')).toBe(conv);
    const posts = await postsOf(conv!);
    expect(posts.map((p) => p.external_id)).toEqual(['first@customer.test', 'second@customer.test']);
    expect(posts[1]!.text).toBe('Here is the serial number: 42.');
    expect(posts.every((p) => p.is_private)).toBe(true);
    // The full original is kept.
    const [stored] = await env.query<{ text_body: string; raw_size: number }>(
      `select text_body, raw_size from email_messages where message_id = 'second@customer.test'`,
    );
    expect(stored!.text_body).toContain('> What is the serial?');
  });

  it('stores a re-delivered message once', async () => {
    const raw = rawEmail({ messageId: 'twice@customer.test' });
    await smtpDeliver(raw, [SUPPORT]);
    await smtpDeliver(raw, [SUPPORT]);
    await env.drain();
    const rows = await env.query(`select id from email_messages where message_id = 'twice@customer.test'`);
    expect(rows).toHaveLength(1);
    expect(await env.query(`select id from posts where external_id = 'twice@customer.test'`)).toHaveLength(1);
  });

  it('refuses relaying and oversized messages with clear SMTP errors', async () => {
    await expect(smtpDeliver(rawEmail(), ['someone@elsewhere.test'])).rejects.toThrow(/Relay denied/);
    const huge = richEmail('huge@customer.test', 400_000);
    await expect(smtpDeliver(huge, [SUPPORT])).rejects.toThrow(/552|too large/i);
  });

  it('stores bounces and auto-replies but never hands them on (no loops)', async () => {
    const before = sink.messages.length;
    await smtpDeliver(
      rawEmail({
        messageId: 'ooo@customer.test',
        headers: { 'Auto-Submitted': 'auto-replied' },
        subject: 'Out of office',
      }),
      [SUPPORT],
    );
    await smtpDeliver(
      rawEmail({
        messageId: 'bounce@mx.test',
        from: 'MAILER-DAEMON@mx.customer.test',
        subject: 'Undeliverable',
      }),
      [SUPPORT],
    );
    await env.drain();
    const rows = await env.query<{ automated: string; handed_at: Date | null }>(
      `select automated, handed_at from email_messages where message_id in ('ooo@customer.test', 'bounce@mx.test') order by automated`,
    );
    expect(rows.map((r) => r.automated)).toEqual(['auto_reply', 'bounce']);
    expect(rows.every((r) => r.handed_at)).toBe(true);
    expect(
      await env.query(`select id from posts where external_id in ('ooo@customer.test', 'bounce@mx.test')`),
    ).toHaveLength(0);
    expect(sink.messages.length).toBe(before);
  });

  it('keeps HTML with scripts but shows it sanitised; stores attachments', async () => {
    await smtpDeliver(richEmail('rich@customer.test'), [SUPPORT]);
    const [row] = await env.query<{ id: string; html_body: string; subject: string; from_name: string }>(
      `select id, html_body, subject, from_name from email_messages where message_id = 'rich@customer.test'`,
    );
    expect(row).toMatchObject({ subject: 'Rückerstattung für Bestellung', from_name: 'Jürgen Müller' });
    expect(row!.html_body).toContain('<script>');
    const att = await env.query<{ filename: string; size: number; content: Buffer }>(
      'select filename, size, content from email_attachments where email_id = $1',
      [row!.id],
    );
    expect(att).toHaveLength(1);
    expect(att[0]!.content.length).toBe(2048);
  });
});

describe('private email sidebar of a public conversation', () => {
  it('invites by email with a per-conversation address; the answer lands in the same conversation', async () => {
    const [x] = await env.query<{ id: string }>(
      `insert into channels (kind, name, base_url) values ('x', 'X', 'http://127.0.0.1') returning id`,
    );
    await enqueueInbound(env.pool, [
      {
        channelKind: 'x',
        channelId: x!.id,
        externalId: 'tweet-1',
        threadExternalId: 'tweet-1',
        author: { externalId: 'u-9', handle: 'ana' },
        text: '@brand my order never arrived, terrible',
        isPrivate: false,
        createdAt: new Date().toISOString(),
        matchedBy: 'mention',
      },
    ]);
    await env.drain();
    const conv = await conversationOf('tweet-1');
    expect(conv).toBeTruthy();
    const before = sink.messages.length;
    const invite = await inviteToEmailSidebar(
      { db: env.db, settings: env.settings },
      { conversationId: conv!, customerEmail: 'Ana@Customer.test', agentName: 'Sam' },
    );
    expect(invite.status).toBe('sent');
    const again = await inviteToEmailSidebar(
      { db: env.db, settings: env.settings },
      { conversationId: conv!, customerEmail: 'ana@customer.test', agentName: 'Sam' },
    );
    expect(again.token).toBe(invite.token);
    const sent = (await sink.waitFor(before + 1)).slice(before);
    expect(sent).toHaveLength(1);
    const mail = sent[0]!.parsed;
    expect(mail.replyTo?.value[0]?.address).toBe(`support+${invite.token}@earshot.test`);
    expect(mail.headers.get('auto-submitted')).toBe('auto-replied');
    expect(mail.text).toContain('Sam');
    expect(mail.html).toBeTruthy();

    // The customer answers the invitation (their client replies to Reply-To, threading on our Message-ID).
    await smtpDeliver(
      rawEmail({
        messageId: 'sidebar-answer@customer.test',
        to: invite.replyAddress,
        subject: `Re: ${mail.subject}`,
        inReplyTo: invite.messageId,
        references: [invite.messageId],
        body: 'My order number is 5521 and my address is private.',
      }),
      [invite.replyAddress],
    );
    await env.drain();
    expect(await conversationOf('sidebar-answer@customer.test')).toBe(conv);
    const posts = await postsOf(conv!);
    expect(posts.map((p) => [p.channel_kind, p.is_private])).toEqual([
      ['x', false],
      ['email', true],
    ]);
  });

  it('rejects header injection in the invitation', async () => {
    await expect(
      inviteToEmailSidebar(
        { db: env.db, settings: env.settings },
        {
          conversationId: '00000000-0000-0000-0000-000000000000',
          customerEmail: 'a@b.test',
          agentName: 'Sam\r\nBcc: x@y.test',
        },
      ),
    ).rejects.toThrow(/single line/);
  });
});

const hasDovecot = Boolean(dovecotBinary());
if (!hasDovecot) console.warn(DOVECOT_MISSING);

describe.skipIf(!hasDovecot)('IMAP (Dovecot)', () => {
  let dovecot: Dovecot;
  let imap: ImapFlow;

  beforeAll(async () => {
    dovecot = await startDovecot();
    await env.reconfigure({
      smtpUrl: sink.url,
      imapUrl: `imap://${dovecot.user}:${dovecot.password}@127.0.0.1:${dovecot.port}/INBOX`,
      maxAttachmentBytes: '100000',
      maxMessageBytes: '1000000',
    });
    imap = new ImapFlow({
      host: '127.0.0.1',
      port: dovecot.port,
      secure: false,
      doSTARTTLS: false,
      auth: { user: dovecot.user, pass: dovecot.password },
      logger: false,
    });
    await imap.connect();
  }, 30_000);

  afterAll(async () => {
    await imap?.logout().catch(() => {});
    await dovecot?.stop();
  });

  it('fetches new mail above the UID cursor, once, and threads replies', async () => {
    await imap.append('INBOX', rawEmail({ messageId: 'imap-1@customer.test', subject: 'Invoice question' }));
    await imap.append('INBOX', richEmail('imap-2@customer.test', 150_000));
    const first = await pollImapOnce({ db: env.db, pool: env.pool, config: env.config });
    expect(first.ingested).toBe(2);
    const big = first.results.find((r) => r.messageId === 'imap-2@customer.test')!;
    expect(big.notes.join(' ')).toMatch(/over the 100000-byte limit/);
    expect((await pollImapOnce({ db: env.db, pool: env.pool, config: env.config })).ingested).toBe(0);

    await imap.append(
      'INBOX',
      rawEmail({
        messageId: 'imap-3@customer.test',
        inReplyTo: 'imap-1@customer.test',
        references: ['imap-1@customer.test'],
        subject: 'Re: Invoice question',
      }),
    );
    expect((await pollImapOnce({ db: env.db, pool: env.pool, config: env.config })).ingested).toBe(1);
    await env.drain();
    const conv = await conversationOf('imap-1@customer.test');
    expect(conv).toBeTruthy();
    expect(await conversationOf('imap-3@customer.test')).toBe(conv);
    const [att] = await env.query<{ dropped: boolean; note: string; content: Buffer | null }>(
      `select a.dropped, a.note, a.content from email_attachments a join email_messages m on m.id = a.email_id where m.message_id = 'imap-2@customer.test'`,
    );
    expect(att).toMatchObject({ dropped: true, content: null });
  });

  it('imports an over-limit message headers-only and leaves it in the mailbox', async () => {
    await imap.append('INBOX', richEmail('imap-huge@customer.test', 1_200_000));
    const r = await pollImapOnce({ db: env.db, pool: env.pool, config: env.config });
    expect(r.results[0]?.notes.join(' ')).toMatch(/only its headers were imported/);
    const [row] = await env.query<{ subject: string }>(
      `select subject from email_messages where message_id = 'imap-huge@customer.test'`,
    );
    expect(row?.subject).toBe('Rückerstattung für Bestellung');
    const status = await imap.status('INBOX', { messages: true });
    expect(status ? status.messages : 0).toBeGreaterThanOrEqual(4);
  });
});
