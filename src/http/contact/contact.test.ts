/** The public contact form over HTTP: spam protection, a private conversation, a confirmation email. */
import { AxeBuilder } from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { rawEmail } from '../../../test/mail/messages.ts';
import { type SmtpSink, startSmtpSink } from '../../../test/mail/smtp-sink.ts';
import { closeSmtpTransports } from '../../channels/email/smtp-send.ts';
import { launchChromium } from '../../lib/chromium.ts';
import { shippedClassifier } from '../../pipeline/classifier.ts';
import { pipelineConfigCache } from '../../pipeline/config.ts';
import { drainAll } from '../../pipeline/drain.ts';
import { ingestEmails } from '../../services/email.ts';
import { loadEmailSettings } from '../../services/email-settings.ts';
import { signFormStamp } from './spam.ts';

let t: TestApp;
let sink: SmtpSink;
let ipCounter = 10;

const q = async <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
  (await t.ctx.database.pool.query(text, params)).rows as T[];

/** Load the form like a browser: anonymous CSRF cookie + token from the page. */
async function openForm(ip: string) {
  const res = await t.app.inject({ method: 'GET', url: '/contact', headers: { 'x-forwarded-for': ip } });
  const cookie = String(res.headers['set-cookie'] ?? '').split(';')[0]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1] ?? '';
  return { res, cookie, csrf };
}

async function submit(fields: Record<string, string>, options: { ip?: string; ageMs?: number } = {}) {
  const ip = options.ip ?? `10.0.0.${ipCounter++}`;
  const { cookie, csrf } = await openForm(ip);
  const body = new URLSearchParams({
    _csrf: csrf,
    started: signFormStamp(t.ctx.config.sessionSecret, Date.now() - (options.ageMs ?? 5_000)),
    website: '',
    name: 'Ana Customer',
    email: 'ana@customer.test',
    subject: 'Broken zipper',
    message: 'The zipper of my jacket broke after two days.',
    ...fields,
  });
  return t.app.inject({
    method: 'POST',
    url: '/contact',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': ip },
    payload: body.toString(),
  });
}

const drain = () =>
  drainAll({
    pool: t.ctx.database.pool,
    classifier: shippedClassifier(),
    config: pipelineConfigCache(t.ctx.database.db),
  });

beforeAll(async () => {
  sink = await startSmtpSink();
  t = await createTestApp({
    env: { SMTP_URL: sink.url, MAIL_FROM: 'Earshot Support <support@earshot.test>' },
  });
});
afterAll(async () => {
  await closeSmtpTransports();
  await sink?.close();
  await t?.close();
});

describe('contact form', () => {
  it('renders a form that works without JavaScript', async () => {
    const { res } = await openForm('10.1.0.1');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<form method="post" action="/contact"');
    expect(res.body).toMatch(/name="started" value="\d+\.[\w-]{32}"/);
    expect(res.body).toContain('name="website"');
    expect(res.body).not.toContain('<script');
  });

  it('opens a private conversation and emails a confirmation; the reply joins the conversation', async () => {
    const before = sink.messages.length;
    const res = await submit({});
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/contact/thanks');
    const [m] = (await sink.waitFor(before + 1)).slice(before);
    expect(m!.envelope.to).toEqual(['ana@customer.test']);
    expect(m!.parsed.subject).toMatch(/^We received your message: Broken zipper \[ref:[a-z0-9]{16}\]$/);
    const replyTo = m!.parsed.replyTo?.value[0]?.address ?? '';
    expect(replyTo).toMatch(/^support\+[a-z0-9]{16}@earshot\.test$/);
    expect(m!.parsed.headers.get('auto-submitted')).toBe('auto-replied');
    expect(m!.parsed.text).toContain('> The zipper of my jacket broke');

    await drain();
    const [conv] = await q<{ id: string; channel_kind: string; started_public: boolean; subject: string }>(
      `select c.id, c.channel_kind, c.started_public, c.subject from conversations c join posts p on p.conversation_id = c.id
        where p.channel_kind = 'webform'`,
    );
    expect(conv).toMatchObject({ channel_kind: 'webform', started_public: false, subject: 'Broken zipper' });

    // The customer answers the confirmation from their mail client.
    const settings = await loadEmailSettings(t.ctx.database.db, t.ctx.config);
    await ingestEmails({ db: t.ctx.database.db, pool: t.ctx.database.pool, settings }, [
      {
        source: Buffer.from(
          rawEmail({
            messageId: 'zipper-2@customer.test',
            to: replyTo,
            subject: `Re: ${m!.parsed.subject}`,
            inReplyTo: m!.parsed.messageId!.slice(1, -1),
            body: 'Photo attached later. Order 7781.',
          }),
        ),
        origin: 'smtp',
        envelopeTo: [replyTo],
      },
    ]);
    await drain();
    const posts = await q<{ channel_kind: string; text: string }>(
      'select channel_kind, text from posts where conversation_id = $1 order by posted_at',
      [conv!.id],
    );
    expect(posts.map((p) => p.channel_kind)).toEqual(['webform', 'email']);
    expect(posts[1]!.text).toContain('Order 7781');
  });

  it('refuses a form sent faster than a person can fill it, with a clear message', async () => {
    const res = await submit({}, { ageMs: 500 });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('That was very quick');
    expect(res.body).toContain('The zipper of my jacket broke'); // the text is kept in the form
  });

  it('refuses a forged or missing timestamp', async () => {
    const res = await submit({ started: '1700000000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('out of date');
  });

  it('silently discards honeypot submissions', async () => {
    const before = (await q('select id from inbound_queue')).length;
    const res = await submit({ website: 'http://spam.test' });
    expect(res.statusCode).toBe(303);
    expect((await q('select id from inbound_queue')).length).toBe(before);
    const [row] = await q<{ verdict: string; reason: string }>(
      `select verdict, reason from contact_submissions order by created_at desc limit 1`,
    );
    expect(row).toMatchObject({ verdict: 'rejected', reason: 'honeypot' });
  });

  it('refuses messages full of links', async () => {
    const res = await submit({ message: 'buy http://a.test http://b.test www.c.test <a href="x">d</a>' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('at most 3 links');
  });

  it('refuses line breaks in the subject (header injection)', async () => {
    const res = await submit({ subject: 'Hi\r\nBcc: victim@x.test' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('single line');
  });

  it('rate-limits one IP', async () => {
    const ip = '10.9.9.9';
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await submit({ message: `Message ${i}` }, { ip })).statusCode);
    expect(codes).toEqual([303, 303, 303, 303, 303, 429]);
  });

  it('passes axe in a real browser', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const addr = t.app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    const browser = await launchChromium();
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`http://127.0.0.1:${port}/contact`);
      const axe = await new AxeBuilder({ page }).analyze();
      expect(axe.violations.map((v) => v.id)).toEqual([]);
      await page.goto(`http://127.0.0.1:${port}/contact/thanks`);
      expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
