/** RSS 2.0 and Atom 1.0 feeds of the blog. */
import type { ArticleWithAuthor } from '../../db/repositories/articles.ts';
import { articlePath } from '../../services/articles.ts';

export function xmlEscape(s: string): string {
  return (
    s
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 forbids these characters
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
  );
}

/** Relative links and images in article HTML become absolute for feed readers. */
export function absolutise(html: string, baseUrl: string): string {
  return html.replace(/(\s(?:href|src))="\/(?!\/)/g, `$1="${baseUrl}/`);
}

interface FeedOptions {
  baseUrl: string;
  title: string;
  description: string;
}

export function rssFeed(posts: ArticleWithAuthor[], o: FeedOptions): string {
  const items = posts
    .map((p) => {
      const link = `${o.baseUrl}${articlePath(p)}`;
      return `    <item>
      <title>${xmlEscape(p.title)}</title>
      <link>${xmlEscape(link)}</link>
      <guid isPermaLink="false">urn:uuid:${p.id}</guid>
      <pubDate>${(p.publishAt ?? p.createdAt).toUTCString()}</pubDate>
${p.authorName ? `      <dc:creator>${xmlEscape(p.authorName)}</dc:creator>\n` : ''}${p.tags.map((t) => `      <category>${xmlEscape(t)}</category>\n`).join('')}      <description>${xmlEscape(absolutise(p.bodyHtml, o.baseUrl))}</description>
    </item>`;
    })
    .join('\n');
  const updated = posts[0]?.publishAt ?? new Date(0);
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>${xmlEscape(o.title)}</title>
    <link>${xmlEscape(`${o.baseUrl}/blog`)}</link>
    <description>${xmlEscape(o.description)}</description>
    <language>en</language>
    <lastBuildDate>${updated.toUTCString()}</lastBuildDate>
    <atom:link href="${xmlEscape(`${o.baseUrl}/blog/feed.xml`)}" rel="self" type="application/rss+xml"/>
${items}
  </channel>
</rss>
`;
}

export function atomFeed(posts: ArticleWithAuthor[], o: FeedOptions): string {
  const changed = (p: ArticleWithAuthor) =>
    new Date(Math.max(p.updatedAt.getTime(), p.publishAt?.getTime() ?? 0));
  const updated = new Date(Math.max(0, ...posts.map((p) => changed(p).getTime())));
  const entries = posts
    .map((p) => {
      const link = `${o.baseUrl}${articlePath(p)}`;
      return `  <entry>
    <title>${xmlEscape(p.title)}</title>
    <link rel="alternate" type="text/html" href="${xmlEscape(link)}"/>
    <id>urn:uuid:${p.id}</id>
    <published>${(p.publishAt ?? p.createdAt).toISOString()}</published>
    <updated>${changed(p).toISOString()}</updated>
    <author><name>${xmlEscape(p.authorName ?? 'Earshot')}</name></author>
${p.tags.map((t) => `    <category term="${xmlEscape(t)}"/>\n`).join('')}${p.summary ? `    <summary>${xmlEscape(p.summary)}</summary>\n` : ''}    <content type="html">${xmlEscape(absolutise(p.bodyHtml, o.baseUrl))}</content>
  </entry>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>${xmlEscape(o.title)}</title>
  <subtitle>${xmlEscape(o.description)}</subtitle>
  <link rel="alternate" type="text/html" href="${xmlEscape(`${o.baseUrl}/blog`)}"/>
  <link rel="self" type="application/atom+xml" href="${xmlEscape(`${o.baseUrl}/blog/atom.xml`)}"/>
  <id>${xmlEscape(`${o.baseUrl}/blog`)}</id>
  <updated>${updated.toISOString()}</updated>
${entries}
</feed>
`;
}
