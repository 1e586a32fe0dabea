/**
 * Display text of an email reply: the quoted history and the signature removed. The full original
 * is always kept beside it (email_messages.text_body, raw_source). Pure.
 */

const ATTRIBUTION = [
  /^On .{1,200}wrote:\s*$/i, // Gmail, Apple Mail, Thunderbird
  /^Am .{1,200}schrieb .{0,100}:\s*$/i,
  /^Le .{1,200}a écrit\s*:\s*$/i,
  /^El .{1,200}escribió:\s*$/i,
  /^-{2,}\s*Original Message\s*-{2,}\s*$/i,
  /^-{2,}\s*Forwarded message\s*-{2,}\s*$/i,
  /^_{10,}\s*$/, // Outlook separator line
  /^From:\s.+$/, // Outlook header block (only counts when followed by Sent:/Date:)
];

const SIGNATURE = [
  /^-- ?$/, // RFC 3676 signature delimiter
  /^Sent from my (iPhone|iPad|Android|mobile|Samsung|Galaxy)/i,
  /^Get Outlook for (iOS|Android)/i,
  /^Envoyé de mon/i,
  /^Von meinem .* gesendet/i,
];

export function stripQuotedAndSignature(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const trimmed = line.trim();
    if (SIGNATURE.some((re) => re.test(trimmed)) && i > 0) {
      end = i;
      break;
    }
    const isFromBlock = /^From:\s/.test(trimmed);
    if (isFromBlock) {
      const next = lines.slice(i + 1, i + 4).join('\n');
      if (!/^(Sent|Date|To|Subject):/m.test(next) || i === 0) continue;
    }
    if (ATTRIBUTION.some((re) => re.test(trimmed)) && i > 0) {
      end = i;
      break;
    }
    // A multi-line Gmail attribution: "On Mon, 1 Jan 2026 at 10:00, Someone <a@b>" / "wrote:"
    if (/^On .{1,200}$/i.test(trimmed) && /^.{0,80}wrote:\s*$/i.test((lines[i + 1] ?? '').trim()) && i > 0) {
      end = i;
      break;
    }
    if (trimmed.startsWith('>')) {
      // A quoted block that runs to the end (only quotes and blank lines after) is history.
      const rest = lines.slice(i);
      if (rest.every((l) => l.trim() === '' || l.trim().startsWith('>'))) {
        end = i;
        break;
      }
    }
  }
  const kept = lines
    .slice(0, end)
    .filter((l) => !l.trim().startsWith('>'))
    .join('\n')
    .trim();
  // Never display nothing: a message that is all quote shows as it came.
  return kept.length > 0 ? kept : text.trim();
}
