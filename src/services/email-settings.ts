/**
 * Where Earshot's email lives: the `email` channel row (support address in account_handle; IMAP URL,
 * SMTP URL and listener port in its encrypted credentials), falling back to the environment
 * (SMTP_URL / MAIL_FROM from config; EMAIL_IMAP_URL, EMAIL_SMTP_LISTEN_PORT, EMAIL_DOMAINS) when
 * no channel is configured. The channel rows for email and the web form are created on first use.
 */
import { and, eq } from 'drizzle-orm';
import { DEFAULT_LIMITS, type EmailLimits } from '../channels/email/parse.ts';
import type { Config } from '../config/index.ts';
import type { Db } from '../db/client.ts';
import { channels } from '../db/schema/index.ts';
import { decryptJson } from '../lib/crypto.ts';

export interface EmailSettings {
  channelId: string;
  /** The support address replies come back to (support@example.com). */
  address: string;
  fromName: string;
  domain: string;
  /** Domains the SMTP listener accepts mail for. */
  domains: string[];
  smtpUrl?: string;
  imapUrl?: string;
  smtpListenPort?: number;
  limits: EmailLimits;
  baseUrl: string;
}

export interface EmailCredentials {
  imapUrl?: string;
  smtpUrl?: string;
  smtpListenPort?: string;
  domains?: string;
  fromName?: string;
  maxAttachmentBytes?: string;
  maxMessageBytes?: string;
}

/** `Name <a@b>` or `a@b` → parts. */
export function parseMailbox(value: string): { name: string; address: string } {
  const m = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(value);
  if (m) return { name: m[1]!.trim(), address: m[2]!.trim().toLowerCase() };
  return { name: '', address: value.trim().toLowerCase() };
}

async function ensureChannel(
  db: Db,
  kind: 'email' | 'webform',
  name: string,
  baseUrl: string,
  handle?: string,
) {
  const [found] = await db
    .select()
    .from(channels)
    .where(and(eq(channels.kind, kind), eq(channels.enabled, true)))
    .orderBy(channels.createdAt)
    .limit(1);
  if (found) return found;
  const [row] = await db
    .insert(channels)
    .values({ kind, name, baseUrl, accountHandle: handle ?? null })
    .returning();
  return row!;
}

const webformIds = new WeakMap<object, string>();

/** The channel row standing for the public contact form (created on first use). */
export async function webformChannelId(db: Db): Promise<string> {
  const cached = webformIds.get(db);
  if (cached) return cached;
  const row = await ensureChannel(db, 'webform', 'Contact form', '/contact');
  webformIds.set(db, row.id);
  return row.id;
}

const cache = new WeakMap<object, { at: number; settings: EmailSettings }>();

export async function loadEmailSettings(
  db: Db,
  config: Pick<Config, 'mailFrom' | 'smtpUrl' | 'baseUrl' | 'encryptionKey'>,
  env: Record<string, string | undefined> = process.env,
  ttlMs = 30_000,
): Promise<EmailSettings> {
  const hit = cache.get(db);
  if (hit && Date.now() - hit.at < ttlMs) return hit.settings;
  const fallback = parseMailbox(config.mailFrom);
  const row = await ensureChannel(db, 'email', 'Email', `mailto:${fallback.address}`, fallback.address);
  let creds: EmailCredentials = {};
  if (row.credentialsEnc) {
    try {
      creds = decryptJson<EmailCredentials>(config.encryptionKey, row.credentialsEnc);
    } catch {
      creds = {};
    }
  }
  const address = (row.accountHandle || fallback.address).toLowerCase();
  const domain = address.slice(address.lastIndexOf('@') + 1);
  const port = creds.smtpListenPort ?? env.EMAIL_SMTP_LISTEN_PORT;
  const settings: EmailSettings = {
    channelId: row.id,
    address,
    fromName: creds.fromName ?? (fallback.name || 'Support'),
    domain,
    domains: (creds.domains ?? env.EMAIL_DOMAINS ?? domain)
      .split(',')
      .map((d) => d.trim().toLowerCase())
      .filter(Boolean),
    smtpUrl: creds.smtpUrl ?? config.smtpUrl,
    imapUrl: creds.imapUrl ?? env.EMAIL_IMAP_URL,
    smtpListenPort: port ? Number(port) : undefined,
    limits: {
      maxAttachmentBytes: Number(
        creds.maxAttachmentBytes ?? env.EMAIL_MAX_ATTACHMENT_BYTES ?? DEFAULT_LIMITS.maxAttachmentBytes,
      ),
      maxMessageBytes: Number(
        creds.maxMessageBytes ?? env.EMAIL_MAX_MESSAGE_BYTES ?? DEFAULT_LIMITS.maxMessageBytes,
      ),
    },
    baseUrl: config.baseUrl,
  };
  cache.set(db, { at: Date.now(), settings });
  return settings;
}

/** Forget cached settings (after the admin changes the email channel, and in tests). */
export function forgetEmailSettings(db: Db): void {
  cache.delete(db);
}
