/**
 * Multinomial logistic regression over hashed sparse features, trained full-batch with L-BFGS
 * (deterministic: no sampling, fixed iteration order), L2-regularised, with class and sample weights.
 * Only buckets seen in training get a parameter during optimisation; the result is scattered back
 * into the hashed space.
 */
import type { SparseVector } from './features.ts';

export interface TrainOptions {
  /** L2 strength on the weighted mean loss. */
  l2: number;
  /** 'balanced' weights classes by N / (K * count). */
  classWeight: 'balanced' | 'none';
  maxIter: number;
  tolerance: number;
  /** Buckets seen in fewer training examples than this get no weight. */
  minDf: number;
}

export const DEFAULT_TRAIN: TrainOptions = {
  l2: 1e-4,
  classWeight: 'balanced',
  maxIter: 150,
  tolerance: 1e-6,
  minDf: 2,
};

export interface LinearModel {
  classes: string[];
  bits: number;
  /** Sorted hashed bucket ids that carry weights. */
  buckets: Int32Array;
  /** weights[k * C + c] for bucket buckets[k]. */
  weights: Float32Array;
  bias: Float32Array;
}

export interface Example {
  x: SparseVector;
  y: number;
  weight?: number;
}

export function trainLogReg(
  examples: readonly Example[],
  classes: string[],
  bits: number,
  opts: TrainOptions = DEFAULT_TRAIN,
): LinearModel {
  const C = classes.length;
  const N = examples.length;
  // Compact the hashed space to the buckets seen.
  const df = new Int32Array(1 << bits);
  for (const e of examples) for (const i of e.x.idx) df[i]!++;
  const map = new Int32Array(1 << bits).fill(-1);
  const bucketList: number[] = [];
  let nnz = 0;
  for (const e of examples) {
    for (const i of e.x.idx) {
      if (df[i]! < opts.minDf) continue;
      nnz++;
      if (map[i] === -1) {
        map[i] = bucketList.length;
        bucketList.push(i);
      }
    }
  }
  const F = bucketList.length;
  const rowPtr = new Int32Array(N + 1);
  const col = new Int32Array(nnz);
  const val = new Float64Array(nnz);
  let p = 0;
  examples.forEach((e, r) => {
    rowPtr[r] = p;
    for (let k = 0; k < e.x.idx.length; k++) {
      const j = map[e.x.idx[k]!]!;
      if (j < 0) continue;
      col[p] = j;
      val[p] = e.x.val[k]!;
      p++;
    }
  });
  rowPtr[N] = p;
  const counts = new Float64Array(C);
  let total = 0;
  for (const e of examples) {
    counts[e.y]! += e.weight ?? 1;
    total += e.weight ?? 1;
  }
  const sw = new Float64Array(N);
  let swSum = 0;
  examples.forEach((e, r) => {
    const cw = opts.classWeight === 'balanced' ? total / (C * Math.max(1e-9, counts[e.y]!)) : 1;
    sw[r] = cw * (e.weight ?? 1);
    swSum += sw[r]!;
  });
  const y = Int32Array.from(examples, (e) => e.y);
  const D = F * C + C; // weights then biases
  const scores = new Float64Array(C);

  const lossGrad = (w: Float64Array, g: Float64Array): number => {
    g.fill(0);
    let loss = 0;
    for (let r = 0; r < N; r++) {
      for (let c = 0; c < C; c++) scores[c] = w[F * C + c]!;
      for (let k = rowPtr[r]!; k < rowPtr[r + 1]!; k++) {
        const base = col[k]! * C;
        const v = val[k]!;
        for (let c = 0; c < C; c++) scores[c]! += v * w[base + c]!;
      }
      let max = -Infinity;
      for (let c = 0; c < C; c++) if (scores[c]! > max) max = scores[c]!;
      let z = 0;
      for (let c = 0; c < C; c++) {
        scores[c] = Math.exp(scores[c]! - max);
        z += scores[c]!;
      }
      const s = sw[r]! / swSum;
      loss -= s * Math.log(Math.max(1e-300, scores[y[r]!]! / z));
      for (let c = 0; c < C; c++) scores[c] = (s * scores[c]!) / z - (c === y[r] ? s : 0);
      for (let c = 0; c < C; c++) g[F * C + c]! += scores[c]!;
      for (let k = rowPtr[r]!; k < rowPtr[r + 1]!; k++) {
        const base = col[k]! * C;
        const v = val[k]!;
        for (let c = 0; c < C; c++) g[base + c]! += v * scores[c]!;
      }
    }
    let reg = 0;
    for (let j = 0; j < F * C; j++) {
      reg += w[j]! * w[j]!;
      g[j]! += opts.l2 * w[j]!;
    }
    return loss + 0.5 * opts.l2 * reg;
  };

  const w = lbfgs(lossGrad, new Float64Array(D), opts.maxIter, opts.tolerance);

  const order = bucketList.map((b, j) => [b, j] as const).sort((a, b) => a[0] - b[0]);
  const buckets = Int32Array.from(order, (o) => o[0]);
  const weights = new Float32Array(F * C);
  order.forEach(([, j], k) => {
    for (let c = 0; c < C; c++) weights[k * C + c] = w[j * C + c]!;
  });
  return { classes, bits, buckets, weights, bias: Float32Array.from(w.subarray(F * C)) };
}

