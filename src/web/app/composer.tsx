/**
 * The composer: a plain form on the server, hydrated into the live composer (length as the platform
 * counts it, thread split, preview, risk and spell check, canned replies, KB links, local + server
 * draft, stale-view warning, undo window). A double click sends once: one idempotency key per reply.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { countLength } from '../../domain/composer/length.ts';
import type { RiskFinding } from '../../domain/composer/risk-check.ts';
import type { SpellFinding } from '../../domain/composer/spellcheck.ts';
import { splitThread } from '../../domain/composer/thread-split.ts';
import type { ChannelKind } from '../../domain/types.ts';
import { ComposerAids } from './composer-aids.tsx';
import { api, debounce, loadLocalDraft, newKey, saveLocalDraft } from './composer-api.ts';

export interface ComposerProps {
  conversationId: string;
  channelKind: ChannelKind;
  version: number;
  csrfToken: string;
  draft: string;
  idempotencyKey: string;
  undoWindowSeconds: number;
  needsApproval: boolean;
}

interface Sent {
  id: string;
  status: string;
  sendAfter: string | null;
}

export function Composer(p: ComposerProps) {
  const [text, setText] = useState(p.draft);
  const [kind, setKind] = useState('public_reply');
  const [split, setSplit] = useState(false);
  const [after, setAfter] = useState('wait_on_customer');
  const [risk, setRisk] = useState<RiskFinding[]>([]);
  const [spelling, setSpelling] = useState<SpellFinding[]>([]);
  const [problem, setProblem] = useState<{ code: string; message: string } | null>(null);
  const [status, setStatus] = useState('');
  const [sent, setSent] = useState<Sent[]>([]);
  const [left, setLeft] = useState(0);
  const busy = useRef(false);
  const key = useRef(p.idempotencyKey);
  const version = useRef(p.version);

  const length = useMemo(() => countLength(text, p.channelKind), [text, p.channelKind]);
  const parts = useMemo(
    () => (length.valid || !split ? [text.trim()] : splitThread(text, p.channelKind)),
    [text, split, length.valid, p.channelKind],
  );

  const check = useMemo(
    () =>
      debounce(async (t: string) => {
        const r = await api<{ risk: RiskFinding[]; spelling: SpellFinding[] }>(
          p.csrfToken,
          'POST',
          '/api/composer/check',
          {
            text: t,
            channelKind: p.channelKind,
          },
        );
        if (r.ok) {
          setRisk(r.data.risk);
          setSpelling(r.data.spelling);
        }
      }, 300),
    [p.csrfToken, p.channelKind],
  );
  const saveServer = useMemo(
    () =>
      debounce(async (t: string) => {
        const r = await api(p.csrfToken, 'PUT', `/api/conversations/${p.conversationId}/draft`, {
          text: t,
          basedOnVersion: version.current,
        });
        if (!r.ok && r.error.status === 401)
          setStatus(
            'Your session expired. The draft is kept in this browser: sign in again in another tab, then send.',
          );
      }, 800),
    [p.csrfToken, p.conversationId],
  );
  const typing = useMemo(() => {
    let last = 0;
    return () => {
      if (Date.now() - last < 3000) return;
      last = Date.now();
      void api(p.csrfToken, 'POST', `/api/conversations/${p.conversationId}/presence`, { state: 'typing' });
    };
  }, [p.csrfToken, p.conversationId]);

  useEffect(() => {
    const local = loadLocalDraft(p.conversationId);
    if (local && local !== p.draft) setText(local);
    const onVersion = (e: Event) => {
      const v = (e as CustomEvent<number>).detail;
      if (v > version.current)
        setStatus('New activity in this conversation since you opened it: review it before sending.');
    };
    window.addEventListener('earshot:version', onVersion);
    return () => window.removeEventListener('earshot:version', onVersion);
  }, [p.conversationId, p.draft]);

  useEffect(() => {
    if (sent.length === 0) return;
    const t = setInterval(() => {
      const until = Math.max(...sent.map((s) => (s.sendAfter ? new Date(s.sendAfter).getTime() : 0)));
      const s = Math.max(0, Math.ceil((until - Date.now()) / 1000));
      setLeft(s);
      if (s === 0) {
        setSent([]);
        setStatus('Sent to the outbox.');
      }
    }, 250);
    return () => clearInterval(t);
  }, [sent]);

  function edit(t: string) {
    setText(t);
    setProblem(null);
    saveLocalDraft(p.conversationId, t);
    saveServer(t);
    check(t);
    typing();
  }

  async function send(opts: { acknowledgeStale?: boolean; acknowledgeRisk?: boolean } = {}) {
    if (busy.current) return; // a double click sends once
    busy.current = true;
    setStatus('Sending…');
    const r = await api<{ replies: Sent[] }>(
      p.csrfToken,
      'POST',
      `/api/conversations/${p.conversationId}/replies`,
      {
        text,
        kind,
        idempotencyKey: key.current,
        basedOnVersion: version.current,
        splitThread: split,
        afterSending: after,
        ...opts,
      },
    );
    busy.current = false;
    if (!r.ok) {
      setProblem(r.error);
      setStatus(
        r.error.status === 401
          ? 'Your session expired. The draft is kept: sign in again, then send.'
          : r.error.message,
      );
      if (r.error.code === 'stale_view')
        version.current = Number(r.error.details?.currentVersion ?? version.current);
      return;
    }
    key.current = newKey();
    setText('');
    saveLocalDraft(p.conversationId, '');
    setProblem(null);
    const pending = r.data.replies.some((x) => x.status === 'pending_approval');
    setStatus(pending ? 'Sent for approval by a supervisor.' : '');
    if (!pending) setSent(r.data.replies);
  }

  async function undo() {
    const texts: string[] = [];
    for (const s of sent) {
      const r = await api<{ text: string }>(p.csrfToken, 'POST', `/api/replies/${s.id}/undo`);
      if (!r.ok) {
        setStatus(r.error.message);
        return;
      }
      texts.push(r.data.text);
    }
    setSent([]);
    const back = texts.join('\n');
    setText(back);
    saveLocalDraft(p.conversationId, back);
    setStatus('Undone: the reply is back in the composer.');
  }

  const over = length.remaining !== null && length.remaining < 0;
  return (
    <form
      method="post"
      action={`/api/conversations/${p.conversationId}/replies`}
      class="composer"
      aria-labelledby="composer-h"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <h2 id="composer-h">Reply</h2>
      <input type="hidden" name="_csrf" value={p.csrfToken} />
      <input type="hidden" name="idempotencyKey" value={key.current} />
      <input type="hidden" name="basedOnVersion" value={String(version.current)} />
      <label>
        Send as{' '}
        <select
          name="kind"
          value={kind}
          onChange={(e) => setKind((e.currentTarget as HTMLSelectElement).value)}
        >
          <option value="public_reply">Public reply{p.needsApproval ? ' (needs approval)' : ''}</option>
          <option value="private_message">Private message</option>
          <option value="resolution_notice">Resolution notice (on the original thread)</option>
        </select>
      </label>{' '}
      <label>
        Then{' '}
        <select
          name="afterSending"
          value={after}
          onChange={(e) => setAfter((e.currentTarget as HTMLSelectElement).value)}
        >
          <option value="wait_on_customer">wait for the customer (clocks pause)</option>
          <option value="keep_open">keep open (we still owe an answer)</option>
        </select>
      </label>
      <label for="composer-text" class="block">
        Message
      </label>
      <textarea
        id="composer-text"
        name="text"
        rows={5}
        spellcheck
        value={text}
        onInput={(e) => edit((e.currentTarget as HTMLTextAreaElement).value)}
        aria-describedby="composer-count"
      />
      <p id="composer-count" class={over ? 'count over' : 'count'} aria-live="polite">
        {length.limit === null ? `${length.length} characters` : `${length.length} / ${length.limit}`}
        {p.channelKind === 'x' && ' (as X counts: links 23, wide characters 2)'}
      </p>
      <label>
        <input
          type="checkbox"
          name="splitThread"
          value="true"
          checked={split}
          onChange={() => setSplit(!split)}
        />{' '}
        Split into a numbered thread when too long
      </label>{' '}
      <label>
        <input type="checkbox" name="acknowledgeRisk" value="true" /> I checked the risk warnings
      </label>{' '}
      <label>
        <input type="checkbox" name="acknowledgeStale" value="true" /> Send even if the conversation changed
      </label>
      <ComposerAids
        conversationId={p.conversationId}
        csrfToken={p.csrfToken}
        parts={text.trim() ? parts : []}
        risk={risk}
        spelling={spelling}
        insert={(t) => edit(text ? `${text} ${t}` : t)}
      />
      {problem?.code === 'stale_view' && (
        <div class="warn" role="alert">
          {problem.message}{' '}
          <button type="button" onClick={() => void send({ acknowledgeStale: true })}>
            Send anyway
          </button>
        </div>
      )}
      {problem?.code === 'risk_check' && (
        <div class="warn" role="alert">
          {problem.message} <a href="#take-private">Take it private instead</a>{' '}
          <button type="button" onClick={() => void send({ acknowledgeRisk: true })}>
            Post publicly anyway
          </button>
        </div>
      )}
      <p class="status" role="status">
        {status}
      </p>
      {sent.length > 0 && (
        <div class="undo" role="alert">
          Sending in {left} s.{' '}
          <button type="button" onClick={() => void undo()}>
            Undo
          </button>
        </div>
      )}
      <button type="submit" class="primary" disabled={sent.length > 0}>
        Send
      </button>
    </form>
  );
}
