/**
 * A private Dovecot IMAP server for tests and benchmarks: its own config, maildir, passwd file,
 * base_dir and log in a temp directory, listening on 127.0.0.1 on a free port, no TLS.
 * Debian package: `apt-get install -y dovecot-imapd` (CI installs it in .ci/run).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CANDIDATES = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'];

/** Path of the dovecot binary, or undefined when it is not installed. */
export function dovecotBinary(): string | undefined {
  return CANDIDATES.find((p) => existsSync(p));
}

export const DOVECOT_MISSING =
  'dovecot is not installed: `apt-get install -y dovecot-imapd` to run the IMAP tests (skipped)';

export interface Dovecot {
  host: string;
  port: number;
  user: string;
  password: string;
  dir: string;
  logFile: string;
  log(): string;
  stop(): Promise<void>;
}

function systemUser(name: string): { uid: number; gid: number } {
  const line = spawnSync('getent', ['passwd', name], { encoding: 'utf8' }).stdout.trim();
  const [, , uid, gid] = line.split(':');
  if (!uid || !gid) throw new Error(`no system user ${name} (is dovecot-imapd installed?)`);
  return { uid: Number(uid), gid: Number(gid) };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPort(
  port: number,
  child: ChildProcess,
  logFile: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(
        `dovecot exited with ${child.exitCode}: ${existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''}`,
      );
    }
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('data', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`dovecot did not listen on ${port} in time`);
}

export async function startDovecot(options: { user?: string; password?: string } = {}): Promise<Dovecot> {
  const bin = dovecotBinary();
  if (!bin) throw new Error(DOVECOT_MISSING);
  const user = options.user ?? 'support';
  const password = options.password ?? 'test-password';
  const dir = mkdtempSync(join(tmpdir(), 'earshot-dovecot-'));
  chmodSync(dir, 0o755);
  const port = await freePort();
  // Dovecot refuses to run mail processes as root: as root, mail belongs to the `dovecot` user.
  const root = process.getuid?.() === 0;
  const owner = root ? systemUser('dovecot') : { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
  const { uid, gid } = owner;
  const mail = join(dir, 'mail');
  const run = join(dir, 'run');
  mkdirSync(mail, { recursive: true });
  chownSync(mail, uid, gid);
  mkdirSync(run, { recursive: true });
  chmodSync(run, 0o755);
  const logFile = join(dir, 'dovecot.log');
  writeFileSync(join(dir, 'passwd'), `${user}:{PLAIN}${password}:${uid}:${gid}::${mail}/${user}\n`);
  const loginUser = root ? 'dovenull' : (process.env.USER ?? 'nobody');
  const internalUser = root ? 'dovecot' : (process.env.USER ?? 'nobody');
  const conf = `
protocols = imap
listen = 127.0.0.1
base_dir = ${run}
state_dir = ${join(dir, 'state')}
instance_name = earshot-test-${port}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
log_path = ${logFile}
info_log_path = ${logFile}
mail_location = maildir:${mail}/%u
first_valid_uid = ${uid}
first_valid_gid = ${gid}
default_login_user = ${loginUser}
default_internal_user = ${internalUser}
mail_max_userip_connections = 100
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${join(dir, 'passwd')}
}
userdb {
  driver = passwd-file
  args = username_format=%u ${join(dir, 'passwd')}
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
service imap-login {
  chroot =
}
protocol imap {
  mail_max_userip_connections = 100
}
`;
  mkdirSync(join(dir, 'state'), { recursive: true });
  const confFile = join(dir, 'dovecot.conf');
  writeFileSync(confFile, conf);
  const child = spawn(bin, ['-c', confFile, '-F'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  try {
    await waitForPort(port, child, logFile);
  } catch (err) {
    child.kill('SIGTERM');
    throw new Error(`${(err as Error).message}\n${output}`);
  }
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    dir,
    logFile,
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '') + output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `doveconf -n` for a config file (debugging). */
export function doveconf(confFile: string): string {
  return spawnSync('doveconf', ['-c', confFile, '-n'], { encoding: 'utf8' }).stdout;
}
