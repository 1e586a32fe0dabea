import { describe, expect, it } from 'vitest';
import { markdownExcerpt, mentionedUsernames, renderMarkdown } from './markdown.ts';

const XSS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[x](vbscript:msgbox)',
  '<a href="javascript:alert(1)">x</a>',
  '<svg onload=alert(1)>',
  '<iframe src="https://evil.example"></iframe>',
  '![x](javascript:alert(1))',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '[a](https://ok.example "title\\" onmouseover=\\"alert(1)")',
  '`<script>`',
  '<<script>script>alert(1)<</script>/script>',
];

describe('renderMarkdown', () => {
  it('renders ordinary Markdown', () => {
    const html = renderMarkdown('# Title\n\n**bold** and *it*\n\n> quoted\n\n- a\n- b\n\n```\ncode\n```');
    expect(html).toContain('<h3>Title</h3>');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<blockquote>');
    expect(html).toContain('<li>a</li>');
    expect(html).toContain('<pre><code>code');
  });

  it.each(XSS)('neutralises %s', (payload) => {
    const html = renderMarkdown(payload);
    // Only real tags matter: escaped text (&lt;script&gt;) is inert.
    const tags = [...html.matchAll(/<([a-z0-9]+)([^>]*)>/gi)];
    for (const [, name, attrs] of tags) {
      expect(name).toMatch(/^(p|a|code|pre|strong|em)$/);
      expect(attrs).not.toMatch(/\son\w+\s*=|style=/i);
      expect(attrs).not.toMatch(/href="\s*(javascript|data|vbscript):/i);
    }
  });

  it('marks links nofollow ugc and keeps only safe schemes', () => {
    const html = renderMarkdown(
      '[docs](https://example.com/x) and https://auto.example and [m](mailto:a@b.c)',
    );
    expect(html.match(/rel="nofollow ugc noopener"/g)?.length).toBe(3);
    expect(html).toContain('href="https://example.com/x"');
    expect(html).not.toContain('target=');
  });

  it('turns images into links (no tracking pixels)', () => {
    const html = renderMarkdown('![cat](https://img.example/cat.png)');
    expect(html).not.toContain('<img');
    expect(html).toContain('<a href="https://img.example/cat.png" rel="nofollow ugc noopener">cat</a>');
  });

  it('links @mentions to known members only', () => {
    const known = new Set(['ana_b']);
    const html = renderMarkdown('hi @ana_b and @ghost, mail x@ana_b.com', {
      mentionHref: (u) => (known.has(u) ? `/community/u/${u}` : undefined),
    });
    expect(html).toContain(
      '<a href="/community/u/ana_b" class="mention" rel="nofollow ugc noopener">@ana_b</a>',
    );
    expect(html).toContain('@ghost');
    expect(html).not.toContain('/community/u/ghost');
    expect(mentionedUsernames('hi @Ana_B @bob @ana_b email a@b.com')).toEqual(['ana_b', 'bob']);
  });

  it('strips bidi override controls (Trojan Source)', () => {
    const html = renderMarkdown('price \u202e01$\u202c ok');
    expect(html).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
  });

  it('makes a plain excerpt', () => {
    expect(markdownExcerpt('**Hello** <b>there</b> [x](https://a.b)', 100)).toBe('Hello <b>there</b> x');
    expect(markdownExcerpt('word '.repeat(100), 20).length).toBeLessThanOrEqual(20);
  });
});
