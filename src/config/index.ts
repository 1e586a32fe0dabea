/**
 * Configuration, read once from the environment at start-up and validated into a typed object.
 * A missing or malformed value stops start-up with a message naming the variable.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface Config {
  port: number;
  host: string;
  baseUrl: string;
  /** External PostgreSQL; undefined → embedded server under dataDir. */
  databaseUrl?: string;
  dataDir: string;
  embeddedPgPort: number;
  /** Secret used to sign session and CSRF tokens. */
  sessionSecret: string;
  /** 32-byte key encrypting channel credentials at rest. */
  encryptionKey: Buffer;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Seconds a public send waits in the outbox before it goes out (undo window). */
  undoWindowSeconds: number;
  sessionTtlHours: number;
  /** Max login attempts per IP and account per 15 minutes. */
  loginRateLimit: number;
  smtpUrl?: string;
  mailFrom: string;
  /** Bearer token Prometheus sends to scrape /metrics; undefined → /metrics is off. */
  metricsToken?: string;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Configuration error: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

function url(env: Env, name: string, fallback: string | undefined, protocols: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, 'is not a valid URL');
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must use ${protocols.join(' or ')}, got ${parsed.protocol}`);
  }
  return raw.replace(/\/$/, '');
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Secrets not given in the environment are generated once and kept in <dataDir>/secrets.json
 * (mode 0600), so a newcomer needs no configuration and restarts keep sessions and credentials.
 */
function loadOrCreateSecrets(dataDir: string): { sessionSecret: string; encryptionKey: string } {
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as {
      sessionSecret?: string;
      encryptionKey?: string;
    };
    if (parsed.sessionSecret && parsed.encryptionKey) {
      return { sessionSecret: parsed.sessionSecret, encryptionKey: parsed.encryptionKey };
    }
  }
  mkdirSync(dataDir, { recursive: true });
  const secrets = {
    sessionSecret: randomBytes(32).toString('base64url'),
    encryptionKey: randomBytes(32).toString('base64'),
  };
  writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}

function decodeKey(raw: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (key.length !== 32) {
    throw new ConfigError('EARSHOT_ENCRYPTION_KEY', 'must be 32 bytes, as 64 hex characters or base64');
  }
  return key;
}

function metricsToken(env: Env): string | undefined {
  const raw = env.EARSHOT_METRICS_TOKEN;
  if (raw === undefined || raw === '') return undefined;
  if (raw.length < 24 || /\s/.test(raw))
    throw new ConfigError('EARSHOT_METRICS_TOKEN', 'must be at least 24 characters, with no spaces');
  return raw;
}

export function loadConfig(env: Env = process.env): Config {
  const port = int(env, 'PORT', 3000, 0, 65535);
  const host = env.HOST || '0.0.0.0';
  const dataDir = resolve(env.EARSHOT_DATA_DIR || 'data');
  const baseUrl = url(env, 'BASE_URL', `http://localhost:${port}`, ['http:', 'https:']) as string;
  const databaseUrl = url(env, 'DATABASE_URL', undefined, ['postgres:', 'postgresql:']);
  const logLevel = (env.LOG_LEVEL || 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel))
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);

  let sessionSecret = env.EARSHOT_SESSION_SECRET;
  let encryptionKeyRaw = env.EARSHOT_ENCRYPTION_KEY;
  if (sessionSecret !== undefined && sessionSecret.length < 32) {
    throw new ConfigError('EARSHOT_SESSION_SECRET', 'must be at least 32 characters');
  }
  if (!sessionSecret || !encryptionKeyRaw) {
    if (databaseUrl && env.NODE_ENV === 'production') {
      throw new ConfigError(
        sessionSecret ? 'EARSHOT_ENCRYPTION_KEY' : 'EARSHOT_SESSION_SECRET',
        'is required in production with an external DATABASE_URL (several processes must share it)',
      );
    }
    const generated = loadOrCreateSecrets(dataDir);
    sessionSecret ||= generated.sessionSecret;
    encryptionKeyRaw ||= generated.encryptionKey;
  }

  return {
    port,
    host,
    baseUrl,
    databaseUrl,
    dataDir,
    embeddedPgPort: int(env, 'EARSHOT_PG_PORT', 54329, 1024, 65535),
    sessionSecret,
    encryptionKey: decodeKey(encryptionKeyRaw),
    logLevel,
    undoWindowSeconds: int(env, 'EARSHOT_UNDO_WINDOW_SECONDS', 10, 0, 600),
    sessionTtlHours: int(env, 'EARSHOT_SESSION_TTL_HOURS', 24 * 14, 1, 24 * 365),
    loginRateLimit: int(env, 'EARSHOT_LOGIN_RATE_LIMIT', 10, 1, 10_000),
    smtpUrl: url(env, 'SMTP_URL', undefined, ['smtp:', 'smtps:']),
    mailFrom: env.MAIL_FROM || 'Earshot <support@localhost>',
    metricsToken: metricsToken(env),
  };
}
