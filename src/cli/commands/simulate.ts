/**
 * `buildbell simulate`: runs the Cirrus simulator until SIGINT or SIGTERM. It serves the GraphQL
 * API, optionally POSTs signed webhooks to a relay channel, and prints one line per build change
 * so a person can follow the story.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_SIM_TOKENS } from '../../sim/access.js';
import type { SimRepositorySpec } from '../../sim/catalog.js';
import { DEFAULT_REPOSITORIES } from '../../sim/catalog.js';
import type { SimEvent } from '../../sim/simulator.js';
import { startSimulator } from '../../sim/simulator.js';
import type { CliIo, Command } from '../io.js';
import { UsageError } from '../io.js';
import { createStderrLogger } from '../logger.js';
import { parsePort } from '../units.js';

const HELP = `usage: buildbell simulate [options]

Runs a simulated Cirrus CI: builds and tasks go through realistic lifecycles, each change is a
signed webhook in the real wire format, and a GraphQL API answers like api.cirrus-ci.com.

options:
  --seed <n>             the story to tell; the same seed replays it (default 1)
  --speed <x>            how much faster than real time (default 1)
  --relay <url>          POST webhooks to this relay channel, e.g. http://127.0.0.1:8787/hooks/acme
  --secret <s>           the channel's webhook secret (required with --relay)
  --graphql-port <n>     port of the GraphQL API on 127.0.0.1 (default 0: any free port)
  --repos <list>         comma-separated owner/name, ':private' marks a private one
                         (default ${formatRepositories(DEFAULT_REPOSITORIES)})
  --quiet                do not print each build change
`;

/** Parsed `simulate` options. */
export interface SimulateOptions {
  readonly seed: number;
  readonly speed: number;
  readonly relay?: { url: string; secret: string };
  readonly graphqlPort: number;
  readonly repositories: readonly SimRepositorySpec[];
  readonly quiet: boolean;
}

export const simulateCommand: Command = async (args, io) => {
  const options = parseSimulateArgs(args);
  if (options === 'help') {
    io.stdout.write(HELP);
    return 0;
  }
  return runSimulate(options, io, untilSignal());
};

/** Parses the flags; `'help'` for --help. Throws UsageError naming the bad flag. */
export function parseSimulateArgs(args: string[]): SimulateOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        seed: { type: 'string' },
        speed: { type: 'string' },
        relay: { type: 'string' },
        secret: { type: 'string' },
        'graphql-port': { type: 'string' },
        repos: { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return 'help';
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isSafeInteger(seed)) throw new UsageError(`--seed takes an integer, not '${values.seed}'`);
  const speed = values.speed === undefined ? 1 : Number(values.speed);
  if (!(speed > 0) || !Number.isFinite(speed)) throw new UsageError(`--speed takes a positive number like 1 or 10, not '${values.speed}'`);
  if ((values.relay === undefined) !== (values.secret === undefined)) {
    throw new UsageError('--relay and --secret go together: the relay verifies every webhook with the channel secret');
  }
  if (values.relay !== undefined && !/^https?:\/\/.+/.test(values.relay)) {
    throw new UsageError(`--relay takes the channel URL, e.g. http://127.0.0.1:8787/hooks/acme, not '${values.relay}'`);
  }
  let graphqlPort = 0;
  try {
    if (values['graphql-port'] !== undefined) graphqlPort = parsePort(values['graphql-port'], '--graphql-port');
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return {
    seed,
    speed,
    graphqlPort,
    quiet: values.quiet ?? false,
    repositories: values.repos === undefined ? DEFAULT_REPOSITORIES : parseRepositories(values.repos),
    ...(values.relay !== undefined && values.secret !== undefined ? { relay: { url: values.relay, secret: values.secret } } : {}),
  };
}

/** Runs the simulator until `until` settles; the command passes a SIGINT/SIGTERM promise. */
export async function runSimulate(options: SimulateOptions, io: CliIo, until: Promise<unknown>): Promise<number> {
  const logger = createStderrLogger(io.stderr);
  const sim = await startSimulator({
    seed: options.seed,
    speed: options.speed,
    repositories: options.repositories,
    graphqlPort: options.graphqlPort,
    logger,
    ...(options.relay ? { relay: options.relay } : {}),
  });
  const tokens = DEFAULT_SIM_TOKENS.map((t) => `${t.token} (${t.permission})`).join(', ');
  io.stdout.write(
    `buildbell simulator (seed ${options.seed}, speed ${options.speed}x)\n` +
      `  GraphQL API: ${sim.graphqlUrl}\n` +
      `  tokens:      ${tokens}; public repositories need none\n` +
      `  webhooks:    ${options.relay ? options.relay.url : 'none (no --relay)'}\n` +
      `  repositories: ${formatRepositories(options.repositories)}\n`,
  );
  if (!options.quiet) sim.onEvent((event) => io.stdout.write(describe(event)));
  await until;
  await sim.stop();
  return 0;
}

/** One line per build change, and per failed task: enough to follow the story. */
function describe({ event }: SimEvent): string {
  const repo = `${event.repository.owner}/${event.repository.name}`;
  const time = new Date(event.receivedAt).toISOString().slice(11, 19);
  if (event.task) {
    return event.task.state === 'failed' || event.task.state === 'aborted'
      ? `${time} ${repo} task ${event.task.id} '${event.task.name}' ${event.task.status}\n`
      : '';
  }
  const from = event.build.previousStatus ? `${event.build.previousStatus} -> ` : 'new ';
  return `${time} ${repo} build ${event.build.id} ${from}${event.build.status} (${event.build.branch}: ${event.build.title})\n`;
}

function parseRepositories(text: string): SimRepositorySpec[] {
  const repositories = text.split(',').map((entry) => entry.trim()).filter(Boolean).map((entry) => {
    const match = /^([\w.-]+)\/([\w.-]+)(:private)?$/.exec(entry);
    if (!match) throw new UsageError(`--repos takes owner/name[:private],... , not '${entry}'`);
    return { owner: match[1]!, name: match[2]!, isPrivate: match[3] !== undefined };
  });
  if (repositories.length === 0) throw new UsageError('--repos needs at least one owner/name');
  return repositories;
}

function formatRepositories(repositories: readonly SimRepositorySpec[]): string {
  return repositories.map((r) => `${r.owner}/${r.name}${r.isPrivate ? ':private' : ''}`).join(',');
}

function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(signal);
    };
    const onInt = () => stop('SIGINT');
    const onTerm = () => stop('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
}
