import { describe, expect, it } from 'vitest';
import { rawEmail, richEmail } from '../../../test/mail/messages.ts';
import { composeMail } from './compose.ts';
import {
  EmailHeaderError,
  extractReplyToken,
  newReplyToken,
  parseReferences,
  replyAddress,
  replySubject,
  stableMessageId,
} from './headers.ts';
import { parseEmail } from './parse.ts';
import { stripQuotedAndSignature } from './quotes.ts';

describe('parseEmail', () => {
  it('decodes encoded-word headers, ISO-8859-1 quoted-printable and keeps attachments', async () => {
    const p = await parseEmail(Buffer.from(richEmail('rich-1@customer.test')));
    expect(p.subject).toBe('Rückerstattung für Bestellung');
    expect(p.from).toEqual({ address: 'juergen@customer.test', name: 'Jürgen Müller' });
    expect(p.text).toContain('Grüße, ich möchte eine Rückerstattung.');
    expect(p.messageId).toBe('rich-1@customer.test');
    expect(p.attachments).toHaveLength(1);
    expect(p.attachments[0]).toMatchObject({
      filename: 'invoice.pdf',
      contentType: 'application/pdf',
      size: 2048,
      dropped: false,
    });
    expect(p.attachments[0]!.content?.length).toBe(2048);
    expect(p.automated).toBeNull();
  });

  it('sanitises HTML: no script, no handlers, no javascript: links, no remote images', async () => {
    const p = await parseEmail(Buffer.from(richEmail('rich-2@customer.test')));
    expect(p.html).toContain('<script>');
    expect(p.safeHtml).toContain('<b>Rückerstattung</b>');
    expect(p.safeHtml).not.toMatch(/script|onclick|javascript:|tracker\.test/);
  });

  it('drops an attachment over the limit with a note, keeping the message', async () => {
    const p = await parseEmail(Buffer.from(richEmail('rich-3@customer.test', 300_000)), {
      maxAttachmentBytes: 100_000,
      maxMessageBytes: 10_000_000,
    });
    expect(p.text).toContain('Rückerstattung');
    expect(p.attachments[0]).toMatchObject({ dropped: true, content: null, size: 300_000 });
    expect(p.notes.join(' ')).toMatch(/invoice\.pdf.*over the 100000-byte limit/);
  });

  it('threads by In-Reply-To and References', async () => {
    const p = await parseEmail(
      Buffer.from(
        rawEmail({ messageId: 'c@x.test', inReplyTo: 'b@x.test', references: ['a@x.test', 'b@x.test'] }),
      ),
    );
    expect(p.references).toEqual(['a@x.test', 'b@x.test']);
    expect(p.inReplyTo).toBe('b@x.test');
    expect(p.threadKey).toBe('a@x.test');
  });

  it('survives malformed MIME and a missing Message-ID', async () => {
    const broken = [
      'From: someone@customer.test',
      'Subject: broken',
      'Content-Type: multipart/mixed',
      '',
      '--nothing here',
      'Content-Type: text/plain',
      '',
      'still readable text',
    ].join('\r\n');
    const p = await parseEmail(Buffer.from(broken));
    expect(p.messageId).toMatch(/^missing\.[0-9a-f]{32}@earshot\.invalid$/);
    expect(p.notes.some((n) => /Message-ID/.test(n))).toBe(true);
    expect(p.text + p.attachments.map((a) => a.content?.toString()).join('')).toContain(
      'still readable text',
    );
    // Same bytes, same id: re-ingesting de-duplicates.
    expect((await parseEmail(Buffer.from(broken))).messageId).toBe(p.messageId);
    const garbage = await parseEmail(Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x0d, 0x0a, 0x0d, 0x0a, 0x41]));
    expect(garbage.messageId).toMatch(/^missing\./);
  });

  it('recognises auto-replies and bounces', async () => {
    const auto = async (headers: Record<string, string>, from?: string) =>
      (await parseEmail(Buffer.from(rawEmail({ headers, ...(from ? { from } : {}) })))).automated;
    expect(await auto({ 'Auto-Submitted': 'auto-replied' })).toMatchObject({ kind: 'auto_reply' });
    expect(await auto({ 'Auto-Submitted': 'no' })).toBeNull();
    expect(await auto({ 'X-Autoreply': 'yes' })).toMatchObject({ kind: 'auto_reply' });
    expect(await auto({ Precedence: 'bulk' })).toMatchObject({ kind: 'auto_reply' });
    expect(await auto({ Precedence: 'auto_reply' })).toMatchObject({ kind: 'auto_reply' });
    expect(await auto({}, 'Mail Delivery System <MAILER-DAEMON@mx.customer.test>')).toMatchObject({
      kind: 'bounce',
    });
    const dsn = [
      'From: postmaster-robot@mx.test',
      'To: support@earshot.test',
      'Subject: Undelivered Mail',
      'Message-ID: <dsn-1@mx.test>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain',
      '',
      'Delivery failed.',
      '--b',
      'Content-Type: message/delivery-status',
      '',
      'Action: failed',
      '--b--',
      '',
    ].join('\r\n');
    expect((await parseEmail(Buffer.from(dsn))).automated).toMatchObject({ kind: 'bounce' });
    expect(await auto({})).toBeNull();
  });
});

