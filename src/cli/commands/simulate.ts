/**
 * `buildbell simulate`: runs the Cirrus simulator (or, with `--provider github` or `gitlab`, the
 * GitHub Actions or GitLab CI one) until SIGINT or SIGTERM. It serves the simulated API (Cirrus
 * GraphQL, GitHub REST or GitLab REST v4),
 * optionally POSTs signed webhooks to a relay channel, and prints one line per build change so a
 * person can follow the story.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_SIM_TOKENS } from '../../sim/access.js';
import type { SimRepositorySpec } from '../../sim/catalog.js';
import { DEFAULT_REPOSITORIES } from '../../sim/catalog.js';
import type { GithubSimEvent } from '../../sim/github/simulator.js';
import { startGithubSimulator } from '../../sim/github/simulator.js';
import type { GitlabSimEvent } from '../../sim/gitlab/simulator.js';
import { DEFAULT_GITLAB_PROJECTS, startGitlabSimulator } from '../../sim/gitlab/simulator.js';
import type { SimEvent } from '../../sim/simulator.js';
import { startSimulator } from '../../sim/simulator.js';
import type { CliIo, Command } from '../io.js';
import { UsageError } from '../io.js';
import { createStderrLogger } from '../logger.js';
import { parsePort } from '../units.js';
import { removePidFile, writePidFile } from '../pidFile.js';
import { untilStopped } from '../untilStopped.js';

/** The GitLab simulator's default projects, in the flag's terms: the namespace is the owner. */
const GITLAB_REPOSITORIES: readonly SimRepositorySpec[] = DEFAULT_GITLAB_PROJECTS.map((p) => ({ owner: p.namespace, name: p.path, ...(p.isPrivate ? { isPrivate: true } : {}) }));

const HELP = `usage: buildbell simulate [options]

Runs a simulated Cirrus CI: builds and tasks go through realistic lifecycles, each change is a
signed webhook in the real wire format, and a GraphQL API answers like api.cirrus-ci.com.
With --provider github, a simulated GitHub Actions instead: signed workflow_run and workflow_job
deliveries, and a REST API that lists runs (ETags, 304s, rate limits), approves and re-runs.
With --provider gitlab, a simulated GitLab CI: Pipeline Hook and Job Hook deliveries carrying the
channel secret as X-Gitlab-Token, and a REST v4 API that lists pipelines and jobs (rate limits),
plays manual jobs and retries pipelines.

options:
  --provider <name>      cirrus, github or gitlab (default cirrus)
  --seed <n>             the story to tell; the same seed replays it (default 1)
  --speed <x>            how much faster than real time (default 1)
  --relay <url>          POST webhooks to this relay channel, e.g. http://127.0.0.1:8787/hooks/acme
  --secret <s>           the channel's webhook secret (required with --relay)
  --api-port <n>         port of the simulated API on 127.0.0.1 (default 0: any free port)
  --graphql-port <n>     the same, under its Cirrus name (only with --provider cirrus)
  --repos <list>         comma-separated owner/name, ':private' marks a private one
                         (default ${formatRepositories(DEFAULT_REPOSITORIES)}; GitLab projects
                         may sit in subgroups: default ${formatRepositories(GITLAB_REPOSITORIES)})
  --quiet                do not print each build change
  --pid-file <file>      write this process's id there once the API listens (removed when it stops)
`;

/** Parsed `simulate` options. */
export interface SimulateOptions {
  readonly provider: 'cirrus' | 'github' | 'gitlab';
  readonly seed: number;
  readonly speed: number;
  readonly relay?: { url: string; secret: string };
  /** Port of the simulated API (GraphQL for Cirrus, REST for GitHub and GitLab); 0 is any free port. */
  readonly apiPort: number;
  readonly repositories: readonly SimRepositorySpec[];
  readonly quiet: boolean;
  /** Where to write this process's id once the API listens. Optional. */
  readonly pidFile?: string;
}

export const simulateCommand: Command = async (args, io) => {
  const options = parseSimulateArgs(args);
  if (options === 'help') {
    io.stdout.write(HELP);
    return 0;
  }
  return runSimulate(options, io, untilStopped());
};

