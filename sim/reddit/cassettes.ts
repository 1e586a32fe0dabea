/**
 * Reading the recorded praw cassettes in ../shared/specs/reddit (vcr/betamax JSON: interactions
 * with request and response, body as a string), and comparing the structure of two JSON values
 * (for "the simulator answers like Reddit did" contract tests).
 */
import { readFileSync } from 'node:fs';
import { specFile } from '../shared/spec-validator.ts';

export interface RecordedInteraction {
  method: string;
  uri: string;
  requestBody: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
  rawBody: string;
}

export function readCassette(name: string): RecordedInteraction[] {
  const doc = JSON.parse(readFileSync(specFile(`reddit/${name}.json`), 'utf8')) as {
    interactions: {
      request: { method: string; uri: string; body?: unknown };
      response: { status: { code: number }; headers: Record<string, string[]>; body: { string: string } };
    }[];
  };
  return doc.interactions.map((i) => {
    const raw = i.response.body.string;
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      body = raw;
    }
    const reqBody = i.request.body;
    return {
      method: i.request.method,
      uri: i.request.uri,
      requestBody:
        typeof reqBody === 'string' ? reqBody : ((reqBody as { string?: string } | null)?.string ?? ''),
      status: i.response.status.code,
      headers: Object.fromEntries(
        Object.entries(i.response.headers).map(([k, v]) => [k.toLowerCase(), v[0] ?? '']),
      ),
      body,
      rawBody: raw,
    };
  });
}

const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/**
 * Differences where `actual` lacks a key `recorded` has, or holds another JSON type. A recorded
 * null (or `""` for Reddit's empty `replies`) accepts anything; arrays compare their first items.
 */
export function structureDiff(recorded: unknown, actual: unknown, path = ''): string[] {
  const rt = typeOf(recorded);
  const at = typeOf(actual);
  if (rt === 'null' || at === 'null') return [];
  if (rt !== at) {
    // Reddit types some fields loosely: `edited` is false or a timestamp, `replies` "" or a Listing.
    if ((rt === 'boolean' && at === 'number') || (rt === 'number' && at === 'boolean')) return [];
    if ((rt === 'string' && at === 'object') || (rt === 'object' && at === 'string')) return [];
    return [`${path || '/'}: recorded ${rt}, got ${at}`];
  }
  if (rt === 'array') {
    const [r] = recorded as unknown[];
    const [a] = actual as unknown[];
    return r === undefined || a === undefined ? [] : structureDiff(r, a, `${path}/0`);
  }
  if (rt === 'object') {
    const out: string[] = [];
    const r = recorded as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    for (const key of Object.keys(r)) {
      if (!(key in a)) out.push(`${path}/${key}: missing`);
      else out.push(...structureDiff(r[key], a[key], `${path}/${key}`));
    }
    return out;
  }
  return [];
}
