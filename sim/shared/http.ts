/**
 * Tiny HTTP(S) helpers shared by the platform simulators: a router with `:param` path templates,
 * JSON/body helpers with a size limit, and an optional log of every response (for contract tests
 * that validate what a simulator actually served against the platform's OpenAPI description).
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface SimRequest {
  method: string;
  url: URL;
  path: string;
  params: Record<string, string>;
  headers: IncomingMessage['headers'];
  body: Buffer;
  raw: IncomingMessage;
}

export interface SimReply {
  status: number;
  headers?: Record<string, string>;
  /** JSON-serialised unless a string/Buffer (then sent as is). */
  body?: unknown;
  contentType?: string;
}

/** Handlers return a reply, or take over the raw response themselves (streams) and return undefined. */
export type SimHandler = (
  req: SimRequest,
  res: ServerResponse,
) => SimReply | undefined | Promise<SimReply | undefined>;

export interface ServedResponse {
  method: string;
  /** Path template as registered, e.g. `/2/users/:id/mentions`. */
  template: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  keys: string[];
  handler: SimHandler;
}

export class Router {
  private readonly routes: Route[] = [];
  /** JSON responses served, in order (the latest `maxRecorded`; tests clear it as they like). */
  readonly served: ServedResponse[] = [];
  recordResponses = true;
  maxRecorded = 2000;

  on(method: string, template: string, handler: SimHandler): this {
    const keys: string[] = [];
    const source = template
      .split('/')
      .map((part) => {
        if (part.startsWith(':')) {
          keys.push(part.slice(1));
          return '([^/]+)';
        }
        return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    this.routes.push({
      method: method.toUpperCase(),
      template,
      pattern: new RegExp(`^${source}$`),
      keys,
      handler,
    });
    return this;
  }

  match(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const m = route.pattern.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      route.keys.forEach((k, i) => {
        params[k] = decodeURIComponent(m[i + 1] ?? '');
      });
      return { route, params };
    }
    return undefined;
  }
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body over ${limit} bytes`);
  }
}

export function readBody(req: IncomingMessage, limit = DEFAULT_BODY_LIMIT): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLargeError(limit));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function jsonBody(req: SimRequest): unknown {
  if (req.body.length === 0) return undefined;
  const type = String(req.headers['content-type'] ?? '');
  const text = req.body.toString('utf8');
  if (type.includes('application/x-www-form-urlencoded'))
    return Object.fromEntries(new URLSearchParams(text));
  return JSON.parse(text);
}

function send(res: ServerResponse, reply: SimReply): { body: unknown; headers: Record<string, string> } {
  const headers: Record<string, string> = { ...(reply.headers ?? {}) };
  let payload: string | Buffer | undefined;
  let logged: unknown;
  if (reply.body === undefined) payload = undefined;
  else if (typeof reply.body === 'string' || Buffer.isBuffer(reply.body)) {
    payload = reply.body;
    headers['content-type'] = reply.contentType ?? 'text/plain; charset=utf-8';
  } else {
    payload = JSON.stringify(reply.body);
    logged = reply.body;
    headers['content-type'] = reply.contentType ?? 'application/json; charset=utf-8';
  }
  if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
  res.writeHead(reply.status, headers);
  res.end(payload);
  return { body: logged, headers };
}

export interface StartOptions {
  router: Router;
  tls?: { key: string; cert: string };
  bodyLimit?: number;
  /** Called for unmatched routes; default is a JSON 404. */
  notFound?: (req: SimRequest) => SimReply;
}

export interface StartedServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startServer(opts: StartOptions): Promise<StartedServer> {
  const { router } = opts;
  const limit = opts.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const listener = async (req: IncomingMessage, res: ServerResponse) => {
    try {
      const url = new URL(req.url ?? '/', 'http://sim.local');
      const method = (req.method ?? 'GET').toUpperCase();
      let body: Buffer;
      try {
        body = await readBody(req, limit);
      } catch (err) {
        if (err instanceof BodyTooLargeError) {
          send(res, { status: 413, body: { error: err.message } });
          return;
        }
        throw err;
      }
      const found = router.match(method, url.pathname);
      const simReq: SimRequest = {
        method,
        url,
        path: url.pathname,
        params: found?.params ?? {},
        headers: req.headers,
        body,
        raw: req,
      };
      if (!found) {
        send(
          res,
          opts.notFound?.(simReq) ?? { status: 404, body: { error: `no route ${method} ${url.pathname}` } },
        );
        return;
      }
      const reply = await found.route.handler(simReq, res);
      if (!reply) return;
      const sent = send(res, reply);
      if (router.recordResponses) {
        router.served.push({ method, template: found.route.template, status: reply.status, ...sent });
        if (router.served.length > router.maxRecorded)
          router.served.splice(0, router.served.length - router.maxRecorded);
      }
    } catch (err) {
      if (!res.headersSent) send(res, { status: 500, body: { error: (err as Error).message } });
      else res.destroy();
    }
  };
  const server = opts.tls
    ? createHttpsServer({ key: opts.tls.key, cert: opts.tls.cert }, listener)
    : createHttpServer(listener);
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Bearer token check; returns the reply to send when it fails. */
export function checkBearer(req: SimRequest, token: string, onFail: () => SimReply): SimReply | undefined {
  const auth = String(req.headers.authorization ?? '');
  return auth === `Bearer ${token}` ? undefined : onFail();
}

/** Monotonic snowflake-like ids (numeric strings, growing with time) so since_id/max_id compare. */
export function idGenerator(start = BigInt(Date.now()) * 4_194_304n): () => string {
  let next = start;
  return () => {
    next += 1n;
    return next.toString();
  };
}

export function compareIds(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
