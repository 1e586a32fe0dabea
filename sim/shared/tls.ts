/**
 * Self-signed certificate for HTTPS simulators (X requires HTTPS). Generated once with the
 * machine's `openssl` and cached under <repo>/.tmp/sim-tls; the certificate is its own CA,
 * so clients trust it by passing `cert` as `ca`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface SimTls {
  key: string;
  cert: string;
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
let cached: SimTls | undefined;

export function simTls(dir = join(repoRoot, '.tmp', 'sim-tls')): SimTls {
  if (cached) return cached;
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  if (!existsSync(certFile) || !existsSync(keyFile)) {
    mkdirSync(dirname(dir), { recursive: true });
    // Generate into a private temp dir, then rename into place: concurrent test workers race safely.
    const work = mkdtempSync(`${dir}-`);
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(work, 'key.pem'),
        '-out',
        join(work, 'cert.pem'),
        '-days',
        '3650',
        '-subj',
        '/CN=earshot-sim',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ],
      { stdio: 'pipe' },
    );
    try {
      renameSync(work, dir);
    } catch {
      rmSync(work, { recursive: true, force: true });
    }
  }
  cached = { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8') };
  return cached;
}
