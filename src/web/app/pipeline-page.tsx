/**
 * /app/settings/pipeline: whether the triage pipeline keeps up (queued posts, how long the oldest has
 * waited, posts stored lately, dead letters), then the dead letters — posts it could not store —
 * newest first. Admins retry (queue again) or discard them with plain HTML forms; supervisors read.
 */

import type { DeadLetter, ErrorCount, PipelineStatus } from '../../db/repositories/pipeline.ts';
import type { PublicUser } from '../../db/repositories/users.ts';
import { waitText } from '../../lib/duration.ts';
import { AppLayout, fmtTime } from './layout.tsx';
import { ButtonForm, Notice } from './settings-forms.tsx';

export const PIPELINE_PAGE = '/app/settings/pipeline';

export interface PipelinePageProps {
  user: PublicUser;
  csrfToken: string;
  status: PipelineStatus;
  deadLetters: DeadLetter[];
  /** `before` of the next (older) page; null on the last page. */
  nextBefore: number | null;
  /** True on an older page (a link back to the newest). */
  paged: boolean;
  errors: ErrorCount[];
  /** Admins retry and discard; supervisors only read. */
  canEdit: boolean;
  notice?: string;
}

const n = (x: number) => x.toLocaleString('en');

function Figures({ status: s }: { status: PipelineStatus }) {
  const figures: [string, string, string?][] = [
    ['Queued', `${n(s.queued)}${s.queuedCapped ? '+' : ''}`, 'acknowledged, waiting for triage'],
    [
      'Oldest waiting',
      waitText(s.lagSeconds),
      s.oldestQueuedAt ? `since ${fmtTime(s.oldestQueuedAt)}` : undefined,
    ],
    [
      'Stored, last 5 minutes',
      `${n(s.storedLast5Minutes)}${s.storedCapped && s.storedLast5Minutes >= s.storedLastHour ? '+' : ''}`,
      `${n(s.storedLastHour)}${s.storedCapped ? '+' : ''} in the last hour`,
    ],
    ['Dead letters', `${n(s.deadLetters)}${s.deadLettersCapped ? '+' : ''}`, 'could not be stored'],
  ];
  return (
    <dl class="figures">
      {figures.map(([term, value, hint]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>
            <strong>{value}</strong>
            {hint && <span class="hint">{hint}</span>}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function PostSummary({ post }: { post: DeadLetter['post'] }) {
  if (post.type !== 'object') return <em>Not a post: a JSON {post.type}</em>;
  const origin = [post.channelKind, post.authorHandle && `@${post.authorHandle}`, post.externalId]
    .filter(Boolean)
    .join(' · ');
  return (
    <>
      {origin && <span class="sub">{origin}</span>}
      {post.text ? <span class="dead-text">{post.text}</span> : <em> (no text)</em>}
    </>
  );
}

function Actions({ d, csrfToken }: { d: DeadLetter; csrfToken: string }) {
  const what = `dead letter ${d.id}`;
  return (
    <div class="item-actions">
      <ButtonForm
        action={`${PIPELINE_PAGE}/dead-letters/${d.id}/retry`}
        csrfToken={csrfToken}
        label="Retry"
        what={what}
      />
      <details>
        <summary>
          Discard<span class="sr"> {what}</span>…
        </summary>
        <p class="hint">Deleted for good; the audit log keeps its error and summary.</p>
        <ButtonForm
          action={`${PIPELINE_PAGE}/dead-letters/${d.id}/discard`}
          csrfToken={csrfToken}
          label="Discard for good"
          what={what}
          secondary
        />
      </details>
    </div>
  );
}

function FrequentErrors({
  errors,
  canEdit,
  csrfToken,
}: Pick<PipelinePageProps, 'errors' | 'canEdit' | 'csrfToken'>) {
  return (
    <section aria-labelledby="dead-errors">
      <h2 id="dead-errors">Most frequent errors</h2>
      <table class="list" aria-labelledby="dead-errors">
        <thead>
          <tr>
            <th scope="col">Error</th>
            <th scope="col">Dead letters</th>
            {canEdit && <th scope="col">Action</th>}
          </tr>
        </thead>
        <tbody>
          {errors.map((e) => (
            <tr key={e.error}>
              <th scope="row">{e.error}</th>
              <td>{n(e.count)}</td>
              {canEdit && (
                <td>
                  <ButtonForm
                    action={`${PIPELINE_PAGE}/retry-all`}
                    csrfToken={csrfToken}
                    label="Retry all"
                    what={`dead letters with the error “${e.error}”`}
                    fields={{ error: e.error }}
                  />
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function PipelinePage(p: PipelinePageProps) {
  return (
    <AppLayout title="Pipeline" user={p.user} csrfToken={p.csrfToken} current="pipeline">
      <h1>Triage pipeline</h1>
      <Notice text={p.notice} />
      <section aria-labelledby="pipeline-status">
        <h2 id="pipeline-status">Status at {fmtTime(p.status.at)}</h2>
        <Figures status={p.status} />
        <p class="hint">
          Stored: inbound posts that arrived in that time and are stored. Reload the page for new figures.
        </p>
      </section>
      {p.errors.length > 0 && (
        <FrequentErrors errors={p.errors} canEdit={p.canEdit} csrfToken={p.csrfToken} />
      )}
      <section aria-labelledby="dead-letters">
        <h2 id="dead-letters">Dead letters</h2>
        <p>
          Posts the pipeline could not store (malformed, unknown channel, or failing on their own), newest
          first. Retry queues a post again with its original arrival time, for example after its channel is
          connected; if it is still bad it comes back here as a new dead letter.
        </p>
        {!p.canEdit && <p>You can see the dead letters; only admins retry or discard them.</p>}
        {p.deadLetters.length === 0 ? (
          <p>{p.paged ? 'No older dead letters.' : 'None: every post was stored.'}</p>
        ) : (
          <table class="list dead-letters" aria-labelledby="dead-letters">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Failed</th>
                <th scope="col">Error</th>
                <th scope="col">Post</th>
                <th scope="col">Arrived</th>
                {p.canEdit && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {p.deadLetters.map((d) => (
                <tr key={d.id}>
                  <th scope="row">{d.id}</th>
                  <td>{fmtTime(d.failedAt)}</td>
                  <td>{d.error}</td>
                  <td>
                    <PostSummary post={d.post} />
                  </td>
                  <td>{fmtTime(d.receivedAt)}</td>
                  {p.canEdit && (
                    <td>
                      <Actions d={d} csrfToken={p.csrfToken} />
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <nav aria-label="Dead letter pages" class="pager">
          {p.paged && <a href={PIPELINE_PAGE}>Newest dead letters</a>}{' '}
          {p.nextBefore !== null && (
            <a href={`${PIPELINE_PAGE}?before=${p.nextBefore}`}>Older dead letters</a>
          )}
        </nav>
      </section>
    </AppLayout>
  );
}
