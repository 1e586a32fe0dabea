/** Under the composer: preview as published, risk findings, spelling, canned replies, KB links. */
import { useState } from 'preact/hooks';
import type { RiskFinding } from '../../domain/composer/risk-check.ts';
import type { SpellFinding } from '../../domain/composer/spellcheck.ts';
import { api } from './composer-api.ts';

interface Props {
  conversationId: string;
  csrfToken: string;
  parts: string[];
  risk: RiskFinding[];
  spelling: SpellFinding[];
  insert: (text: string) => void;
}

interface Canned {
  id: string;
  title: string;
  text: string;
  missing: string[];
}

export function ComposerAids(p: Props) {
  const [canned, setCanned] = useState<Canned[] | null>(null);
  const [articles, setArticles] = useState<{ title: string; url: string }[] | null>(null);
  const [kbNote, setKbNote] = useState('');
  const [q, setQ] = useState('');

  async function loadCanned() {
    const r = await api<{ items: Canned[] }>(
      p.csrfToken,
      'GET',
      `/api/composer/canned?conversationId=${p.conversationId}`,
    );
    setCanned(r.ok ? r.data.items : []);
  }
  async function findArticles() {
    const r = await api<{ available: boolean; items: { title: string; url: string }[] }>(
      p.csrfToken,
      'GET',
      `/api/composer/articles?q=${encodeURIComponent(q)}`,
    );
    if (r.ok && !r.data.available) setKbNote('No knowledge base yet.');
    else setKbNote(r.ok && r.data.items.length === 0 ? 'No matching article.' : '');
    setArticles(r.ok ? r.data.items : []);
  }

  return (
    <div class="aids">
      {p.parts.length > 0 && (
        <section aria-label="Preview as published" class="preview">
          <h3>Preview{p.parts.length > 1 ? ` (${p.parts.length} posts)` : ''}</h3>
          {p.parts.map((t, i) => (
            <p class="post out" key={i}>
              {t}
            </p>
          ))}
        </section>
      )}
      {p.risk.length > 0 && (
        <section aria-label="Risk check" class="warn">
          <h3>Before posting publicly</h3>
          <ul>
            {p.risk.map((f) => (
              <li key={`${f.start}-${f.kind}`}>
                “{f.match}”: {f.message}
                {f.suggestion === 'take_private' && (
                  <>
                    {' '}
                    <a href="#take-private">Take it private</a>
                  </>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      {p.spelling.length > 0 && (
        <section aria-label="Spelling" class="spell">
          <h3>Spelling</h3>
          <ul>
            {p.spelling.map((s) => (
              <li key={`${s.start}`}>
                {s.word}
                {s.suggestions.length > 0 && ` → ${s.suggestions.join(', ')}`}
              </li>
            ))}
          </ul>
        </section>
      )}
      <details>
        <summary>Canned replies</summary>
        {canned === null ? (
          <button type="button" onClick={() => void loadCanned()}>
            Load canned replies
          </button>
        ) : canned.length === 0 ? (
          <p>No canned replies yet (an admin adds them).</p>
        ) : (
          <ul>
            {canned.map((c) => (
              <li key={c.id}>
                <button type="button" onClick={() => p.insert(c.text)}>
                  {c.title}
                </button>
                {c.missing.length > 0 && ` (fill in: ${c.missing.join(', ')})`}
              </li>
            ))}
          </ul>
        )}
      </details>
      <details>
        <summary>Knowledge-base link</summary>
        <label>
          Search articles{' '}
          <input value={q} onInput={(e) => setQ((e.currentTarget as HTMLInputElement).value)} />
        </label>{' '}
        <button type="button" onClick={() => void findArticles()}>
          Find
        </button>
        {kbNote && <p>{kbNote}</p>}
        {articles && articles.length > 0 && (
          <ul>
            {articles.map((a) => (
              <li key={a.url}>
                <button type="button" onClick={() => p.insert(a.url)}>
                  Insert link: {a.title}
                </button>
              </li>
            ))}
          </ul>
        )}
      </details>
    </div>
  );
}
