/**
 * /app/settings/pipeline: whether the triage pipeline keeps up (queued posts, how long the oldest has
 * waited, posts stored lately, dead letters), then the dead letters — posts it could not store —
 * newest first, each linked to its own page (dead-letter-page.tsx). Admins retry (queue again) or discard
 * them with plain HTML forms; supervisors read. The status block (pipeline-status.tsx) updates itself in
 * the browser (pipeline-live.tsx).
 */

import type { DeadLetter, ErrorCount, PipelineStatus } from '../../db/repositories/pipeline.ts';
import type { PublicUser } from '../../db/repositories/users.ts';
import { AppLayout, fmtTime } from './layout.tsx';
import { StatusSection } from './pipeline-status.tsx';
import { ButtonForm, Notice } from './settings-forms.tsx';

export const PIPELINE_PAGE = '/app/settings/pipeline';

export interface PipelinePageProps {
  user: PublicUser;
  csrfToken: string;
  status: PipelineStatus;
  deadLetters: DeadLetter[];
  /** `before` of the next (older) page; null on the last page. */
  nextBefore: number | null;
  /** The `before` of this page, on an older page (a link back to the newest). */
  before?: number;
  errors: ErrorCount[];
  /** Admins retry and discard; supervisors only read. */
  canEdit: boolean;
  notice?: string;
}

const n = (x: number) => x.toLocaleString('en');

/** A dead letter's own page (dead-letter-page.tsx). */
export const deadLetterHref = (id: number) => `${PIPELINE_PAGE}/dead-letters/${id}`;

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

/** Retry, and discard behind a confirmation: on the list and on a dead letter's own page. */
export function Actions({ d, csrfToken }: { d: Pick<DeadLetter, 'id'>; csrfToken: string }) {
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
  const paged = p.before !== undefined;
  const pageHref = paged ? `${PIPELINE_PAGE}?before=${p.before}` : PIPELINE_PAGE;
  return (
    <AppLayout title="Pipeline" user={p.user} csrfToken={p.csrfToken} current="pipeline">
      <h1>Triage pipeline</h1>
      <Notice text={p.notice} />
      <StatusSection status={p.status} refreshHref={pageHref} />
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
          <p>{paged ? 'No older dead letters.' : 'None: every post was stored.'}</p>
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
                  <th scope="row">
                    <a href={deadLetterHref(d.id)} aria-label={`Dead letter ${d.id}`}>
                      {d.id}
                    </a>
                  </th>
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
          {paged && <a href={PIPELINE_PAGE}>Newest dead letters</a>}{' '}
          {p.nextBefore !== null && (
            <a href={`${PIPELINE_PAGE}?before=${p.nextBefore}`}>Older dead letters</a>
          )}
        </nav>
      </section>
    </AppLayout>
  );
}
