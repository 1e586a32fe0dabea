/**
 * SMTP sending with nodemailer. Errors are classified: a 5xx answer is permanent (do not retry),
 * anything else (connection refused, 4xx, timeout) is transient and retried with back-off.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';

export class SmtpSendError extends Error {
  readonly code = 'smtp_send_failed';
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly responseCode?: number,
  ) {
    super(message);
    this.name = 'SmtpSendError';
  }
}

const transports = new Map<string, Transporter>();

/** One pooled transport per SMTP URL (smtp://user:pass@host:port, smtps://...). */
export function smtpTransport(smtpUrl: string): Transporter {
  let t = transports.get(smtpUrl);
  if (!t) {
    const url = new URL(smtpUrl);
    t = nodemailer.createTransport({
      host: url.hostname,
      port: Number(url.port) || (url.protocol === 'smtps:' ? 465 : 587),
      secure: url.protocol === 'smtps:',
      auth: url.username
        ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
        : undefined,
      // Local test sinks and relays without TLS: only upgrade when the server offers STARTTLS.
      ignoreTLS: url.searchParams.get('tls') === 'off',
      pool: true,
      maxConnections: 2,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
    transports.set(smtpUrl, t);
  }
  return t;
}

export async function closeSmtpTransports(): Promise<void> {
  for (const t of transports.values()) t.close();
  transports.clear();
}

export async function sendSmtp(smtpUrl: string, mail: Mail.Options): Promise<{ response: string }> {
  try {
    const info = await smtpTransport(smtpUrl).sendMail(mail);
    return { response: String(info.response ?? '') };
  } catch (err) {
    const e = err as Error & { responseCode?: number };
    const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500;
    throw new SmtpSendError(e.message.slice(0, 500), permanent, e.responseCode);
  }
}
