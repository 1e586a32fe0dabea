/** Raw test emails (RFC 5322 sources) for the parser, the IMAP and SMTP tests and the benchmark. */

export interface RawOptions {
  from?: string;
  to?: string;
  subject?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  body?: string;
  headers?: Record<string, string>;
  date?: Date;
}

export function rawEmail(o: RawOptions = {}): string {
  const lines = [
    `From: ${o.from ?? 'Ana Customer <ana@customer.test>'}`,
    `To: ${o.to ?? 'support@earshot.test'}`,
    `Subject: ${o.subject ?? 'My order has not arrived'}`,
    `Date: ${(o.date ?? new Date()).toUTCString()}`,
    `Message-ID: <${o.messageId ?? `${Math.random().toString(36).slice(2)}@customer.test`}>`,
    ...(o.inReplyTo ? [`In-Reply-To: <${o.inReplyTo}>`] : []),
    ...(o.references ? [`References: ${o.references.map((r) => `<${r}>`).join(' ')}`] : []),
    ...Object.entries(o.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    o.body ?? 'Hello, my order 1234 has not arrived. Can you help?',
    '',
  ];
  return lines.join('\r\n');
}

/** Encoded-word subject and sender, ISO-8859-1 quoted-printable body, HTML part with a script, an attachment. */
export function richEmail(messageId: string, attachmentBytes = 2048): string {
  const attachment = Buffer.alloc(attachmentBytes, 0x41).toString('base64').replace(/.{76}/g, '$&\r\n');
  return [
    'From: =?UTF-8?B?SsO8cmdlbiBNw7xsbGVy?= <juergen@customer.test>',
    'To: support@earshot.test',
    'Subject: =?ISO-8859-1?Q?R=FCckerstattung_f=FCr_Bestellung?=',
    `Message-ID: <${messageId}>`,
    'Date: Mon, 2 Nov 2026 10:00:00 +0100',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="outer"',
    '',
    '--outer',
    'Content-Type: multipart/alternative; boundary="alt"',
    '',
    '--alt',
    'Content-Type: text/plain; charset=ISO-8859-1',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    'Gr=FC=DFe, ich m=F6chte eine R=FCckerstattung.',
    '',
    '--alt',
    'Content-Type: text/html; charset=UTF-8',
    '',
    '<p onclick="steal()">Grüße, ich möchte eine <b>Rückerstattung</b>.</p><script>alert(1)</script><img src="https://tracker.test/p.gif"><a href="javascript:alert(1)">x</a>',
    '--alt--',
    '',
    '--outer',
    'Content-Type: application/pdf; name="invoice.pdf"',
    'Content-Disposition: attachment; filename="invoice.pdf"',
    'Content-Transfer-Encoding: base64',
    '',
    attachment,
    '--outer--',
    '',
  ].join('\r\n');
}
