/** RSS 2.0 and Atom 1.0 documents for categories, topics and the whole community. */
export interface FeedItem {
  title: string;
  link: string;
  id: string;
  html: string;
  author: string;
  published: Date;
}

export interface Feed {
  title: string;
  link: string;
  selfLink: string;
  description: string;
  updated: Date;
  items: FeedItem[];
}

/** Characters XML 1.0 forbids (C0 controls except tab and newlines). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters on purpose
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;

export const xmlEscape = (s: string): string =>
  s.replace(XML_FORBIDDEN, '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function renderRss(feed: Feed): string {
  const items = feed.items
    .map(
      (i) =>
        `<item><title>${xmlEscape(i.title)}</title><link>${xmlEscape(i.link)}</link><guid isPermaLink="false">${xmlEscape(i.id)}</guid><dc:creator>${xmlEscape(i.author)}</dc:creator><pubDate>${i.published.toUTCString()}</pubDate><description>${xmlEscape(i.html)}</description></item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>${xmlEscape(feed.title)}</title><link>${xmlEscape(feed.link)}</link><description>${xmlEscape(feed.description)}</description><lastBuildDate>${feed.updated.toUTCString()}</lastBuildDate><atom:link href="${xmlEscape(feed.selfLink)}" rel="self" type="application/rss+xml"/>
${items}
</channel></rss>
`;
}

export function renderAtom(feed: Feed): string {
  const entries = feed.items
    .map(
      (i) =>
        `<entry><title>${xmlEscape(i.title)}</title><link href="${xmlEscape(i.link)}"/><id>${xmlEscape(i.id)}</id><author><name>${xmlEscape(i.author)}</name></author><published>${i.published.toISOString()}</published><updated>${i.published.toISOString()}</updated><content type="html">${xmlEscape(i.html)}</content></entry>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>${xmlEscape(feed.title)}</title><subtitle>${xmlEscape(feed.description)}</subtitle><link href="${xmlEscape(feed.link)}"/><link rel="self" href="${xmlEscape(feed.selfLink)}"/><id>${xmlEscape(feed.selfLink)}</id><updated>${feed.updated.toISOString()}</updated>
${entries}
</feed>
`;
}

export function renderSitemap(urls: { loc: string; lastmod?: Date }[]): string {
  const body = urls
    .map(
      (u) =>
        `<url><loc>${xmlEscape(u.loc)}</loc>${u.lastmod ? `<lastmod>${u.lastmod.toISOString()}</lastmod>` : ''}</url>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${body}
</urlset>
`;
}
