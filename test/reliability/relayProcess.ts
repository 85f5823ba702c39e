/** A real `buildbell relay` process that a scenario can SIGKILL, freeze and restart on the same port. */
import { readFileSync } from 'node:fs';
import { runBuildbell, type RunningCommand } from '../support/processes.js';

export interface RelayProcess {
  readonly url: string;
  readonly port: number;
  current(): RunningCommand;
  /** SIGKILL, wait for the exit, start again on the same port and file. */
  killAndRestart(pauseMs?: number): Promise<void>;
  /** Resident memory of the running relay, in MiB (Linux /proc). */
  rssMb(): number;
  stop(): Promise<void>;
}

export async function startRelayOnPort(database: string, extraArgs: readonly string[] = [], port = 0): Promise<RelayProcess> {
  const start = async (on: number) => {
    const command = runBuildbell(['relay', '--db', database, '--port', String(on), ...extraArgs]);
    const [, url] = await command.waitForOutput(/listening on (http:\/\/127\.0\.0\.1:(\d+))/, 20_000);
    return { command, url: url! };
  };
  let { command, url } = await start(port);
  const chosen = Number(new URL(url).port);
  return {
    url,
    port: chosen,
    current: () => command,
    async killAndRestart(pauseMs = 0) {
      command.child.kill('SIGKILL');
      await command.exited();
      if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
      ({ command, url } = await start(chosen));
    },
    rssMb() {
      try {
        const status = readFileSync(`/proc/${command.child.pid}/status`, 'utf8');
        return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
      } catch {
        return 0;
      }
    },
    async stop() {
      command.child.kill('SIGKILL');
      await command.exited();
    },
  };
}
