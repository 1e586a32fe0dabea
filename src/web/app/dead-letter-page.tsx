/**
 * /app/settings/pipeline/dead-letters/:id: one dead letter in full — every stored field, and the stored
 * post as pretty-printed JSON (escaped like all text Preact renders, so a hostile post stays text), at
 * most PAYLOAD_DISPLAY_BYTES of it on the page with a link to download all of it. Admins get the list's
 * retry / discard forms (they go back to the list with its notice); supervisors read.
 */
import type { ComponentChildren } from 'preact';
import type { DeadLetterRecord } from '../../db/repositories/pipeline.ts';
import type { PublicUser } from '../../db/repositories/users.ts';
import { AppLayout } from './layout.tsx';
import { Actions, PIPELINE_PAGE } from './pipeline-page.tsx';

/** How much of the stored post the page shows (the download has all of it). */
export const PAYLOAD_DISPLAY_BYTES = 64 * 1024;

/** The first `max` bytes of `text` in UTF-8, never cutting a character in two; `bytes`: the whole text's. */
export function firstBytes(text: string, max: number): { shown: string; bytes: number; truncated: boolean } {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes <= max) return { shown: text, bytes, truncated: false };
  const { read } = new TextEncoder().encodeInto(text, new Uint8Array(max));
  return { shown: text.slice(0, read), bytes, truncated: true };
}

export interface DeadLetterPageProps {
  user: PublicUser;
  csrfToken: string;
  deadLetter: DeadLetterRecord;
  /** The stored post as pretty-printed JSON (services/pipeline-ops.ts payloadJson). */
  payloadJson: string;
  /** Where the whole stored post downloads as a JSON file. */
  downloadHref: string;
  canEdit: boolean;
}

const At = ({ iso }: { iso: string }) => (
  <time dateTime={iso}>{iso.replace('T', ' ').replace('Z', ' UTC')}</time>
);
const orNone = (v: string | null) => v ?? <em>none</em>;

export function DeadLetterPage(p: DeadLetterPageProps) {
  const d = p.deadLetter;
  const { shown, bytes, truncated } = firstBytes(p.payloadJson, PAYLOAD_DISPLAY_BYTES);
  const fields: [string, ComponentChildren][] = [
    ['Id', d.id],
    ['Arrived', <At key="r" iso={d.receivedAt} />],
    ['Failed', <At key="f" iso={d.failedAt} />],
    ['Error', d.error],
    ['Stored post', `a JSON ${d.post.type}, ${bytes.toLocaleString('en')} bytes as JSON`],
    ['Channel kind', orNone(d.post.channelKind)],
    ['Channel id', orNone(d.post.channelId)],
    ['Author handle', orNone(d.post.authorHandle)],
    ['External id', orNone(d.post.externalId)],
  ];
  return (
    <AppLayout title={`Dead letter ${d.id}`} user={p.user} csrfToken={p.csrfToken} current="pipeline">
      <p>
        <a href={PIPELINE_PAGE}>Triage pipeline</a> › Dead letter {d.id}
      </p>
      <h1>Dead letter {d.id}</h1>
      <dl class="record">
        {fields.map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {p.canEdit ? (
        <Actions d={d} csrfToken={p.csrfToken} />
      ) : (
        <p>You can see the dead letters; only admins retry or discard them.</p>
      )}
      <section aria-labelledby="payload">
        <h2 id="payload">The stored post</h2>
        {truncated && (
          <p class="warn" id="payload-truncated">
            Truncated: the first {PAYLOAD_DISPLAY_BYTES.toLocaleString('en')} bytes are shown,{' '}
            {bytes.toLocaleString('en')} bytes in all.
          </p>
        )}
        <p>
          <a href={p.downloadHref} download={`dead-letter-${d.id}.json`}>
            Download the raw JSON
          </a>{' '}
          ({bytes.toLocaleString('en')} bytes)
        </p>
        {/* Wrapped, never scrolled sideways (app.css), so it needs no keyboard focus of its own. */}
        <pre class="payload">{shown}</pre>
      </section>
    </AppLayout>
  );
}

/** An unknown dead letter (404): already retried or discarded, or never there. */
export function DeadLetterGonePage(p: { user: PublicUser; csrfToken: string; id: number }) {
  return (
    <AppLayout title="No such dead letter" user={p.user} csrfToken={p.csrfToken} current="pipeline">
      <h1>No dead letter {p.id}</h1>
      <p>It was retried or discarded already, or never existed.</p>
      <p>
        <a href={PIPELINE_PAGE}>Back to the triage pipeline</a>
      </p>
    </AppLayout>
  );
}
