/**
 * A local SMTP sink for outbound tests and benchmarks (smtp-server on 127.0.0.1, random port):
 * keeps every accepted message (raw + parsed), and can be told to answer 4xx or 5xx.
 */
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SunkMessage {
  envelope: { from: string; to: string[] };
  raw: Buffer;
  parsed: ParsedMail;
}

export interface SmtpSink {
  port: number;
  url: string;
  messages: SunkMessage[];
  /** Answer the next DATA commands with this code (421 transient, 550 permanent), or null to accept. */
  failWith: number | null;
  waitFor(count: number, timeoutMs?: number): Promise<SunkMessage[]>;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const sink: Partial<SmtpSink> & { messages: SunkMessage[]; failWith: number | null } = {
    messages: [],
    failWith: null,
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (sink.failWith) {
          const err = new Error(sink.failWith >= 500 ? 'Mailbox unavailable' : 'Try again later') as Error & {
            responseCode: number;
          };
          err.responseCode = sink.failWith;
          return cb(err);
        }
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((parsed) => {
            sink.messages.push({
              envelope: {
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                to: session.envelope.rcptTo.map((r) => r.address),
              },
              raw,
              parsed,
            });
            cb();
          })
          .catch((e: Error) => cb(e));
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const addr = server.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return Object.assign(sink, {
    port,
    url: `smtp://127.0.0.1:${port}?tls=off`,
    async waitFor(count: number, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (sink.messages.length < count) {
        if (Date.now() > deadline)
          throw new Error(`SMTP sink: ${sink.messages.length} of ${count} messages arrived`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return sink.messages;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }) as SmtpSink;
}
