/** The system mailer against a local SMTP sink: concurrent flushes never take the same message. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers/db.ts';
import { type SmtpSink, startSmtpSink } from '../../test/mail/smtp-sink.ts';
import { queueMailRows } from '../db/repositories/mail-outbox.ts';
import { createMailer } from './mailer.ts';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let sink: SmtpSink;
beforeAll(async () => {
  database = await createTestDatabase();
  sink = await startSmtpSink();
});
afterAll(async () => {
  await sink.close();
  await database.drop();
});

describe('system mailer', () => {
  it('sends queued messages once, however many flushes run at the same time', async () => {
    const messages = Array.from({ length: 6 }, (_, i) => ({
      to: `sup${i}@example.com`,
      subject: `Alert ${i}\r\nBcc: evil@example.com`,
      text: `body ${i}`,
    }));
    await queueMailRows(database.pool, messages, true);
    const mailers = [1, 2, 3].map(() =>
      createMailer(database.db, { smtpUrl: sink.url, from: 'earshot@example.com' }),
    );
    const sent = await Promise.all(mailers.map((m) => m.flush()));
    expect(sent.reduce((a, b) => a + b, 0)).toBe(6);
    await sink.waitFor(6);
    expect(sink.messages.map((m) => m.envelope.to[0]).sort()).toEqual(messages.map((m) => m.to).sort());
    // A header in a subject stays in the subject.
    expect(sink.messages.every((m) => m.envelope.to.length === 1 && !m.parsed.bcc)).toBe(true);
    expect(await mailers[0]!.flush()).toBe(0);
  });

  it("a message sent at once is not sent again by a flush; a dead sender's claim is taken, a live one's not", async () => {
    const mailer = createMailer(database.db, { smtpUrl: sink.url, from: 'earshot@example.com' });
    const before = sink.messages.length;
    const r = await mailer.send({ to: 'member@example.com', subject: 'Welcome', text: 'Hello' });
    expect(r.status).toBe('sent');
    expect(await mailer.flush()).toBe(0);
    await database.pool.query(
      `insert into mail_outbox (to_address, subject, text_body, status, claimed_at)
       values ('stuck@example.com', 'Stuck', 'x', 'sending', now() - interval '16 minutes'),
              ('busy@example.com', 'Busy', 'x', 'sending', now() - interval '1 minute')`,
    );
    expect(await mailer.flush()).toBe(1);
    expect(sink.messages.slice(before).map((m) => m.envelope.to[0])).toEqual([
      'member@example.com',
      'stuck@example.com',
    ]);
  });
});
