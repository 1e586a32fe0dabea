/**
 * Markdown → sanitised HTML for user content (forum posts, messages).
 * - markdown-it with raw HTML disabled (it is escaped), then sanitize-html as a second wall:
 *   an allow-list of tags and attributes, no script/style/iframe, no event handlers, no style.
 * - Links: http, https and mailto only; every link gets rel="nofollow ugc noopener" and external
 *   links open normally (no target, so no tabnabbing).
 * - Images are not embedded (tracking pixels, hotlinking): they render as links.
 * - @mentions become links to the member's profile; bidi override/isolate controls are removed
 *   (Trojan Source style tricks).
 */
import MarkdownIt, { type Env, type Token } from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

export const MENTION_RE = /(^|[^\w@/])@([a-z0-9_]{2,30})\b/gi;
/** Bidi embedding/override/isolate controls: never needed in forum prose, dangerous in code. */
export const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;

// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters on purpose
const C0_CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

export interface RenderOptions {
  /** Profile URL for a mentioned username, or undefined to leave the mention as text. */
  mentionHref?: (username: string) => string | undefined;
}

const md = new MarkdownIt({ html: false, linkify: true, breaks: false, typographer: false });
md.validateLink = (url: string) => /^(https?:|mailto:|\/(?!\/)|#)/i.test(url.trim());

// Images render as plain links to the image.
md.renderer.rules.image = (tokens, idx) => {
  const token = tokens[idx] as Token;
  const src = token.attrGet('src') ?? '';
  const alt = token.content || src;
  return `<a href="${md.utils.escapeHtml(String(src))}">${md.utils.escapeHtml(String(alt))}</a>`;
};

md.core.ruler.push('mentions', (state) => {
  const href = (state.env as RenderOptions | undefined)?.mentionHref;
  if (!href) return;
  for (const block of state.tokens) {
    if (block.type !== 'inline' || !block.children) continue;
    const out: Token[] = [];
    let inLink = 0;
    for (const tok of block.children) {
      if (tok.type === 'link_open') inLink++;
      if (tok.type === 'link_close') inLink--;
      if (tok.type !== 'text' || inLink > 0 || !tok.content.includes('@')) {
        out.push(tok);
        continue;
      }
      let last = 0;
      const text = tok.content;
      for (const m of text.matchAll(MENTION_RE)) {
        const name = m[2] as string;
        const url = href(name.toLowerCase());
        if (!url) continue;
        const start = (m.index ?? 0) + (m[1] as string).length;
        if (start > last) out.push(textToken(state.Token, text.slice(last, start)));
        const open = new state.Token('link_open', 'a', 1);
        open.attrSet('href', url);
        open.attrSet('class', 'mention');
        out.push(open, textToken(state.Token, `@${name}`), new state.Token('link_close', 'a', -1));
        last = start + name.length + 1;
      }
      if (last === 0) out.push(tok);
      else if (last < text.length) out.push(textToken(state.Token, text.slice(last)));
    }
    block.children = out;
  }
});

function textToken(T: typeof Token, content: string): Token {
  const t = new T('text', '', 0);
  t.content = content;
  return t;
}

/** Tags any user-written Markdown may produce (articles add images and h2 on top). */
export const MARKDOWN_TEXT_TAGS = [
  'p',
  'br',
  'hr',
  'strong',
  'em',
  's',
  'del',
  'code',
  'pre',
  'blockquote',
  'ul',
  'ol',
  'li',
  'a',
  'h3',
  'h4',
  'h5',
  'h6',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
];

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: MARKDOWN_TEXT_TAGS,
  allowedAttributes: { a: ['href', 'class', 'rel'], ol: ['start'], th: ['align'], td: ['align'] },
  allowedClasses: { a: ['mention'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'escape',
  // Headings h1/h2 would break the page outline: they become h3/h4.
  transformTags: {
    h1: 'h3',
    h2: 'h4',
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'nofollow ugc noopener' } }),
  },
};

/** Removes bidi and C0 control characters (except tab and newlines); normalises to NFC. Applied to every stored user text. */
export function cleanUserText(text: string): string {
  return text.normalize('NFC').replace(BIDI_CONTROLS, '').replace(C0_CONTROLS, '');
}

export function renderMarkdown(source: string, options: RenderOptions = {}): string {
  const html = md.render(cleanUserText(source), options as Env);
  return sanitizeHtml(html, SANITIZE).trim();
}

/** Plain-text excerpt of Markdown (for descriptions, feeds, notifications). */
export function markdownExcerpt(source: string, max = 200): string {
  const text = sanitizeHtml(md.render(cleanUserText(source)), { allowedTags: [], allowedAttributes: {} })
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

/** Usernames mentioned in the source (lower-cased, unique, at most `limit`). */
export function mentionedUsernames(source: string, limit = 10): string[] {
  const names = new Set<string>();
  for (const m of cleanUserText(source).matchAll(MENTION_RE)) {
    names.add((m[2] as string).toLowerCase());
    if (names.size >= limit) break;
  }
  return [...names];
}
