/**
 * `npm run bench -- email [count]`: inbound email on its own embedded PostgreSQL.
 * 1. IMAP: COUNT messages (default 1,000) APPENDed to a private Dovecot, then ingested by
 *    pollImapOnce (fetch, parse, store with raw source, thread, hand to the triage intake): messages/s.
 * 2. SMTP: COUNT messages delivered to Earshot's SMTP listener over 4 connections (250 only after
 *    the message is stored and queued for triage): messages/s.
 * 3. Delivery → inbox: 40 messages one at a time, with the IMAP watcher (IDLE) and a pipeline drain
 *    loop running, and again through SMTP: time from delivery to the post stored in its conversation.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { imapSettingsFromUrl, watchMailbox } from '../src/channels/email/imap.ts';
import { startSmtpListener } from '../src/channels/email/smtp-listener.ts';
import { loadConfig } from '../src/config/index.ts';
import { migrateDatabase, openDatabase } from '../src/db/client.ts';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { channels } from '../src/db/schema/index.ts';
import { pollImapOnce } from '../src/jobs/email-inbound.ts';
import { encryptJson } from '../src/lib/crypto.ts';
import { shippedClassifier } from '../src/pipeline/classifier.ts';
import { pipelineConfigCache } from '../src/pipeline/config.ts';
import { drainOnce } from '../src/pipeline/drain.ts';
import { ingestEmails } from '../src/services/email.ts';
import { forgetEmailSettings, loadEmailSettings } from '../src/services/email-settings.ts';
import { freePort } from '../test/global-setup.ts';
import { DOVECOT_MISSING, dovecotBinary, startDovecot } from '../test/mail/dovecot.ts';
import { rawEmail } from '../test/mail/messages.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};
const BODIES = [
  'Hello, my order 1234 has not arrived yet and the tracking page shows nothing since Monday. Can you check?',
  'The app crashes every time I open the settings page on my phone. I already reinstalled it twice.',
  'I was charged twice for my subscription this month. Please refund the second payment.',
  'Thanks a lot for the quick help yesterday, everything works now!',
];

function message(run: string, i: number): string {
  const parent = i % 4 === 3 ? `${run}-${i - 1}@customer.test` : undefined;
  return rawEmail({
    messageId: `${run}-${i}@customer.test`,
    from: `Customer ${i % 300} <c${i % 300}@customer.test>`,
    subject: parent ? 'Re: Question' : `Question ${i}`,
    body: `${BODIES[i % BODIES.length]}\r\n\r\n-- \r\nCustomer ${i % 300}`,
    ...(parent ? { inReplyTo: parent, references: [parent] } : {}),
  });
}

export default async function run(args: string[]): Promise<void> {
  const count = Number(args[0] ?? 1000);
  const dir = mkdtempSync(join(tmpdir(), 'earshot-bench-email-'));
  const server = await startEmbeddedPostgres({ dataDir: dir, port: await freePort() });
  const database = openDatabase(server.url, { max: 8 });
  const dovecot = dovecotBinary() ? await startDovecot() : undefined;
  if (!dovecot) console.log(`(${DOVECOT_MISSING}: IMAP figures skipped)`);
  const stops: (() => Promise<unknown>)[] = [];
  try {
    await migrateDatabase(server.url);
    const { db, pool } = database;
    const config = loadConfig({
      EARSHOT_SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-01',
      EARSHOT_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
      EARSHOT_DATA_DIR: dir,
      MAIL_FROM: 'Support <support@earshot.test>',
    });
    const s0 = await loadEmailSettings(db, config, {});
    const imapUrl = dovecot
      ? `imap://${dovecot.user}:${dovecot.password}@127.0.0.1:${dovecot.port}/INBOX`
      : undefined;
    await db
      .update(channels)
      .set({ credentialsEnc: encryptJson(config.encryptionKey, imapUrl ? { imapUrl } : {}) })
      .where(eq(channels.id, s0.channelId));
    forgetEmailSettings(db);
    const settings = await loadEmailSettings(db, config, {});
    const deps = { db, pool, config };
    const pipeline = { pool, classifier: shippedClassifier(), config: pipelineConfigCache(db) };
    const rows: string[] = [];

    // 1. IMAP throughput
    let client: ImapFlow | undefined;
    if (dovecot) {
      client = new ImapFlow({
        host: '127.0.0.1',
        port: dovecot.port,
        secure: false,
        doSTARTTLS: false,
        auth: { user: dovecot.user, pass: dovecot.password },
        logger: false,
      });
      await client.connect();
      stops.push(() => client!.logout());
      for (let i = 0; i < count; i++) await client.append('INBOX', message('imap', i));
      const t0 = performance.now();
      const r = await pollImapOnce(deps);
      const secs = (performance.now() - t0) / 1000;
      rows.push(
        `| IMAP fetch → parse → store → intake | ${r.ingested} | ${secs.toFixed(2)} | ${(r.ingested / secs).toFixed(0)} |`,
      );
    }

    // 2. SMTP throughput
    const listener = await startSmtpListener({
      port: 0,
      domains: settings.domains,
      maxMessageBytes: settings.limits.maxMessageBytes,
      onMessage: async (source, envelope) => {
        await ingestEmails({ db, pool, settings }, [{ source, origin: 'smtp', envelopeTo: envelope.to }]);
      },
    });
    stops.push(listener.close);
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: listener.port,
      secure: false,
      ignoreTLS: true,
      pool: true,
      maxConnections: 4,
      maxMessages: Number.POSITIVE_INFINITY,
    });
    stops.push(async () => transport.close());
    const send = (raw: string) =>
      transport.sendMail({ envelope: { from: 'c@customer.test', to: [settings.address] }, raw });
    {
      const t0 = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          while (next < count) await send(message('smtp', next++));
        }),
      );
      const secs = (performance.now() - t0) / 1000;
      rows.push(
        `| SMTP listener (4 connections), 250 after store + intake | ${count} | ${secs.toFixed(2)} | ${(count / secs).toFixed(0)} |`,
      );
    }

    // Drain the backlog before measuring latency.
    const d0 = performance.now();
    let drained = 0;
    for (;;) {
      const r = await drainOnce(pipeline, 1000);
      if (!r) break;
      drained += r.stored;
    }
    const drainSecs = (performance.now() - d0) / 1000;

    // 3. Delivery → conversation latency, with a drain loop and (for IMAP) the IDLE watcher running.
    let running = true;
    const loop = (async () => {
      while (running) {
        const r = await drainOnce(pipeline, 1000).catch(() => null);
        if (!r) await sleep(10);
      }
    })();
    stops.push(async () => {
      running = false;
      await loop;
    });
    const waitStored = async (messageId: string, since: number): Promise<number> => {
      for (;;) {
        const r = await pool.query(
          'select 1 from posts where external_id = $1 and conversation_id is not null',
          [messageId],
        );
        if (r.rowCount) return performance.now() - since;
        await sleep(5);
      }
    };
    const latency = async (label: string, deliver: (raw: string) => Promise<unknown>, run: string) => {
      const xs: number[] = [];
      for (let i = 0; i < 40; i++) {
        const t0 = performance.now();
        await deliver(message(run, i));
        xs.push(await waitStored(`${run}-${i}@customer.test`, t0));
      }
      rows.push(`| ${label} | 40 | p50 ${pct(xs, 50).toFixed(0)} ms | p95 ${pct(xs, 95).toFixed(0)} ms |`);
    };
    if (dovecot && client && settings.imapUrl) {
      const watcher = await watchMailbox(imapSettingsFromUrl(settings.imapUrl), async () => {
        await pollImapOnce(deps);
      });
      stops.push(watcher.stop);
      await latency(
        `IMAP APPEND → conversation (${watcher.idle ? 'IDLE' : 'polling'} + drain loop)`,
        (raw) => client!.append('INBOX', raw),
        'imaplat',
      );
    }
    await latency('SMTP delivery → conversation (drain loop)', send, 'smtplat');

    console.log(`\nInbound email, ${count} messages of ~0.5 KB (plain text, signature, a quarter replies)\n`);
    console.log('| path | messages | seconds | messages/s |');
    console.log('|---|---|---|---|');
    for (const r of rows.slice(0, dovecot ? 2 : 1)) console.log(r);
    console.log(
      `| (triage pipeline drain of that backlog, for reference) | ${drained} | ${drainSecs.toFixed(2)} | ${(drained / drainSecs).toFixed(0)} |`,
    );
    console.log('\n| delivery → post stored in its conversation | n | p50 | p95 |');
    console.log('|---|---|---|---|');
    for (const r of rows.slice(dovecot ? 2 : 1)) console.log(r);
  } finally {
    for (const s of stops.reverse()) await s().catch(() => {});
    await database.close();
    await server.stop();
    await dovecot?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
