/** A private D-Bus session bus (dbus-daemon) for tests that speak D-Bus without a desktop; `stop()` ends it. */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface SessionBus {
  readonly address: string;
  stop(): Promise<void>;
}

export async function startSessionBus(): Promise<SessionBus> {
  const dir = await mkdtemp(path.join(tmpdir(), 'buildbell-bus-'));
  const child = spawn('dbus-daemon', ['--session', '--nofork', '--nopidfile', `--address=unix:path=${path.join(dir, 'bus')}`, '--print-address=1'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const address = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('\n')) resolve(text.slice(0, text.indexOf('\n')).trim());
      });
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`dbus-daemon exited (${code}) before it printed its address`)));
    });
    return { address, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
