/**
 * Reddit's token endpoint (POST /api/v1/access_token, HTTP Basic client auth): password grant
 * for script apps, refresh_token grant, client_credentials (application-only). Failures look like
 * Reddit's: bad client → 401 {message, error}; bad grant → 200 {error: 'invalid_grant'}.
 */
import { randomBytes } from 'node:crypto';
import type { SimReply, SimRequest } from '../shared/http.ts';

export interface TokenInfo {
  username: string | null;
  expiresAt: number;
}

export class RedditOAuth {
  private readonly tokens = new Map<string, TokenInfo>();
  private readonly refreshTokens = new Map<string, string>();

  constructor(
    private readonly options: {
      clientId: string;
      clientSecret: string;
      username: string;
      password: string;
      tokenTtlSeconds: number;
    },
  ) {}

  /** The user behind a bearer token, or undefined when unknown or expired. */
  lookup(authorization: string | undefined): TokenInfo | undefined {
    const token = /^bearer\s+(.+)$/i.exec(authorization ?? '')?.[1];
    const info = token ? this.tokens.get(token) : undefined;
    return info && info.expiresAt >= Date.now() ? info : undefined;
  }

  /** A refresh token as an installed/web app would get from the code flow. */
  issueRefreshToken(username = this.options.username): string {
    const refresh = randomBytes(16).toString('hex');
    this.refreshTokens.set(refresh, username);
    return refresh;
  }

  expireAll(): void {
    this.tokens.clear();
  }

  private issue(username: string | null): SimReply {
    const token = randomBytes(16).toString('hex');
    this.tokens.set(token, { username, expiresAt: Date.now() + this.options.tokenTtlSeconds * 1000 });
    return {
      status: 200,
      body: {
        access_token: token,
        token_type: 'bearer',
        expires_in: this.options.tokenTtlSeconds,
        scope: '*',
      },
    };
  }

  handle(req: SimRequest, form: Record<string, string>): SimReply {
    const basic = /^basic\s+(.+)$/i.exec(String(req.headers.authorization ?? ''));
    const [id, secret] = Buffer.from(basic?.[1] ?? '', 'base64')
      .toString('utf8')
      .split(':');
    if (id !== this.options.clientId || secret !== this.options.clientSecret) {
      return { status: 401, body: { message: 'Unauthorized', error: 401 } };
    }
    const invalid: SimReply = { status: 200, body: { error: 'invalid_grant' } };
    switch (form.grant_type) {
      case 'password':
        return form.username === this.options.username && form.password === this.options.password
          ? this.issue(this.options.username)
          : invalid;
      case 'refresh_token': {
        const username = this.refreshTokens.get(form.refresh_token ?? '');
        return username ? this.issue(username) : invalid;
      }
      case 'client_credentials':
        return this.issue(null);
      default:
        return { status: 200, body: { error: 'unsupported_grant_type' } };
    }
  }
}
