/** Browser side of the composer: JSON calls with the CSRF token, and the local draft copy. */

export interface ApiError {
  status: number;
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: ApiError };

export async function api<T>(
  csrf: string,
  method: string,
  url: string,
  body?: unknown,
): Promise<ApiResult<T>> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        'x-csrf-token': csrf,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    return {
      ok: false,
      error: { status: 0, code: 'network', message: 'No connection. Your draft is kept.' },
    };
  }
  const json = (await res.json().catch(() => ({}))) as { error?: Omit<ApiError, 'status'> } & T;
  if (!res.ok) {
    const e = json.error ?? { code: 'http_error', message: `HTTP ${res.status}` };
    return { ok: false, error: { status: res.status, ...e } };
  }
  return { ok: true, data: json };
}

const key = (conversationId: string) => `earshot:draft:${conversationId}`;

export function loadLocalDraft(conversationId: string): string | null {
  try {
    return localStorage.getItem(key(conversationId));
  } catch {
    return null;
  }
}

export function saveLocalDraft(conversationId: string, text: string): void {
  try {
    if (text) localStorage.setItem(key(conversationId), text);
    else localStorage.removeItem(key(conversationId));
  } catch {
    // Private mode or full storage: the server draft still has it.
  }
}

export function newKey(): string {
  const c = globalThis.crypto;
  if (c && 'randomUUID' in c) return c.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

export function debounce<A extends unknown[]>(fn: (...a: A) => void, ms: number): (...a: A) => void {
  let t: ReturnType<typeof setTimeout> | undefined;
  return (...a: A) => {
    if (t) clearTimeout(t);
    t = setTimeout(() => fn(...a), ms);
  };
}
