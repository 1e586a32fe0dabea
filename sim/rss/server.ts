/**
 * RSS/Atom simulator: serves generated RSS 2.0 and Atom feeds (items can be appended while it
 * runs), raw documents (the recorded real-world feeds in specs/feeds, or deliberately broken
 * ones), with ETag / Last-Modified and 304s. Control API: methods and /_sim/ routes.
 */
import { readFileSync } from 'node:fs';
import { jsonBody, Router, type SimReply, startServer } from '../shared/http.ts';
import { specFile } from '../shared/spec-validator.ts';

export interface FeedItem {
  guid: string;
  title: string;
  link: string;
  content: string;
  author?: string;
  published: string;
}

interface Feed {
  format: 'rss' | 'atom';
  title: string;
  items: FeedItem[];
  /** Raw document served as is (recorded or malformed feeds). */
  raw?: string;
  contentType?: string;
  version: number;
  modified: string;
  /** Serve only the newest `window` items, as real feeds do (undefined: all). */
  window?: number;
}

export interface RssSim {
  url: string;
  router: Router;
  feeds: Map<string, Feed>;
  addFeed(path: string, opts?: { format?: 'rss' | 'atom'; title?: string }): string;
  appendItem(path: string, item: Partial<FeedItem> & { title: string }): FeedItem;
  serveRaw(path: string, body: string, contentType?: string): string;
  /** Serve one of the recorded feeds in specs/feeds (e.g. `rss-parser/input/heise.atom`). */
  serveRecorded(path: string, relative: string): string;
  /** Keep only the newest `n` items in the served document (real feeds show the latest 10–100). */
  setWindow(path: string, n: number | undefined): void;
  close(): Promise<void>;
}

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function renderRss(base: string, path: string, f: Feed): string {
  const items = f.items
    .slice(f.window ? -f.window : 0)
    .reverse()
    .map(
      (i) => `    <item>
      <title>${esc(i.title)}</title>
      <link>${esc(i.link)}</link>
      <guid isPermaLink="false">${esc(i.guid)}</guid>
      <pubDate>${new Date(i.published).toUTCString()}</pubDate>
${i.author ? `      <dc:creator>${esc(i.author)}</dc:creator>\n` : ''}      <description>${esc(i.content)}</description>
    </item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>${esc(f.title)}</title>
    <link>${esc(base + path)}</link>
    <description>${esc(f.title)}</description>
    <lastBuildDate>${new Date(f.modified).toUTCString()}</lastBuildDate>
${items}
  </channel>
</rss>
`;
}

function renderAtom(base: string, path: string, f: Feed): string {
  const entries = f.items
    .slice(f.window ? -f.window : 0)
    .reverse()
    .map(
      (i) => `  <entry>
    <title>${esc(i.title)}</title>
    <link rel="alternate" href="${esc(i.link)}"/>
    <id>${esc(i.guid)}</id>
    <published>${i.published}</published>
    <updated>${i.published}</updated>
${i.author ? `    <author><name>${esc(i.author)}</name></author>\n` : ''}    <content type="html">${esc(i.content)}</content>
  </entry>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>${esc(f.title)}</title>
  <id>${esc(base + path)}</id>
  <link rel="self" href="${esc(base + path)}"/>
  <updated>${f.modified}</updated>
${entries}
</feed>
`;
}

export async function startRssSim(): Promise<RssSim> {
  const feeds = new Map<string, Feed>();
  const router = new Router();
  let base = '';
  let counter = 0;

  const touch = (f: Feed) => {
    f.version += 1;
    f.modified = new Date().toISOString();
  };
  const sim = {
    router,
    feeds,
    addFeed(path: string, opts: { format?: 'rss' | 'atom'; title?: string } = {}) {
      feeds.set(path, {
        format: opts.format ?? 'rss',
        title: opts.title ?? `Feed ${path}`,
        items: [],
        version: 1,
        modified: new Date().toISOString(),
      });
      return `${base}${path}`;
    },
    appendItem(path: string, item: Partial<FeedItem> & { title: string }) {
      const f = feeds.get(path);
      if (!f) throw new Error(`no feed at ${path}`);
      counter += 1;
      const full: FeedItem = {
        guid: item.guid ?? `${base}${path}#item-${counter}`,
        link: item.link ?? `${base}/posts/${counter}`,
        content: item.content ?? '',
        published: item.published ?? new Date().toISOString(),
        ...item,
      };
      f.items.push(full);
      touch(f);
      return full;
    },
    serveRaw(path: string, body: string, contentType = 'application/xml; charset=utf-8') {
      feeds.set(path, {
        format: 'rss',
        title: path,
        items: [],
        raw: body,
        contentType,
        version: 1,
        modified: new Date().toISOString(),
      });
      return `${base}${path}`;
    },
    setWindow(path: string, n: number | undefined) {
      const f = feeds.get(path);
      if (!f) throw new Error(`no feed at ${path}`);
      if (n === undefined) delete f.window;
      else f.window = n;
      touch(f);
    },
    serveRecorded(path: string, relative: string) {
      return sim.serveRaw(path, readFileSync(specFile(`feeds/${relative}`), 'utf8'));
    },
  };

  router.on('POST', '/_sim/feeds', (req) => {
    const b = jsonBody(req) as { path: string; format?: 'rss' | 'atom'; title?: string };
    return { status: 200, body: { url: sim.addFeed(b.path, b) } };
  });
  router.on('POST', '/_sim/items', (req) => {
    const b = jsonBody(req) as { path: string } & Partial<FeedItem> & { title: string };
    return { status: 200, body: sim.appendItem(b.path, b) };
  });
  const notFound = (path: string): SimReply | undefined => {
    const f = feeds.get(path);
    if (!f) return { status: 404, body: 'no such feed' };
    return undefined;
  };
  const server = await startServer({
    router,
    notFound: (req) => {
      const missing = notFound(req.path);
      if (missing) return missing;
      const f = feeds.get(req.path)!;
      const etag = `"v${f.version}"`;
      const lastModified = new Date(f.modified).toUTCString();
      if (req.headers['if-none-match'] === etag) return { status: 304, headers: { etag } };
      const body =
        f.raw ?? (f.format === 'atom' ? renderAtom(base, req.path, f) : renderRss(base, req.path, f));
      const contentType =
        f.contentType ??
        (f.format === 'atom' ? 'application/atom+xml; charset=utf-8' : 'application/rss+xml; charset=utf-8');
      return { status: 200, headers: { etag, 'last-modified': lastModified }, body, contentType };
    },
  });
  base = server.url;
  return { ...sim, url: server.url, close: () => server.close() };
}
