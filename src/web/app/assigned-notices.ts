/**
 * "Assigned to you" notices, pushed by the realtime stream (`assigned`, src/http/realtime/routes.ts)
 * whenever a conversation gets the signed-in agent as its owner — by the pipeline, a backlog run or a
 * colleague (not by the agent themselves). Shown in the layout's polite live region #assigned-notices with
 * a link, at most MAX_ASSIGNED, each dismissable; the conversation already open on this page is not
 * announced. A batch of more than MAX_ASSIGNED is one notice with the count: "33 conversations were
 * assigned to you — your conversations".
 */
import { conversationHref, prependNotice } from './sla-notices.ts';

export const MAX_ASSIGNED = 5;

const notice = (
  region: HTMLElement,
  key: string,
  text: string,
  href: string,
  linkText: string,
  what: string,
) =>
  prependNotice(region, '.assigned-notice', MAX_ASSIGNED, {
    key,
    className: 'assigned-notice',
    text,
    href,
    linkText,
    linkLabel: `Open ${what}`,
    dismissLabel: `Dismiss the notice about ${what}`,
  });

/** A conversation newly assigned to this agent, as a notice says it and where it leads. */
export const oneAssigned = (id: string) => ({
  key: id,
  text: 'A conversation was assigned to you',
  href: conversationHref({ conversationId: id }),
});

/** Several newly assigned: one message with the count, leading to the agent's own conversations. */
export const manyAssigned = (total: number) => ({
  key: 'batch',
  text: `${total} conversation${total === 1 ? ' was' : 's were'} assigned to you`,
  href: '/app?view=mine',
});

/** The assignments worth telling about: all but the conversation open on this page (it is on screen). */
export const newlyAssigned = (ids: readonly string[], openId?: string) => ids.filter((id) => id !== openId);

export function showAssignedNotices(
  region: HTMLElement,
  ids: readonly string[],
  openId?: string,
  more = 0,
): void {
  const news = newlyAssigned(ids, openId);
  const total = news.length + more;
  if (total > MAX_ASSIGNED || more > 0) {
    // A batch: one notice with the count, on top, instead of a notice per conversation.
    const m = manyAssigned(total);
    notice(region, m.key, m.text, m.href, 'your conversations', 'your conversations');
  } else {
    for (const id of news) {
      const m = oneAssigned(id);
      notice(region, m.key, m.text, m.href, 'open conversation', `conversation ${id.slice(0, 8)}`);
    }
  }
}
