/**
 * Send API rules of the Facebook simulator: recipient by PSID (24-hour standard window from the
 * user's last message; 7 days with the HUMAN_AGENT tag) or by comment_id (one private reply per
 * comment, within 7 days); messaging_type from pagemessages_messaging_type_enum_param.
 */
import type { SimReply } from '../shared/http.ts';
import { type FacebookStore, MESSAGING_TYPES } from './store.ts';

const WINDOW_MS = 24 * 60 * 60 * 1000;

/** Graph's error envelope. */
export const graphError = (
  status: number,
  code: number,
  message: string,
  extra: Record<string, unknown> = {},
): SimReply => ({
  status,
  body: { error: { message, type: 'OAuthException', code, ...extra, fbtrace_id: 'AsimTrace0001' } },
});

const noObject = (id: string) =>
  graphError(400, 100, `Unsupported post request. Object with ID '${id}' does not exist`, {
    error_subcode: 33,
  });

export function checkSend(
  store: FacebookStore,
  p: Record<string, unknown>,
): SimReply | { psid: string; text: string } {
  const parse = (v: unknown) => (typeof v === 'string' ? (JSON.parse(v) as unknown) : v);
  let recipient: { id?: string; comment_id?: string } | undefined;
  let message: { text?: string } | undefined;
  try {
    recipient = parse(p.recipient) as typeof recipient;
    message = parse(p.message) as typeof message;
  } catch {
    return graphError(400, 100, '(#100) param recipient must be a JSON object');
  }
  const type = String(p.messaging_type ?? 'RESPONSE');
  if (!MESSAGING_TYPES.includes(type))
    return graphError(400, 100, `(#100) Param messaging_type must be one of {${MESSAGING_TYPES.join(', ')}}`);
  const text = message?.text ?? '';
  if (!text)
    return graphError(400, 100, '(#100) Message cannot be empty, must provide valid attachment or text');
  let psid: string;
  if (recipient?.comment_id) {
    const c = store.commentById.get(recipient.comment_id);
    if (!c || c.deleted) return noObject(recipient.comment_id);
    if (c.privateReplied)
      return graphError(400, 10900, 'Activity already replied to', { error_subcode: 2018149 });
    if (Date.now() - c.createdAt > 7 * WINDOW_MS)
      return graphError(400, 10, '(#10) This message is sent outside of allowed window.', {
        error_subcode: 2018278,
      });
    c.privateReplied = true;
    psid = c.from.id;
  } else {
    psid = recipient?.id ?? '';
    const last = store.lastUserMessageAt.get(psid);
    if (last === undefined)
      return graphError(400, 100, '(#100) No matching user found', { error_subcode: 2018001 });
    const tagged = type === 'MESSAGE_TAG' && p.tag === 'HUMAN_AGENT';
    if (Date.now() - last > (tagged ? 7 * WINDOW_MS : WINDOW_MS)) {
      return graphError(
        400,
        10,
        '(#10) This message is sent outside of allowed window. Learn more about the new policy here: https://developers.facebook.com/docs/messenger-platform/policy-overview',
        { error_subcode: 2018278 },
      );
    }
  }
  return { psid, text };
}
