import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.ts';

const dataDir = () => mkdtempSync(join(tmpdir(), 'earshot-cfg-'));

describe('loadConfig', () => {
  it('gives working defaults and generates secrets once, kept in the data directory', () => {
    const dir = dataDir();
    const a = loadConfig({ EARSHOT_DATA_DIR: dir });
    expect(a.port).toBe(3000);
    expect(a.baseUrl).toBe('http://localhost:3000');
    expect(a.databaseUrl).toBeUndefined();
    expect(a.encryptionKey).toHaveLength(32);
    const b = loadConfig({ EARSHOT_DATA_DIR: dir });
    expect(b.sessionSecret).toBe(a.sessionSecret);
    expect(b.encryptionKey.equals(a.encryptionKey)).toBe(true);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ BASE_URL: 'ftp://example.com' }, 'BASE_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ EARSHOT_ENCRYPTION_KEY: 'c2hvcnQ=' }, 'EARSHOT_ENCRYPTION_KEY'],
    [{ EARSHOT_SESSION_SECRET: 'short' }, 'EARSHOT_SESSION_SECRET'],
    [{ DATABASE_URL: 'postgres://h/db', NODE_ENV: 'production' }, 'EARSHOT_SESSION_SECRET'],
    [{ EARSHOT_METRICS_TOKEN: 'too-short' }, 'EARSHOT_METRICS_TOKEN'],
    [{ EARSHOT_METRICS_TOKEN: 'has a space in a long enough token' }, 'EARSHOT_METRICS_TOKEN'],
  ])('rejects %j naming %s', (env, variable) => {
    let error: unknown;
    try {
      loadConfig({ EARSHOT_DATA_DIR: dataDir(), ...env });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as ConfigError).message).toContain(variable);
  });

  it('accepts an external database and explicit secrets', () => {
    const cfg = loadConfig({
      DATABASE_URL: 'postgresql://u:p@db.internal:5432/earshot',
      EARSHOT_SESSION_SECRET: 'x'.repeat(40),
      EARSHOT_ENCRYPTION_KEY: 'ab'.repeat(32),
      PORT: '8080',
      NODE_ENV: 'production',
    });
    expect(cfg.databaseUrl).toBe('postgresql://u:p@db.internal:5432/earshot');
    expect(cfg.port).toBe(8080);
    expect(cfg.encryptionKey.toString('hex')).toBe('ab'.repeat(32));
    expect(cfg.metricsToken).toBeUndefined();
    expect(
      loadConfig({ EARSHOT_DATA_DIR: dataDir(), EARSHOT_METRICS_TOKEN: 'm'.repeat(24) }).metricsToken,
    ).toBe('m'.repeat(24));
  });
});
