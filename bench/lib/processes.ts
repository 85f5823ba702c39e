/**
 * Every process the benchmark starts goes through here: pinned to a core with taskset (the relay
 * on one core, its load on the other, so they do not steal each other's time), with the open-file
 * limit raised to the hard limit (10,000 sockets need more than the usual 1,024), with an IPC
 * channel for results, and remembered so that `stopAll` ends each one by its pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/** Core 0 for the thing measured, core 1 for the load; both on a 2-core machine. */
export const SERVER_CORE = 0;
export const LOAD_CORE = 1;

export interface StartOptions {
  /** Pin to this CPU (taskset -c). Default: not pinned. */
  readonly core?: number;
  readonly env?: NodeJS.ProcessEnv;
  /** Extra flags for node itself, e.g. --expose-gc. */
  readonly nodeFlags?: readonly string[];
}

export interface Started {
  readonly child: ChildProcess;
  readonly pid: number;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` in stdout (or stderr), rejects on exit or timeout. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the next IPC message that satisfies `accept`. */
  waitForMessage<T>(accept: (message: unknown) => message is T, timeoutMs?: number): Promise<T>;
  send(message: unknown): void;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<Started>();

/** Runs `node <script> ...args` through bash (for ulimit) and taskset (for the core). */
export function startNode(script: string, args: readonly string[], options: StartOptions = {}): Started {
  const nodeArgv = [process.execPath, ...(options.nodeFlags ?? []), script, ...args];
  const pinned = options.core === undefined ? nodeArgv : ['taskset', '-c', String(options.core), ...nodeArgv];
  // exec keeps the pid: the pid we hold is node's, which is what /proc sampling needs.
  const child = spawn('bash', ['-c', 'ulimit -n "$(ulimit -Hn)" && exec "$@"', 'bash', ...pinned], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  if (child.pid === undefined) throw new Error(`could not start ${script}`);
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const messages: unknown[] = [];
  const messageWaiters = new Set<() => void>();
  child.on('message', (message) => {
    messages.push(message);
    for (const wake of [...messageWaiters]) wake();
  });

  const started: Started = {
    child,
    pid: child.pid,
    stdout: () => out,
    stderr: () => err,
    waitForOutput(pattern, timeoutMs = 30_000) {
      return waitUntil(() => out.match(pattern) ?? err.match(pattern) ?? undefined, child, timeoutMs, () => `${pattern} from ${script}; stderr: ${err.slice(-2000)}`, [child.stdout!, child.stderr!]);
    },
    waitForMessage<T>(accept: (message: unknown) => message is T, timeoutMs = 120_000) {
      const take = () => {
        const index = messages.findIndex(accept);
        return index === -1 ? undefined : (messages.splice(index, 1)[0] as T);
      };
      return new Promise<T>((resolve, reject) => {
        const done = (error?: Error, value?: T) => {
          clearTimeout(timer);
          messageWaiters.delete(check);
          child.off('exit', onExit);
          if (error) reject(error);
          else resolve(value as T);
        };
        const check = () => {
          const value = take();
          if (value !== undefined) done(undefined, value);
        };
        const onExit = () => setImmediate(() => {
          const value = take();
          if (value !== undefined) done(undefined, value);
          else done(new Error(`${script} exited before sending the expected message; stderr: ${err.slice(-2000)}`));
        });
        const timer = setTimeout(() => done(new Error(`timed out waiting for a message from ${script}; stderr: ${err.slice(-2000)}`)), timeoutMs);
        messageWaiters.add(check);
        child.once('exit', onExit);
        check();
      });
    },
    send(message) {
      if (child.connected) child.send(message as never);
    },
    async stop(graceMs = 3000) {
      running.delete(started);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  running.add(started);
  void exited.then(() => running.delete(started));
  return started;
}

function waitUntil<T>(
  find: () => T | undefined,
  child: ChildProcess,
  timeoutMs: number,
  describe: () => string,
  streams: NodeJS.ReadableStream[],
): Promise<T> {
  return new Promise((resolve, reject) => {
    const finish = (error?: Error, value?: T) => {
      clearTimeout(timer);
      for (const stream of streams) stream.off('data', check);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(value as T);
    };
    const check = () => {
      const value = find();
      if (value !== undefined) finish(undefined, value);
    };
    const onExit = () => finish(new Error(`exited before printing ${describe()}`));
    const timer = setTimeout(() => finish(new Error(`timed out waiting for ${describe()}`)), timeoutMs);
    for (const stream of streams) stream.on('data', check);
    child.once('exit', onExit);
    check();
  });
}

/** Ends every process still running (each by its own pid). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((started) => started.stop(1000)));
}

/** Waits for a child that runs to completion and returns its exit code. */
export async function exitCode(started: Started): Promise<number | null> {
  if (started.child.exitCode !== null) return started.child.exitCode;
  const [code] = (await once(started.child, 'exit')) as [number | null];
  return code;
}
