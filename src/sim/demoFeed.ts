/**
 * The simulators as the client's demo source takes them (`DemoFeed` in
 * src/client/sources/demo/source.ts, matched by shape: the simulator does not import the client).
 * The shells load this module only when a demo source exists.
 */
import type { NormalisedEvent, Provider } from '../core/event.js';
import type { Logger } from '../core/ports.js';
import { DEFAULT_SIM_TOKENS } from './access.js';

export interface DemoFeedOptions {
  readonly provider: Provider;
  readonly seed?: number;
  readonly speed?: number;
  readonly logger: Logger;
}

export interface StartedDemoFeed {
  readonly provider: Provider;
  readonly apiUrl: string;
  readonly writeToken: string;
  onEvent(listener: (event: NormalisedEvent) => void): () => void;
  stop(): Promise<void>;
}

const WRITE_TOKEN = DEFAULT_SIM_TOKENS.find((token) => token.permission === 'WRITE')!.token;

export async function startDemoFeed(options: DemoFeedOptions): Promise<StartedDemoFeed> {
  const story = { seed: options.seed ?? 1, speed: options.speed ?? 1, logger: options.logger };
  switch (options.provider) {
    case 'cirrus': {
      const { startSimulator } = await import('./simulator.js');
      const simulator = await startSimulator(story);
      return {
        provider: 'cirrus',
        apiUrl: simulator.graphqlUrl!,
        writeToken: WRITE_TOKEN,
        onEvent: (listener) => simulator.onEvent(({ event }) => listener(event)),
        stop: () => simulator.stop(),
      };
    }
    case 'github': {
      const { startGithubSimulator } = await import('./github/simulator.js');
      const simulator = await startGithubSimulator(story);
      return {
        provider: 'github',
        apiUrl: simulator.apiUrl!,
        writeToken: WRITE_TOKEN,
        onEvent: (listener) => simulator.onEvent(({ event }) => listener(event)),
        stop: () => simulator.stop(),
      };
    }
    case 'gitlab': {
      const { startGitlabSimulator } = await import('./gitlab/simulator.js');
      const simulator = await startGitlabSimulator(story);
      return {
        provider: 'gitlab',
        apiUrl: simulator.apiUrl!,
        writeToken: WRITE_TOKEN,
        onEvent: (listener) => simulator.onEvent(({ event }) => listener(event)),
        stop: () => simulator.stop(),
      };
    }
  }
}
