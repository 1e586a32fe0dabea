/**
 * Inbound email, in worker processes:
 * - `pollImapOnce`: fetch new messages above the stored UID cursor (channels.cursor of the email
 *   channel), ingest them, store the cursor. Safe to run from any number of workers: a message seen
 *   twice is stored once (Message-ID) and the pipeline de-duplicates posts.
 * - `startEmailInbound`: the long-running part: an IMAP watcher (IDLE where the server offers it,
 *   else NOOP polling) that calls pollImapOnce on new mail, and the SMTP listener when a port is set.
 * Register in the worker start-up: `const inbound = await startEmailInbound({...})`, `inbound.stop()`
 * on shutdown; and the periodic safety net
 *   await boss.createQueue(EMAIL_IMAP_POLL_JOB);
 *   await boss.schedule(EMAIL_IMAP_POLL_JOB, EMAIL_IMAP_POLL_CRON, {});
 *   await boss.work(EMAIL_IMAP_POLL_JOB, () => pollImapOnce({ db, pool, config }));
 */
import { eq, sql } from 'drizzle-orm';
import type pg from 'pg';
import {
  fetchSince,
  type ImapCursor,
  imapClient,
  imapSettingsFromUrl,
  watchMailbox,
} from '../channels/email/imap.ts';
import { startSmtpListener } from '../channels/email/smtp-listener.ts';
import type { Config } from '../config/index.ts';
import type { Db } from '../db/client.ts';
import { channels } from '../db/schema/index.ts';
import { type EmailIntake, handUnhandedEmails, type IngestResult, ingestEmails } from '../services/email.ts';
import { loadEmailSettings } from '../services/email-settings.ts';

export const EMAIL_IMAP_POLL_JOB = 'email-imap-poll';
export const EMAIL_IMAP_POLL_CRON = '* * * * *';

export interface EmailInboundJobDeps {
  db: Db;
  pool: pg.Pool;
  config: Pick<Config, 'mailFrom' | 'smtpUrl' | 'baseUrl' | 'encryptionKey'>;
  intake?: EmailIntake;
  log?: (msg: string) => void;
}

/** One IMAP pass: everything new since the cursor (in batches), then the cursor is stored. */
export async function pollImapOnce(
  deps: EmailInboundJobDeps,
): Promise<{ ingested: number; results: IngestResult[] }> {
  const settings = await loadEmailSettings(deps.db, deps.config);
  if (!settings.imapUrl) return { ingested: 0, results: [] };
  const imap = imapSettingsFromUrl(settings.imapUrl);
  const [row] = await deps.db
    .select({ cursor: channels.cursor })
    .from(channels)
    .where(eq(channels.id, settings.channelId));
  let cursor = ((row?.cursor ?? {}) as { imap?: ImapCursor }).imap ?? {};
  const client = imapClient(imap);
  const results: IngestResult[] = [];
  const started = Date.now();
  try {
    await client.connect();
    for (;;) {
      const batch = await fetchSince(client, imap.mailbox ?? 'INBOX', cursor, settings.limits);
      if (batch.messages.length > 0) {
        results.push(
          ...(await ingestEmails(
            { db: deps.db, pool: deps.pool, settings, ...(deps.intake ? { intake: deps.intake } : {}) },
            batch.messages.map((m) => ({
              source: m.source,
              ...(m.headers ? { headers: m.headers } : {}),
              size: m.size,
              uid: m.uid,
              origin: 'imap' as const,
            })),
          )),
        );
      }
      cursor = batch.cursor;
      await deps.db
        .update(channels)
        .set({
          cursor: sql`${channels.cursor} || ${JSON.stringify({ imap: cursor })}::jsonb`,
          lastPolledAt: new Date(),
          lastSuccessAt: new Date(),
          lastError: null,
          lagMs: Date.now() - started,
        })
        .where(eq(channels.id, settings.channelId));
      if (batch.messages.length < 200) break;
    }
  } catch (err) {
    await deps.db
      .update(channels)
      .set({
        lastPolledAt: new Date(),
        lastErrorAt: new Date(),
        lastError: (err as Error).message.slice(0, 500),
      })
      .where(eq(channels.id, settings.channelId));
    throw err;
  } finally {
    await client.logout().catch(() => client.close());
  }
  return { ingested: results.length, results };
}

export interface EmailInbound {
  smtpPort?: number;
  imapIdle?: boolean;
  stop(): Promise<void>;
}

export async function startEmailInbound(
  deps: EmailInboundJobDeps,
  options: { smtpHost?: string } = {},
): Promise<EmailInbound> {
  const settings = await loadEmailSettings(deps.db, deps.config);
  const log = deps.log ?? (() => {});
  const stops: (() => Promise<void>)[] = [];
  const out: EmailInbound = {
    async stop() {
      for (const s of stops.reverse()) await s().catch(() => {});
    },
  };
  await handUnhandedEmails({
    db: deps.db,
    pool: deps.pool,
    settings,
    ...(deps.intake ? { intake: deps.intake } : {}),
  }).catch((err: Error) => log(`email: re-handing stored mail failed: ${err.message}`));
  if (settings.smtpListenPort !== undefined) {
    const listener = await startSmtpListener({
      host: options.smtpHost ?? '0.0.0.0',
      port: settings.smtpListenPort,
      domains: settings.domains,
      maxMessageBytes: settings.limits.maxMessageBytes,
      onMessage: async (source, envelope) => {
        await ingestEmails(
          { db: deps.db, pool: deps.pool, settings, ...(deps.intake ? { intake: deps.intake } : {}) },
          [{ source, origin: 'smtp', envelopeTo: envelope.to }],
        );
      },
      onError: (err) => log(`email smtp listener: ${err.message}`),
    });
    out.smtpPort = listener.port;
    stops.push(listener.close);
    log(`email: SMTP listener on port ${listener.port} for ${settings.domains.join(', ')}`);
  }
  if (settings.imapUrl) {
    const watcher = await watchMailbox(
      imapSettingsFromUrl(settings.imapUrl),
      async () => {
        await pollImapOnce(deps);
      },
      { onError: (err) => log(`email imap: ${err.message}`) },
    );
    out.imapIdle = watcher.idle;
    stops.push(watcher.stop);
    log(`email: watching the IMAP mailbox (${watcher.idle ? 'IDLE' : 'polling'})`);
  }
  return out;
}
