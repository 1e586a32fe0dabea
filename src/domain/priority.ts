/**
 * Priority score (0–100) and level from urgency words, reach (log-scaled followers),
 * public vs private, customer history (previous complaints, VIP), negative sentiment and
 * complaint score. Every factor's contribution is returned so the UI can explain it.
 */
import type { PriorityLevel, Sentiment } from './types.ts';

export interface PriorityInput {
  text: string;
  followers?: number | null;
  isPrivate: boolean;
  sentiment?: Sentiment | null;
  /** Probability of negative sentiment, 0..1 (used over `sentiment` when given). */
  negativeScore?: number | null;
  /** Complaint classifier probability, 0..1. */
  complaintScore?: number | null;
  history?: { previousComplaints: number; vip: boolean } | null;
}

export interface PriorityFactor {
  factor: 'urgency' | 'reach' | 'public' | 'history' | 'vip' | 'sentiment' | 'complaint';
  points: number;
  detail?: string;
}

export interface PriorityResult {
  score: number;
  level: PriorityLevel;
  factors: PriorityFactor[];
}

/** Urgency phrases and their weight (matched case-insensitively as whole words). */
export const URGENCY_TERMS: Readonly<Record<string, number>> = {
  urgent: 12,
  urgently: 12,
  emergency: 14,
  asap: 10,
  immediately: 10,
  'right now': 8,
  today: 4,
  stranded: 14,
  stuck: 8,
  fraud: 14,
  scam: 10,
  hacked: 14,
  stolen: 12,
  unauthorized: 12,
  unauthorised: 12,
  dangerous: 14,
  unsafe: 14,
  injured: 16,
  lawyer: 12,
  lawsuit: 12,
  sue: 10,
  'legal action': 12,
  'still waiting': 8,
  'no response': 8,
  'never again': 8,
  cancelled: 6,
  canceled: 6,
  refund: 5,
  charged: 6,
  'double charged': 10,
  outage: 10,
  down: 4,
  broken: 5,
  missing: 5,
  'not working': 6,
  help: 3,
};

const PATTERNS = Object.entries(URGENCY_TERMS).map(([term, weight]) => ({
  term,
  weight,
  re: new RegExp(`(?<![\\p{L}\\p{N}])${term.replace(/ /g, '\\s+')}(?![\\p{L}\\p{N}])`, 'iu'),
}));

/** One factor as people read it: "urgency +12 (refund, still waiting)". */
export const priorityFactorText = (f: { factor: string; points: number; detail?: string | null }): string =>
  `${f.factor.replace(/_/g, ' ')} +${f.points}${f.detail ? ` (${f.detail})` : ''}`;

export const PRIORITY_THRESHOLDS = { urgent: 65, high: 45, normal: 20 } as const;

export function levelForScore(score: number): PriorityLevel {
  if (score >= PRIORITY_THRESHOLDS.urgent) return 'urgent';
  if (score >= PRIORITY_THRESHOLDS.high) return 'high';
  if (score >= PRIORITY_THRESHOLDS.normal) return 'normal';
  return 'low';
}

const clamp01 = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);
const round1 = (x: number) => Math.round(x * 10) / 10;

export function computePriority(input: PriorityInput): PriorityResult {
  const factors: PriorityFactor[] = [];
  const add = (factor: PriorityFactor['factor'], points: number, detail?: string) => {
    if (points > 0) factors.push({ factor, points: round1(points), ...(detail ? { detail } : {}) });
  };

  // Urgency: strongest term counts fully, others add a little; exclamation marks and caps nudge.
  const hits = PATTERNS.filter((p) => p.re.test(input.text)).sort((a, b) => b.weight - a.weight);
  if (hits.length > 0) {
    const top = hits[0]!.weight;
    const rest = hits.slice(1).reduce((s, h) => s + h.weight * 0.3, 0);
    const bangs = Math.min(3, (input.text.match(/!/g) ?? []).length);
    add('urgency', Math.min(25, top + rest + bangs), hits.map((h) => h.term).join(', '));
  }

  // Reach: log10 of followers; 1M followers (6) gives the full 20 points.
  const followers = Math.max(0, input.followers ?? 0);
  if (followers > 0)
    add('reach', (20 * Math.min(6, Math.log10(followers + 1))) / 6, `${followers} followers`);

  // Public posts are seen by everyone: they weigh more.
  if (!input.isPrivate) add('public', 10);

  const history = input.history;
  if (history) {
    if (history.previousComplaints > 0) {
      add(
        'history',
        Math.min(10, 4 * Math.log2(history.previousComplaints + 1)),
        `${history.previousComplaints} previous complaints`,
      );
    }
    if (history.vip) add('vip', 15);
  }

  const negative =
    input.negativeScore !== undefined && input.negativeScore !== null
      ? clamp01(input.negativeScore)
      : input.sentiment === 'negative'
        ? 1
        : 0;
  add('sentiment', 10 * negative);
  add('complaint', 15 * clamp01(input.complaintScore ?? 0));

  const score = Math.min(100, round1(factors.reduce((s, f) => s + f.points, 0)));
  return { score, level: levelForScore(score), factors };
}