type Objective = (w: Float64Array<ArrayBuffer>, g: Float64Array<ArrayBuffer>) => number;

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Plain L-BFGS with an Armijo backtracking line search; history kept in preallocated ring buffers. */
export function lbfgs(
  f: Objective,
  x0: Float64Array<ArrayBuffer>,
  maxIter: number,
  tol: number,
  m = 8,
): Float64Array {
  const D = x0.length;
  let x = x0;
  let g = new Float64Array(D);
  let fx = f(x, g);
  const S = Array.from({ length: m }, () => new Float64Array(D));
  const Y = Array.from({ length: m }, () => new Float64Array(D));
  const rho = new Float64Array(m);
  const alpha = new Float64Array(m);
  let count = 0;
  let head = 0; // next slot to write
  const dir = new Float64Array(D);
  let xn = new Float64Array(D);
  let gn = new Float64Array(D);
  for (let iter = 0; iter < maxIter; iter++) {
    for (let i = 0; i < D; i++) dir[i] = -g[i]!;
    for (let j = 0; j < count; j++) {
      const k = (head - 1 - j + m) % m;
      const sk = S[k]!;
      const yk = Y[k]!;
      const a = rho[k]! * dot(sk, dir);
      alpha[k] = a;
      for (let i = 0; i < D; i++) dir[i]! -= a * yk[i]!;
    }
    if (count > 0) {
      const last = (head - 1 + m) % m;
      const gamma = dot(S[last]!, Y[last]!) / dot(Y[last]!, Y[last]!);
      for (let i = 0; i < D; i++) dir[i]! *= gamma;
    } else {
      const gnorm = Math.sqrt(dot(g, g));
      if (gnorm > 0) for (let i = 0; i < D; i++) dir[i]! /= gnorm;
    }
    for (let j = count - 1; j >= 0; j--) {
      const k = (head - 1 - j + m) % m;
      const sk = S[k]!;
      const b = alpha[k]! - rho[k]! * dot(Y[k]!, dir);
      for (let i = 0; i < D; i++) dir[i]! += b * sk[i]!;
    }
    let dg = dot(dir, g);
    if (dg >= 0) {
      for (let i = 0; i < D; i++) dir[i] = -g[i]!;
      dg = dot(dir, g);
    }
    let step = 1;
    let fn = 0;
    for (let ls = 0; ls < 30; ls++) {
      for (let i = 0; i < D; i++) xn[i] = x[i]! + step * dir[i]!;
      fn = f(xn, gn);
      if (fn <= fx + 1e-4 * step * dg) break;
      step *= 0.5;
    }
    const s = S[head]!;
    const yv = Y[head]!;
    let sy = 0;
    for (let i = 0; i < D; i++) {
      const si = xn[i]! - x[i]!;
      const yi = gn[i]! - g[i]!;
      s[i] = si;
      yv[i] = yi;
      sy += si * yi;
    }
    const prev = fx;
    [x, xn] = [xn, x];
    [g, gn] = [gn, g];
    fx = fn;
    if (sy > 1e-12) {
      rho[head] = 1 / sy;
      head = (head + 1) % m;
      count = Math.min(m, count + 1);
    }
    if (Math.abs(prev - fn) <= tol * Math.max(1, Math.abs(prev))) break;
  }
  return x;
}

/** Scores for one vector given a dense weight table (bucket * C + c). */
export function scoreDense(
  x: SparseVector,
  dense: Float32Array,
  bias: Float32Array,
  out: Float64Array,
): Float64Array {
  const C = bias.length;
  for (let c = 0; c < C; c++) out[c] = bias[c]!;
  for (let k = 0; k < x.idx.length; k++) {
    const base = x.idx[k]! * C;
    const v = x.val[k]!;
    for (let c = 0; c < C; c++) out[c]! += v * dense[base + c]!;
  }
  return out;
}

export function softmaxInPlace(s: Float64Array): Float64Array {
  let max = -Infinity;
  for (const v of s) if (v > max) max = v;
  let z = 0;
  for (let c = 0; c < s.length; c++) {
    s[c] = Math.exp(s[c]! - max);
    z += s[c]!;
  }
  for (let c = 0; c < s.length; c++) s[c]! /= z;
  return s;
}

/** Scatter a model's sparse weights into a dense hashed table for fast scoring. */
export function densify(m: LinearModel): Float32Array {
  const C = m.classes.length;
  const dense = new Float32Array((1 << m.bits) * C);
  for (let k = 0; k < m.buckets.length; k++) {
    const base = m.buckets[k]! * C;
    for (let c = 0; c < C; c++) dense[base + c] = m.weights[k * C + c]!;
  }
  return dense;
}
