/** The conversation view: thread with context, private sidebar, composer, notes, contact, state actions. */
import type { PublicUser } from '../../db/repositories/users.ts';
import { NO_RESPONSE_REASONS, WAIVER_REASONS } from '../../domain/conversation-types.ts';
import { needsApprovalForPublicReply } from '../../domain/roles.ts';
import { INTENTS, SENTIMENTS } from '../../domain/types.ts';
import type { ConversationDetail } from '../../http/conversations/detail.ts';
import { Composer, type ComposerProps } from './composer.tsx';
import { newKey } from './composer-api.ts';
import { Audit, Contact, ThreadPart } from './conversation-parts.tsx';
import { AppLayout, fmtTime, IslandData, label, slaText } from './layout.tsx';
import { TriagePanel } from './triage-panel.tsx';

export interface ConversationPageProps {
  detail: ConversationDetail;
  user: PublicUser;
  csrfToken: string;
  draft: string;
  undoWindowSeconds: number;
}

const PUBLIC_STEPS = ['unanswered', 'answered_publicly', 'handled_privately', 'resolution_notice_posted'];

function Cmd({
  id,
  csrf,
  type,
  text,
  children,
}: {
  id: string;
  csrf: string;
  type: string;
  text: string;
  children?: preact.ComponentChildren;
}) {
  return (
    <form method="post" action={`/api/conversations/${id}/commands`} class="cmd">
      <input type="hidden" name="_csrf" value={csrf} />
      <input type="hidden" name="type" value={type} />
      {children}
      <button type="submit">{text}</button>
    </form>
  );
}

function Reasons({ name, reasons, id }: { name: string; reasons: readonly string[]; id: string }) {
  return (
    <>
      <label for={id}>Reason</label>{' '}
      <select name={name} id={id}>
        {reasons.map((r) => (
          <option value={r} key={r}>
            {label(r)}
          </option>
        ))}
      </select>{' '}
      <label>
        Details <input name="text" size={16} />
      </label>{' '}
    </>
  );
}

