/**
 * An email test environment over a fresh test database: the email channel configured (support
 * address, SMTP sink as the relay, optionally a Dovecot IMAP URL), and a pipeline drain.
 */
import { eq } from 'drizzle-orm';
import { loadConfig } from '../../src/config/index.ts';
import { channels } from '../../src/db/schema/index.ts';
import { encryptJson } from '../../src/lib/crypto.ts';
import { shippedClassifier } from '../../src/pipeline/classifier.ts';
import { pipelineConfigCache } from '../../src/pipeline/config.ts';
import { drainAll } from '../../src/pipeline/drain.ts';
import {
  type EmailCredentials,
  forgetEmailSettings,
  loadEmailSettings,
} from '../../src/services/email-settings.ts';
import { createTestDatabase } from '../helpers/db.ts';

export const SUPPORT = 'support@earshot.test';

export function testConfig(env: Record<string, string> = {}) {
  return loadConfig({
    EARSHOT_SESSION_SECRET: 'test-secret-test-secret-test-secret-0123',
    EARSHOT_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    EARSHOT_DATA_DIR: '/tmp/earshot-test-unused',
    LOG_LEVEL: 'silent',
    MAIL_FROM: `Earshot Support <${SUPPORT}>`,
    ...env,
  });
}

export async function emailTestEnv(credentials: EmailCredentials = {}) {
  const database = await createTestDatabase();
  const config = testConfig();
  const { db, pool } = database;
  const classifier = shippedClassifier();
  const pipeline = { pool, classifier, config: pipelineConfigCache(db) };
  const configure = async (creds: EmailCredentials) => {
    const s = await loadEmailSettings(db, config, {});
    await db
      .update(channels)
      .set({ credentialsEnc: encryptJson(config.encryptionKey, creds) })
      .where(eq(channels.id, s.channelId));
    forgetEmailSettings(db);
    pipeline.config.invalidate();
    return loadEmailSettings(db, config, {});
  };
  let settings = await configure(credentials);
  return {
    database,
    db,
    pool,
    config,
    get settings() {
      return settings;
    },
    async reconfigure(creds: EmailCredentials) {
      settings = await configure(creds);
      return settings;
    },
    /** Run the triage pipeline over everything queued. */
    drain: () => drainAll(pipeline),
    async query<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
      return (await pool.query(text, params)).rows as T[];
    },
    close: () => database.drop(),
  };
}
