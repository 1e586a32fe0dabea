/**
 * Article Markdown → sanitised HTML. Like forum posts (src/lib/markdown.ts) raw HTML is escaped and
 * sanitize-html is a second wall, but articles are written by staff, so they may embed images
 * (uploaded ones under /kb/images/ or https URLs) and use headings h2–h4 (h1 is the title).
 */
import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import { cleanUserText, MARKDOWN_TEXT_TAGS } from '../lib/markdown.ts';

const IMAGE_SRC = /^(\/kb\/images\/[0-9a-f-]{36}|https:\/\/[^\s"'<>]+)$/i;

const md = new MarkdownIt({ html: false, linkify: true, breaks: false, typographer: true });
md.validateLink = (url: string) => /^(https?:|mailto:|\/(?!\/)|#)/i.test(url.trim());

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [...MARKDOWN_TEXT_TAGS, 'img', 'h2'],
  allowedAttributes: {
    a: ['href', 'rel', 'id'],
    img: ['src', 'alt', 'title', 'loading'],
    ol: ['start'],
    th: ['align'],
    td: ['align'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['https'] },
  allowedSchemesAppliedToAttributes: ['href', 'src'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'escape',
  transformTags: {
    h1: 'h2',
    a: (tagName, attribs) => ({
      tagName,
      attribs: /^https?:/i.test(attribs.href ?? '') ? { ...attribs, rel: 'noopener' } : attribs,
    }),
    img: (tagName, attribs) => ({
      tagName,
      attribs: { ...attribs, loading: 'lazy', alt: attribs.alt ?? '' },
    }),
  },
  exclusiveFilter: (frame) => frame.tag === 'img' && !IMAGE_SRC.test(frame.attribs.src ?? ''),
};

export function renderArticleMarkdown(source: string): string {
  return sanitizeHtml(md.render(cleanUserText(source)), SANITIZE).trim();
}
