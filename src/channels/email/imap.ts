/**
 * Inbound over IMAP with imapflow: fetch messages above a UID cursor (reset when UIDVALIDITY changes),
 * and a watcher that IDLEs where the server offers it (imapflow falls back to NOOP polling otherwise).
 */
import { ImapFlow } from 'imapflow';
import type { EmailLimits } from './parse.ts';

export interface ImapSettings {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  pass: string;
  mailbox?: string;
  /** No TLS at all (local servers, tests): `?tls=off`, or a loopback host. */
  plain?: boolean;
}

export interface ImapCursor {
  uidValidity?: string;
  lastUid?: number;
}

export interface FetchedMessage {
  uid: number;
  size: number;
  /** Null when over the message limit: headers only, the message stays in the mailbox. */
  source: Buffer | null;
  headers?: Buffer;
}

/** `imap://user:pass@host:port/INBOX` or `imaps://...` → settings. */
export function imapSettingsFromUrl(raw: string): ImapSettings {
  const url = new URL(raw);
  return {
    host: url.hostname,
    port: Number(url.port) || (url.protocol === 'imaps:' ? 993 : 143),
    secure: url.protocol === 'imaps:',
    user: decodeURIComponent(url.username),
    pass: decodeURIComponent(url.password),
    mailbox: url.pathname.length > 1 ? decodeURIComponent(url.pathname.slice(1)) : 'INBOX',
    plain:
      url.searchParams.get('tls') === 'off' || ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname),
  };
}

export function imapClient(s: ImapSettings): ImapFlow {
  return new ImapFlow({
    host: s.host,
    port: s.port,
    secure: s.secure,
    auth: { user: s.user, pass: s.pass },
    logger: false,
    // Remote servers must offer TLS (imaps or STARTTLS); loopback servers and ?tls=off run without.
    doSTARTTLS: s.secure ? undefined : !s.plain,
    disableAutoIdle: true,
  });
}

/**
 * New messages since the cursor, oldest first, at most `batch`. Returns the new cursor. Messages are
 * never deleted or flagged: the mailbox stays the customer's original record.
 */
export async function fetchSince(
  client: ImapFlow,
  mailbox: string,
  cursor: ImapCursor,
  limits: EmailLimits,
  batch = 200,
): Promise<{ messages: FetchedMessage[]; cursor: ImapCursor; idle: boolean }> {
  const lock = await client.getMailboxLock(mailbox);
  try {
    const mb = client.mailbox;
    if (!mb) throw new Error(`mailbox ${mailbox} not open`);
    const validity = String(mb.uidValidity);
    const start = cursor.uidValidity === validity ? (cursor.lastUid ?? 0) + 1 : 1;
    const messages: FetchedMessage[] = [];
    let lastUid = cursor.uidValidity === validity ? (cursor.lastUid ?? 0) : 0;
    if (mb.exists > 0 && start < Number(mb.uidNext ?? start + 1)) {
      const sizes: { uid: number; size: number }[] = [];
      for await (const m of client.fetch(`${start}:*`, { uid: true, size: true }, { uid: true })) {
        if (m.uid >= start) sizes.push({ uid: m.uid, size: m.size ?? 0 });
      }
      sizes.sort((a, b) => a.uid - b.uid);
      const chosen = sizes.slice(0, batch);
      const small = chosen.filter((m) => m.size <= limits.maxMessageBytes).map((m) => m.uid);
      const big = chosen.filter((m) => m.size > limits.maxMessageBytes).map((m) => m.uid);
      const byUid = new Map<number, FetchedMessage>();
      if (small.length > 0) {
        for await (const m of client.fetch(
          small.join(','),
          { uid: true, size: true, source: true },
          { uid: true },
        )) {
          byUid.set(m.uid, { uid: m.uid, size: m.size ?? 0, source: m.source ?? Buffer.alloc(0) });
        }
      }
      if (big.length > 0) {
        for await (const m of client.fetch(
          big.join(','),
          { uid: true, size: true, headers: true },
          { uid: true },
        )) {
          byUid.set(m.uid, { uid: m.uid, size: m.size ?? 0, source: null, headers: m.headers });
        }
      }
      for (const c of chosen) {
        const m = byUid.get(c.uid);
        if (m) messages.push(m);
        lastUid = Math.max(lastUid, c.uid);
      }
    }
    return {
      messages,
      cursor: { uidValidity: validity, lastUid },
      idle: client.capabilities.has('IDLE'),
    };
  } finally {
    lock.release();
  }
}

export interface MailboxWatcher {
  /** True when the server offers IDLE (push), false when the watcher polls. */
  readonly idle: boolean;
  stop(): Promise<void>;
}

/**
 * Keeps a connection open and calls `onNew` whenever the mailbox grows (IDLE push where offered,
 * NOOP every `pollMs` otherwise). `onNew` is also called once at start to catch up.
 */
export async function watchMailbox(
  settings: ImapSettings,
  onNew: () => Promise<void>,
  options: { pollMs?: number; onError?: (err: Error) => void } = {},
): Promise<MailboxWatcher> {
  const client = imapClient(settings);
  await client.connect();
  const idle = client.capabilities.has('IDLE');
  const mailbox = settings.mailbox ?? 'INBOX';
  await client.mailboxOpen(mailbox, { readOnly: true });
  let stopped = false;
  let running = Promise.resolve();
  const trigger = () => {
    running = running.then(() => onNew().catch((err: Error) => options.onError?.(err)));
  };
  client.on('exists', trigger);
  client.on('error', (err: Error) => options.onError?.(err));
  trigger();
  const loop = (async () => {
    while (!stopped && client.usable) {
      try {
        if (idle) await client.idle();
        else {
          await new Promise((r) => setTimeout(r, options.pollMs ?? 30_000));
          await client.noop();
        }
      } catch (err) {
        if (!stopped) options.onError?.(err as Error);
        break;
      }
    }
  })();
  return {
    idle,
    async stop() {
      stopped = true;
      await client.logout().catch(() => client.close());
      await loop.catch(() => {});
      await running;
    },
  };
}
