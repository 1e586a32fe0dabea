/**
 * Tweet-aware tokenizer for the triage classifiers.
 *
 * - lowercases, decodes the common HTML entities (&amp; &lt; &gt; &quot; &#39;) and literal `\uXXXX`
 *   escapes left in the text by JSON exports (TweetEval has "don\u2019t", "probably\u002c")
 * - URLs → `<url>`, @handles → `@user`, numbers → `<num>`, money → `<money>`
 * - emoticons (":)", ":-(", "<3", ":D"...) and emoji are kept as tokens
 * - hashtags give both `#tag` and `tag`
 * - letters repeated 3+ times are squashed to 2 ("sooooo" → "soo") and flagged
 * - negation marking: after "not", "no", "never", "n't"... the following word tokens get a `_neg`
 *   suffix until the next clause punctuation (. , ! ? ; :) or after 4 tokens.
 */

export interface TokenizedPost {
  /** Word-level tokens (with negation marks), used for word uni/bi-grams. */
  tokens: string[];
  /** Plain words (no negation marks, no placeholders), used for character n-grams. */
  words: string[];
  /** Surface cues: counts used as dense features and by the intent rules. */
  cues: PostCues;
}

export interface PostCues {
  urls: number;
  mentions: number;
  hashtags: number;
  exclamations: number;
  questions: number;
  allCapsWords: number;
  elongated: number;
  emoticonsPositive: number;
  emoticonsNegative: number;
  length: number;
}

const ENTITY: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};

const NEGATORS = new Set([
  'not',
  'no',
  'never',
  'cannot',
  'nothing',
  'nobody',
  'none',
  'nowhere',
  'neither',
  'nor',
  'without',
  'hardly',
  'dont',
  'cant',
  'wont',
  'didnt',
  'doesnt',
  'isnt',
  'wasnt',
  'arent',
  'werent',
  'havent',
  'hasnt',
  'hadnt',
  'couldnt',
  'shouldnt',
  'wouldnt',
  'aint',
]);

const POSITIVE_EMOTICON = /^(?:[:;=8][-o*']?[)\]dp}>]|[([][-o*']?[:;=]|<3+|\^[_.-]?\^|:-?\*|xd+)$/i;
const NEGATIVE_EMOTICON = /^(?:[:;=8][-o*']?[([{/\\|]|[)\]][-o*']?[:;=]|:'\(|<\/3|d:|-_-)$/i;

// One alternation, tried left to right at each position. Groups: 1 url, 2 mention, 3 hashtag,
// 4 emoticon, 5 money, 6 number, 7 word, 8 emoji, 9 punctuation.
const TOKEN_RE = new RegExp(
  [
    '(https?:\\/\\/\\S+|www\\.\\S+|\\b[a-z0-9.-]+\\.(?:com|net|org|co|io|ly|me)\\/\\S*)',
    '(@\\w+)',
    '(#\\w+)',
    "((?:[:;=8][-o*']?[)\\](\\[dpo/\\\\|}{>*])(?![a-z0-9])|(?:[)\\](\\[][-o*']?[:;=])|<\\/?3+|\\^[_.-]?\\^|-_-|:'\\()",
    '([$£€]\\s?\\d[\\d,.]*[km]?\\b|\\d[\\d,.]*\\s?(?:usd|eur|gbp|dollars?|bucks)\\b)',
    '(\\d+(?:[.,:/]\\d+)*(?:st|nd|rd|th|am|pm|h|hrs|k|m|s|x)?\\b)',
    "([\\p{L}\\p{M}][\\p{L}\\p{M}\\p{N}_'’]*)",
    '(\\p{Extended_Pictographic})',
    '([!?]+|\\.{2,}|[.,;:])',
  ].join('|'),
  'giu',
);

const CLAUSE_END = /^[.,;:!?]/;

const U_ESCAPE = /\\u([0-9a-fA-F]{4})/g;

export function normaliseText(raw: string): string {
  const text = raw.includes('\\u')
    ? raw.replace(U_ESCAPE, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    : raw;
  return text.replace(/&(?:amp|lt|gt|quot|#39);/g, (m) => ENTITY[m] ?? m);
}

export function tokenize(raw: string): TokenizedPost {
  const text = normaliseText(raw);
  const cues: PostCues = {
    urls: 0,
    mentions: 0,
    hashtags: 0,
    exclamations: 0,
    questions: 0,
    allCapsWords: 0,
    elongated: 0,
    emoticonsPositive: 0,
    emoticonsNegative: 0,
    length: text.length,
  };
  const tokens: string[] = [];
  const words: string[] = [];
  let negLeft = 0;
  TOKEN_RE.lastIndex = 0;
  for (let m = TOKEN_RE.exec(text); m !== null; m = TOKEN_RE.exec(text)) {
    const surface = m[0];
    if (m[1] !== undefined) {
      cues.urls++;
      tokens.push('<url>');
      negLeft = 0;
    } else if (m[2] !== undefined) {
      cues.mentions++;
      tokens.push('@user');
    } else if (m[3] !== undefined) {
      cues.hashtags++;
      const tag = squash(surface.slice(1).toLowerCase());
      tokens.push(`#${tag}`);
      tokens.push(tag);
      words.push(tag);
    } else if (m[4] !== undefined) {
      const e = surface.toLowerCase().replace(/[-o']/g, '');
      if (NEGATIVE_EMOTICON.test(surface)) cues.emoticonsNegative++;
      else if (POSITIVE_EMOTICON.test(surface)) cues.emoticonsPositive++;
      tokens.push(e);
    } else if (m[5] !== undefined) {
      tokens.push('<money>');
    } else if (m[6] !== undefined) {
      tokens.push('<num>');
    } else if (m[7] !== undefined) {
      if (surface.length > 1 && surface === surface.toUpperCase() && surface !== surface.toLowerCase()) {
        cues.allCapsWords++;
      }
      let w = surface.toLowerCase().replace(/’/g, "'");
      const squashed = squash(w);
      if (squashed !== w) cues.elongated++;
      w = squashed;
      const bare = w.replace(/'/g, '');
      words.push(bare);
      if (negLeft > 0) {
        tokens.push(`${bare}_neg`);
        negLeft--;
      } else {
        tokens.push(bare);
      }
      if (NEGATORS.has(bare) || w.endsWith("n't")) negLeft = 4;
    } else if (m[8] !== undefined) {
      tokens.push(surface);
    } else if (m[9] !== undefined) {
      if (surface.includes('!')) cues.exclamations++;
      if (surface.includes('?')) cues.questions++;
      tokens.push(surface.startsWith('.') && surface.length > 1 ? '...' : surface.slice(0, 1));
      if (CLAUSE_END.test(surface)) negLeft = 0;
    }
  }
  return { tokens, words, cues };
}

function squash(w: string): string {
  for (let i = 2; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c === w.charCodeAt(i - 1) && c === w.charCodeAt(i - 2)) return w.replace(/(.)\1{2,}/gu, '$1$1');
  }
  return w;
}