export function ConversationPage({
  detail,
  user,
  csrfToken: csrf,
  draft,
  undoWindowSeconds,
}: ConversationPageProps) {
  const c = detail.conversation;
  const supervisor = user.role === 'admin' || user.role === 'supervisor';
  const composer: ComposerProps = {
    conversationId: c.id,
    channelKind: c.channelKind as ComposerProps['channelKind'],
    version: c.version,
    csrfToken: csrf,
    draft,
    idempotencyKey: newKey(),
    undoWindowSeconds,
    needsApproval: needsApprovalForPublicReply(user.role),
  };
  const clocks: [string, string | null][] = [
    ['First response', c.firstRespondedAt ? null : c.firstResponseDueAt],
    ['Next response', c.firstRespondedAt ? c.nextResponseDueAt : null],
    ['Resolution', c.resolutionDueAt],
  ];
  const step = PUBLIC_STEPS.indexOf(c.publicState);
  return (
    <AppLayout title={c.subject || 'Conversation'} user={user} csrfToken={csrf} current="inbox">
      <div class="conv" data-conversation={c.id} data-version={c.version}>
        <div class="col main-col">
          <h1>{c.subject || '(no subject)'}</h1>
          <p class="state">
            {c.channelKind}
            {c.channelName && ` (${c.channelName})`} · {label(c.status)} · queue {c.queue} · assigned to{' '}
            {c.assigneeName ?? 'nobody'}
          </p>
          <ol class="public-state" aria-label="Public state">
            {PUBLIC_STEPS.map((s, i) => (
              <li
                key={s}
                class={i <= step ? 'done' : undefined}
                aria-current={i === step ? 'step' : undefined}
              >
                {label(s)}
              </li>
            ))}
          </ol>
          {c.resolutionNoticeOutstanding && (
            <p class="warn">
              Began as a public complaint: post a resolution notice on the original thread (or a supervisor
              records a waiver) before resolving.
            </p>
          )}
          <p id="presence" class="presence" role="status" aria-live="polite" />
          <div id="conversation-thread" data-can-approve={supervisor ? 'true' : 'false'}>
            <ThreadPart detail={detail} csrf={csrf} canApprove={supervisor} />
          </div>
          <div id="composer" data-island="composer">
            <Composer {...composer} />
          </div>
          <IslandData id="composer" data={composer} />
          <section id="take-private" aria-labelledby="tp-h">
            <h2 id="tp-h">Take it private</h2>
            <form method="post" action={`/api/conversations/${c.id}/take-private`}>
              <input type="hidden" name="_csrf" value={csrf} />
              <input type="hidden" name="idempotencyKey" value={newKey()} />
              <label>
                Via{' '}
                <select name="via">
                  <option value="platform">Private message on {c.channelKind}</option>
                  <option value="email">Email</option>
                </select>
              </label>
              <label for="tp-msg" class="block">
                Private message
              </label>
              <textarea id="tp-msg" name="message" rows={3} required />
              <label for="tp-ack" class="block">
                Public acknowledgement (leave empty for the standard one)
              </label>
              <textarea id="tp-ack" name="acknowledgement" rows={2} />
              <button type="submit">Take it private</button>
            </form>
          </section>
          <section id="notes" aria-labelledby="notes-h">
            <h2 id="notes-h">Internal notes</h2>
            <ul>
              {detail.notes.map((n) => (
                <li key={n.id}>
                  <strong>{n.authorName ?? 'someone'}</strong> · {fmtTime(n.createdAt)}: {n.text}
                </li>
              ))}
            </ul>
            <form method="post" action={`/api/conversations/${c.id}/notes`}>
              <input type="hidden" name="_csrf" value={csrf} />
              <label for="note-text" class="block">
                Add a note (staff only)
              </label>
              <textarea id="note-text" name="text" rows={2} required />
              <button type="submit">Add note</button>
            </form>
          </section>
        </div>
        <aside class="col side-col" aria-label="Details">
          <h2>SLA</h2>
          <ul class="clocks">
            {clocks.map(([name, due]) => {
              const s = slaText(due);
              return (
                <li key={name} class={s.breached ? 'breach' : undefined}>
                  {name}: {due ? s.text : '—'}
                </li>
              );
            })}
          </ul>
          <h2>Classification</h2>
          {detail.triage && <TriagePanel triage={detail.triage} conversation={c} />}
          {(['intent', 'sentiment'] as const).map((task) => (
            <form method="post" action={`/api/conversations/${c.id}/labels`} key={task} class="cmd">
              <input type="hidden" name="_csrf" value={csrf} />
              <input type="hidden" name="task" value={task} />
              <label>
                {task === 'intent' ? 'Intent' : 'Sentiment'}{' '}
                <select name="label">
                  {(task === 'intent' ? INTENTS : SENTIMENTS).map((l) => (
                    <option value={l} selected={l === c[task]} key={l}>
                      {l}
                    </option>
                  ))}
                </select>
              </label>{' '}
              <button type="submit">Correct {task}</button>
            </form>
          ))}
          <p>
            Priority {c.priority} · language {c.language ?? '?'} · tags {c.tags.join(', ') || 'none'}
          </p>
          <h2>Actions</h2>
          <Cmd id={c.id} csrf={csrf} type="assign" text="Assign to me">
            <input type="hidden" name="assigneeId" value="me" />
          </Cmd>
          <Cmd id={c.id} csrf={csrf} type="set_waiting_on_customer" text="Waiting on customer" />
          <Cmd id={c.id} csrf={csrf} type="resolve" text="Resolve" />
          <Cmd id={c.id} csrf={csrf} type="reopen" text="Reopen" />
          {user.role !== 'trainee' && (
            <Cmd id={c.id} csrf={csrf} type="mark_no_response_needed" text="No response needed">
              <Reasons name="reason" reasons={NO_RESPONSE_REASONS} id="nr-reason" />
            </Cmd>
          )}
          {supervisor && c.startedAsPublicComplaint && c.publicState !== 'resolution_notice_posted' && (
            <Cmd id={c.id} csrf={csrf} type="waive_resolution_notice" text="Waive resolution notice">
              <Reasons name="reason" reasons={WAIVER_REASONS} id="wv-reason" />
            </Cmd>
          )}
          <Cmd id={c.id} csrf={csrf} type="hand_off" text="Hand off">
            <label>
              to{' '}
              <select name="toQueue">
                {['support', 'marketing', 'moderation']
                  .filter((q) => q !== c.queue)
                  .map((q) => (
                    <option value={q} key={q}>
                      {q}
                    </option>
                  ))}
              </select>
            </label>{' '}
            <label>
              team (optional) <input name="team" maxLength={100} size={10} autocomplete="off" />
            </label>{' '}
          </Cmd>
          <Contact contact={detail.contact} csrf={csrf} />
          <Audit events={detail.events} />
        </aside>
      </div>
    </AppLayout>
  );
}
