import { describe, expect, it } from 'vitest';
import { renderArticleMarkdown } from './articles-markdown.ts';

const IMG = '/kb/images/0b7c4a3e-8f5e-4c1a-9d2b-3f6e7a8b9c0d';

/** Every real tag in the output (escaped text like &lt;script&gt; is harmless and not matched). */
function unsafeParts(html: string): string[] {
  const bad: string[] = [];
  for (const m of html.matchAll(/<([a-z0-9]+)([^>]*)>/gi)) {
    const [tag, name, attrs] = m as unknown as [string, string, string];
    if (/^(script|iframe|style|svg|object|embed|form|input|math)$/i.test(name)) bad.push(tag);
    if (/\son[a-z]+\s*=/i.test(attrs) || /\sstyle\s*=/i.test(attrs)) bad.push(tag);
    for (const a of attrs.matchAll(/\s(href|src)="([^"]*)"/gi)) {
      if (!/^(https?:|mailto:|\/(?!\/)|#)/i.test(a[2] ?? '')) bad.push(tag);
    }
  }
  return bad;
}

describe('article Markdown sanitisation', () => {
  const attacks = [
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '[click](javascript:alert(1))',
    '[click](JaVaScRiPt:alert(1))',
    '[click](java\tscript:alert(1))',
    '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '![x](javascript:alert(1))',
    '<a href="https://x" onclick="steal()">x</a>',
    '<iframe src="https://evil.example"></iframe>',
    '<style>body{display:none}</style>',
    '[a](vbscript:msgbox(1))',
    '<svg onload=alert(1)>',
    '[x](https://ok.example "title" onmouseover="alert(1)")',
    '<<script>script>alert(1)<</script>/script>',
  ];
  it('the checker itself flags unsafe HTML', () => {
    expect(unsafeParts('<a href="javascript:x">a</a><img src="/x" onerror="y"><script>')).toHaveLength(3);
  });

  for (const source of attacks) {
    it(`neutralises ${source}`, () => {
      expect(unsafeParts(renderArticleMarkdown(source))).toEqual([]);
    });
  }

  it('never embeds images from plain http or protocol-relative URLs (mixed content, tracking)', () => {
    expect(renderArticleMarkdown('![x](http://tracker.example/pixel.gif)')).not.toContain('<img');
    expect(renderArticleMarkdown('![x](//evil.example/a.png)')).not.toContain('<img');
  });

  it('keeps raw HTML as visible text, escaped', () => {
    expect(renderArticleMarkdown('<b>bold</b>')).toBe('<p>&lt;b&gt;bold&lt;/b&gt;</p>');
  });

  it('embeds uploaded and https images with alt text, lazily loaded', () => {
    const html = renderArticleMarkdown(`![Settings screen](${IMG}) ![Logo](https://cdn.example/logo.png)`);
    expect(html).toContain(`<img src="${IMG}" alt="Settings screen" loading="lazy" />`);
    expect(html).toContain('<img src="https://cdn.example/logo.png" alt="Logo" loading="lazy" />');
  });

  it('turns the body h1 into h2 (the title is the page h1) and keeps lists, code and tables', () => {
    const html = renderArticleMarkdown(
      '# Setup\n\n- one\n- two\n\n```\ncode <x>\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |',
    );
    expect(html).toContain('<h2>Setup</h2>');
    expect(html).toContain('<li>one</li>');
    expect(html).toContain('<pre><code>code &lt;x&gt;\n</code></pre>');
    expect(html).toContain('<td>1</td>');
  });

  it('marks external links noopener and keeps relative links', () => {
    const html = renderArticleMarkdown('[docs](https://example.com) and [kb](/kb/reset-password)');
    expect(html).toContain('<a href="https://example.com" rel="noopener">docs</a>');
    expect(html).toContain('<a href="/kb/reset-password">kb</a>');
  });

  it('removes bidi override controls', () => {
    expect(renderArticleMarkdown('abc\u202edef')).toBe('<p>abcdef</p>');
  });
});
