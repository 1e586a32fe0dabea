/** Filtered stream: one connection per app, newline-delimited JSON, `\r\n` keep-alives. */
import type { ServerResponse } from 'node:http';
import type { SimRequest } from '../shared/http.ts';
import type { XState, XTweet } from './state.ts';
import { rateHeaders, renderTweets } from './views.ts';

interface Connection {
  res: ServerResponse;
  query: URLSearchParams;
  heartbeat: NodeJS.Timeout;
}

export class StreamHub {
  private readonly connections = new Set<Connection>();
  /** HTTP statuses the next connection attempts get instead of a stream (for back-off tests). */
  readonly failNext: number[] = [];
  connectAttempts = 0;

  constructor(
    private readonly state: XState,
    private readonly heartbeatMs: number,
  ) {}

  get size(): number {
    return this.connections.size;
  }

  /** Returns a status to refuse with, or undefined once the stream is open. */
  open(req: SimRequest, res: ServerResponse, bucketHeaders: Record<string, string>): number | undefined {
    this.connectAttempts += 1;
    const forced = this.failNext.shift();
    if (forced) return forced;
    if (this.connections.size >= 1) return 429;
    res.writeHead(200, {
      'content-type': 'application/json',
      'transfer-encoding': 'chunked',
      ...bucketHeaders,
    });
    res.write('\r\n');
    const conn: Connection = {
      res,
      query: req.url.searchParams,
      heartbeat: setInterval(() => res.write('\r\n'), this.heartbeatMs),
    };
    this.connections.add(conn);
    const done = () => {
      clearInterval(conn.heartbeat);
      this.connections.delete(conn);
    };
    res.on('close', done);
    req.raw.on('close', done);
    return undefined;
  }

  publish(tweet: XTweet): void {
    if (this.connections.size === 0 || this.state.rules.length === 0) return;
    const matching = this.state.rules.filter((r) => {
      try {
        return this.state.search(r.value)(tweet);
      } catch {
        return false;
      }
    });
    if (matching.length === 0) return;
    for (const c of this.connections) {
      const { data, includes } = renderTweets(this.state, [tweet], c.query);
      const line = {
        data: data[0],
        ...(Object.keys(includes).length ? { includes } : {}),
        matching_rules: matching.map((r) => ({ id: r.id, ...(r.tag ? { tag: r.tag } : {}) })),
      };
      c.res.write(`${JSON.stringify(line)}\r\n`);
    }
  }

  /** Cut every open stream mid-flight (the client sees a dropped connection). */
  drop(): void {
    for (const c of this.connections) {
      clearInterval(c.heartbeat);
      c.res.socket?.destroy();
    }
    this.connections.clear();
  }

  closeAll(): void {
    for (const c of this.connections) {
      clearInterval(c.heartbeat);
      c.res.end();
    }
    this.connections.clear();
  }
}

export { rateHeaders };
