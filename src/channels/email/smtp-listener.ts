/**
 * Earshot's own SMTP listener for inbound mail (smtp-server): MX-style delivery on a configurable
 * port. Recipients outside our domains are refused (no open relay); messages over the size limit are
 * refused with 552 so the sender gets a clear bounce; everything accepted is handed to `onMessage`,
 * and the 250 is only sent after it is stored.
 */
import { SMTPServer } from 'smtp-server';

export interface SmtpListenerOptions {
  host?: string;
  port: number;
  /** Lower-case domains we accept mail for. */
  domains: string[];
  maxMessageBytes: number;
  onMessage(source: Buffer, envelope: { from: string; to: string[] }): Promise<void>;
  onError?(err: Error): void;
}

export interface SmtpListener {
  port: number;
  close(): Promise<void>;
}

export async function startSmtpListener(opts: SmtpListenerOptions): Promise<SmtpListener> {
  const domains = opts.domains.map((d) => d.toLowerCase());
  const server = new SMTPServer({
    name: 'earshot',
    banner: 'Earshot inbound mail',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: opts.maxMessageBytes,
    logger: false,
    onRcptTo(address, _session, cb) {
      const domain = address.address.slice(address.address.lastIndexOf('@') + 1).toLowerCase();
      if (!domains.includes(domain)) {
        const err = new Error(`Relay denied: we do not accept mail for ${domain}`) as Error & {
          responseCode: number;
        };
        err.responseCode = 550;
        return cb(err);
      }
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      let total = 0;
      stream.on('data', (c: Buffer) => {
        total += c.length;
        if (total <= opts.maxMessageBytes) chunks.push(c);
      });
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded || total > opts.maxMessageBytes) {
          const err = new Error(`Message too large: the limit is ${opts.maxMessageBytes} bytes`) as Error & {
            responseCode: number;
          };
          err.responseCode = 552;
          return cb(err);
        }
        const envelope = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
        };
        opts
          .onMessage(Buffer.concat(chunks), envelope)
          .then(() => cb())
          .catch((err: Error) => {
            opts.onError?.(err);
            const e = new Error('Temporary failure storing the message, try again later') as Error & {
              responseCode: number;
            };
            e.responseCode = 451;
            cb(e);
          });
      });
    },
  });
  server.on('error', (err) => opts.onError?.(err));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.server.address();
  return {
    port: typeof addr === 'object' && addr ? addr.port : opts.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