describe('quoted history and signatures', () => {
  it('keeps only the new text for display', () => {
    const gmail =
      'Thanks, that worked!\n\nOn Mon, 2 Nov 2026 at 10:00, Support <support@earshot.test> wrote:\n> Try restarting.\n> Bye';
    expect(stripQuotedAndSignature(gmail)).toBe('Thanks, that worked!');
    const outlook = 'Still broken.\n\n-----Original Message-----\nFrom: Support\nSent: Monday\nOld text';
    expect(stripQuotedAndSignature(outlook)).toBe('Still broken.');
    const sig = 'See attached.\n\n-- \nAna Customer\nACME Ltd';
    expect(stripQuotedAndSignature(sig)).toBe('See attached.');
    const mobile = 'Ok\n\nSent from my iPhone';
    expect(stripQuotedAndSignature(mobile)).toBe('Ok');
    const inline = '> question one?\nanswer one\n> question two?\nanswer two';
    expect(stripQuotedAndSignature(inline)).toBe('answer one\nanswer two');
    expect(stripQuotedAndSignature('> only a quote')).toBe('> only a quote');
  });
});

describe('outbound headers', () => {
  const base = {
    messageId: stableMessageId('key-1', 'earshot.test'),
    from: 'support@earshot.test',
    to: 'ana@customer.test',
    subject: 'Re: My order',
    text: 'Hello Ana,\n\nIt ships today: https://track.test/1',
  };

  it('derives a stable Message-ID from the idempotency key', () => {
    expect(stableMessageId('key-1', 'earshot.test')).toBe(base.messageId);
    expect(stableMessageId('key-2', 'earshot.test')).not.toBe(base.messageId);
  });

  it('sets threading headers, Reply-To and a plain-text part beside HTML', () => {
    const m = composeMail({
      ...base,
      inReplyTo: 'b@x.test',
      references: ['a@x.test', 'b@x.test'],
      replyTo: 'support+abc@earshot.test',
    });
    expect(m.messageId).toBe(`<${base.messageId}>`);
    expect(m.inReplyTo).toBe('<b@x.test>');
    expect(m.references).toEqual(['<a@x.test>', '<b@x.test>']);
    expect(m.replyTo).toBe('support+abc@earshot.test');
    expect(m.text).toContain('It ships today');
    expect(String(m.html)).toContain('<a href="https://track.test/1">');
  });

  it('rejects CR/LF in subject, names and addresses (header injection)', () => {
    expect(() => composeMail({ ...base, subject: 'Hi\r\nBcc: victim@x.test' })).toThrow(EmailHeaderError);
    expect(() => composeMail({ ...base, fromName: 'Support\nBcc: x@y.test' })).toThrow(/single line/);
    expect(() => composeMail({ ...base, to: 'ana@customer.test\r\nBcc: v@x.test' })).toThrow(
      EmailHeaderError,
    );
    expect(() => composeMail({ ...base, to: 'not an address' })).toThrow(/valid email/);
  });

  it('builds and finds per-conversation reply addresses', () => {
    const token = newReplyToken();
    const addr = replyAddress('support@earshot.test', token);
    expect(addr).toBe(`support+${token}@earshot.test`);
    expect(extractReplyToken(['other@x.test', addr.toUpperCase()], 'support@earshot.test')).toBe(token);
    expect(extractReplyToken(['support+nottoken@earshot.test'], 'support@earshot.test')).toBeUndefined();
    expect(
      extractReplyToken(['support@earshot.test'], 'support@earshot.test', `Re: hello [ref:${token}]`),
    ).toBe(token);
    expect(extractReplyToken([`support+${token}@elsewhere.test`], 'support@earshot.test')).toBeUndefined();
    expect(replySubject('Re: x')).toBe('Re: x');
    expect(replySubject('x')).toBe('Re: x');
    expect(parseReferences('<a@b> <c@d>\r\n <a@b>')).toEqual(['a@b', 'c@d']);
  });
});
