/** `relay --pid-file`: the id of the relay process itself, for scripts that must kill it hard. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { killStartedProcesses, runBuildbell } from '../support/processes.js';
import { makeTempDir } from '../support/temp.js';

const temp = makeTempDir();
afterEach(() => killStartedProcesses());
afterAll(() => temp.remove());

describe('buildbell relay --pid-file', () => {
  it('holds the relay\'s own pid once it listens: kill -9 of it stops the relay', async () => {
    const pidFile = path.join(temp.dir, 'relay.pid');
    const relay = runBuildbell(['relay', '--db', path.join(temp.dir, 'a.db'), '--port', '0', '--pid-file', pidFile]);
    await relay.waitForOutput(/listening on/);
    for (let waited = 0; !existsSync(pidFile) && waited < 5_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(pid).toBe(relay.child.pid);
    process.kill(pid, 'SIGKILL');
    expect(await relay.exited()).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('is removed when the relay stops gracefully', async () => {
    const pidFile = path.join(temp.dir, 'graceful.pid');
    const relay = runBuildbell(['relay', '--db', path.join(temp.dir, 'b.db'), '--port', '0', '--pid-file', pidFile]);
    await relay.waitForOutput(/listening on/);
    for (let waited = 0; !existsSync(pidFile) && waited < 5_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    relay.child.kill('SIGTERM');
    expect(await relay.exited()).toEqual({ code: 0, signal: null });
    expect(existsSync(pidFile)).toBe(false);
  });
});