/** Parses the flags; `'help'` for --help. Throws UsageError naming the bad flag. */
export function parseSimulateArgs(args: string[]): SimulateOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        provider: { type: 'string' },
        seed: { type: 'string' },
        speed: { type: 'string' },
        relay: { type: 'string' },
        secret: { type: 'string' },
        'api-port': { type: 'string' },
        'graphql-port': { type: 'string' },
        repos: { type: 'string' },
        quiet: { type: 'boolean' },
        'pid-file': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return 'help';
  const provider = values.provider ?? 'cirrus';
  if (provider !== 'cirrus' && provider !== 'github' && provider !== 'gitlab') throw new UsageError(`--provider takes cirrus, github or gitlab, not '${provider}'`);
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
  if (values['graphql-port'] !== undefined && provider !== 'cirrus') {
    throw new UsageError(`--graphql-port is for the Cirrus simulator; the ${provider === 'github' ? 'GitHub' : 'GitLab'} one serves REST: use --api-port`);
  }
  if (values['graphql-port'] !== undefined && values['api-port'] !== undefined) {
    throw new UsageError('--graphql-port and --api-port name the same port: give one');
  }
  const portFlag = values['api-port'] !== undefined ? '--api-port' : '--graphql-port';
  const portText = values['api-port'] ?? values['graphql-port'];
  let apiPort = 0;
  try {
    if (portText !== undefined) apiPort = parsePort(portText, portFlag);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return {
    provider,
    seed,
    speed,
    apiPort,
    quiet: values.quiet ?? false,
    ...(values['pid-file'] !== undefined ? { pidFile: values['pid-file'] } : {}),
    repositories: values.repos === undefined ? (provider === 'gitlab' ? GITLAB_REPOSITORIES : DEFAULT_REPOSITORIES) : parseRepositories(values.repos, provider === 'gitlab'),
    ...(values.relay !== undefined && values.secret !== undefined ? { relay: { url: values.relay, secret: values.secret } } : {}),
  };
}

/** Runs the simulator until `until` settles; the command passes a SIGINT/SIGTERM promise. */
export async function runSimulate(options: SimulateOptions, io: CliIo, until: Promise<unknown>): Promise<number> {
  const logger = createStderrLogger(io.stderr);
  const common = {
    seed: options.seed,
    speed: options.speed,
    repositories: options.repositories,
    logger,
    ...(options.relay ? { relay: options.relay } : {}),
  };
  const tokens = DEFAULT_SIM_TOKENS.map((t) => `${t.token} (${t.permission})`).join(', ');
  const repositories = formatRepositories(options.repositories);
  const webhooks = options.relay ? options.relay.url : 'none (no --relay)';
  let stop: () => Promise<void>;
  if (options.provider === 'gitlab') {
    const sim = await startGitlabSimulator({
      ...common,
      projects: options.repositories.map((r) => ({ namespace: r.owner, path: r.name, isPrivate: r.isPrivate ?? false, defaultBranch: r.defaultBranch ?? 'main' })),
      apiPort: options.apiPort,
    });
    io.stdout.write(
      `buildbell GitLab CI simulator (seed ${options.seed}, speed ${options.speed}x)\n` +
        `  REST API:    ${sim.apiUrl}\n` +
        `  tokens:      ${tokens}; READ is read_api, WRITE is api; public projects need none\n` +
        `  webhooks:    ${options.relay ? `${options.relay.url} (the secret as X-Gitlab-Token)` : webhooks}\n` +
        `  projects:    ${repositories}\n` +
        `  watch it:    ${watchCommandFor(options, { provider: 'gitlab', apiUrl: sim.apiUrl! })}\n`,
    );
    if (!options.quiet) sim.onEvent((event) => io.stdout.write(describeGitlab(event)));
    stop = () => sim.stop();
  } else if (options.provider === 'github') {
    const sim = await startGithubSimulator({ ...common, apiPort: options.apiPort });
    io.stdout.write(
      `buildbell GitHub Actions simulator (seed ${options.seed}, speed ${options.speed}x)\n` +
        `  REST API:    ${sim.apiUrl}\n` +
        `  tokens:      ${tokens}; public repositories need none\n` +
        `  webhooks:    ${webhooks}\n` +
        `  repositories: ${repositories}\n` +
        `  watch it:    ${watchCommandFor(options, { provider: 'github', apiUrl: sim.apiUrl! })}\n`,
    );
    if (!options.quiet) sim.onEvent((event) => io.stdout.write(describeGithub(event)));
    stop = () => sim.stop();
  } else {
    const sim = await startSimulator({ ...common, graphqlPort: options.apiPort });
    io.stdout.write(
      `buildbell simulator (seed ${options.seed}, speed ${options.speed}x)\n` +
        `  GraphQL API: ${sim.graphqlUrl}\n` +
        `  tokens:      ${tokens}; public repositories need none\n` +
        `  webhooks:    ${webhooks}\n` +
        `  repositories: ${repositories}\n` +
        `  watch it:    ${watchCommandFor(options, { provider: 'cirrus', apiUrl: sim.graphqlUrl! })}\n`,
    );
    if (!options.quiet) sim.onEvent((event) => io.stdout.write(describe(event)));
    stop = () => sim.stop();
  }
  if (options.pidFile !== undefined) writePidFile(options.pidFile);
  await until;
  await stop();
  if (options.pidFile !== undefined) removePidFile(options.pidFile);
  return 0;
}

