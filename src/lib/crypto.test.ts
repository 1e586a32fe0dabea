import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { decryptJson, decryptSecret, encryptJson, encryptSecret } from './crypto.ts';

const key = randomBytes(32);

it('round-trips credentials and never stores them in clear', () => {
  const sealed = encryptJson(key, { bearerToken: 'AAAA-secret-token' });
  expect(sealed).not.toContain('secret');
  expect(decryptJson(key, sealed)).toEqual({ bearerToken: 'AAAA-secret-token' });
  expect(encryptSecret(key, 'x')).not.toBe(encryptSecret(key, 'x'));
});

it('rejects a tampered value or the wrong key', () => {
  const sealed = encryptSecret(key, 'hello');
  const parts = sealed.split('.');
  parts[3] = Buffer.from('jello').toString('base64url');
  expect(() => decryptSecret(key, parts.join('.'))).toThrow();
  expect(() => decryptSecret(randomBytes(32), sealed)).toThrow();
  expect(() => decryptSecret(key, 'garbage')).toThrow(/unrecognised/);
});