/**
 * The `buildbell watch` command that follows this simulator with Approve and Re-run acting on it:
 * through the relay when webhooks go to one (its base URL from the channel URL; `$TOKEN` is a
 * client token of that relay), else by polling. Either way the simulator's API and its WRITE
 * token are given, or Approve would go to the real Cirrus or GitHub.
 */
export function watchCommandFor(options: SimulateOptions, api: { provider: 'cirrus' | 'github' | 'gitlab'; apiUrl: string }): string {
  const writeToken = DEFAULT_SIM_TOKENS.find((t) => t.permission === 'WRITE')!.token;
  const actions = {
    cirrus: `--endpoint ${api.apiUrl} --cirrus-token ${writeToken}`,
    github: `--github-api ${api.apiUrl} --github-token ${writeToken}`,
    gitlab: `--gitlab-api ${api.apiUrl} --gitlab-token ${writeToken}`,
  }[api.provider];
  if (options.relay) {
    const relay = new URL(options.relay.url);
    const base = `${relay.protocol === 'https:' ? 'wss' : 'ws'}://${relay.host}${relay.pathname.replace(/\/hooks\/[^/]*\/?$/, '')}`.replace(/\/$/, '');
    return `buildbell watch --relay ${base} --token "$TOKEN" ${actions}`;
  }
  const repos = options.repositories.map((r) => `${r.owner}/${r.name}`).join(',');
  const source = { cirrus: `--repos ${repos}`, github: `--provider github --repos ${repos}`, gitlab: `--gitlab-repos ${repos}` }[api.provider];
  return `buildbell watch ${source} ${actions} --interval 15s`;
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

/**
 * The same for GitHub, in its words: runs and jobs. A run's status says `completed` whatever the
 * outcome, so the line adds the normalised state (`completed: failed`, `completed: needs_approval`).
 */
function describeGithub({ event }: GithubSimEvent): string {
  const repo = `${event.repository.owner}/${event.repository.name}`;
  const time = new Date(event.receivedAt).toISOString().slice(11, 19);
  if (event.task) {
    return event.task.state === 'failed' || event.task.state === 'aborted'
      ? `${time} ${repo} run ${event.build.id} job ${event.task.id} '${event.task.name}' ${event.task.state}\n`
      : '';
  }
  // A delivery names the status a run left only on a re-run's first events; otherwise a line says the status it reached.
  const from = event.build.previousStatus ? `${event.build.previousStatus} -> ` : event.action === 'created' ? 'new ' : '';
  const outcome = event.build.status === 'completed' ? `: ${event.build.state}` : '';
  return `${time} ${repo} run ${event.build.id} ${from}${event.build.status}${outcome} (${event.build.branch}: ${event.build.title})\n`;
}

/**
 * The same in GitLab's words: pipelines and jobs, a failed job with GitLab's reason
 * (`script failure`), which the hook carries and the normalised event does not.
 */
function describeGitlab({ event, body }: GitlabSimEvent): string {
  const repo = `${event.repository.owner}/${event.repository.name}`;
  const time = new Date(event.receivedAt).toISOString().slice(11, 19);
  if (event.task) {
    if (event.task.state !== 'failed' && event.task.state !== 'aborted') return '';
    const reason = (JSON.parse(body) as { build_failure_reason?: unknown }).build_failure_reason;
    return `${time} ${repo} pipeline ${event.build.id} job ${event.task.id} '${event.task.name}' ${event.task.status}${typeof reason === 'string' ? ` (${reason.replaceAll('_', ' ')})` : ''}\n`;
  }
  const opened = event.action === 'created' ? 'new ' : '';
  const place = event.build.pullRequest === null ? event.build.branch : `!${event.build.pullRequest} ${event.build.branch}`;
  return `${time} ${repo} pipeline ${event.build.id} ${opened}${event.build.status}: ${event.build.state} (${place}: ${event.build.title})\n`;
}

function parseRepositories(text: string, subgroups = false): SimRepositorySpec[] {
  const repositories = text.split(',').map((entry) => entry.trim()).filter(Boolean).map((entry) => {
    // GitLab projects may sit in subgroups: everything before the last `/` is the namespace.
    const match = (subgroups ? /^([\w.-]+(?:\/[\w.-]+)*)\/([\w.-]+)(:private)?$/ : /^([\w.-]+)\/([\w.-]+)(:private)?$/).exec(entry);
    if (!match) throw new UsageError(`--repos takes ${subgroups ? 'group[/subgroup]/project' : 'owner/name'}[:private],... , not '${entry}'`);
    return { owner: match[1]!, name: match[2]!, isPrivate: match[3] !== undefined };
  });
  if (repositories.length === 0) throw new UsageError('--repos needs at least one owner/name');
  return repositories;
}

function formatRepositories(repositories: readonly SimRepositorySpec[]): string {
  return repositories.map((r) => `${r.owner}/${r.name}${r.isPrivate ? ':private' : ''}`).join(',');
}
