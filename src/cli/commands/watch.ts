/**
 * `buildbell watch`: the notification engine in a terminal, with real OS notifications. Reads the
 * settings file for filters and toggles, lets flags choose the source, and wires: source →
 * engine → notifier, opener and terminal view. Runs until SIGINT or SIGTERM.
 */
import { homedir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Logger } from '../../core/ports.js';
import { createCirrusApi } from '../../providers/cirrus/api/client.js';
import { createGithubApi } from '../../providers/github/api/client.js';
import { createEngine } from '../../client/engine.js';
import { createSystemNotifier } from '../../client/notifiers/select.js';
import { createSystemOpener } from '../../client/opener.js';
import { loadSettings, saveSettings } from '../../client/settings/file.js';
import { settingsFilePath } from '../../client/settings/path.js';
import type { Settings } from '../../client/settings/schema.js';
import { createCursorFile } from '../../client/sources/cursorFile.js';
import { prepareSource, type SourceChoice } from '../../client/sources/startSource.js';
import { streamUrl } from '../../client/sources/streamUrl.js';
import type { CliIo, Command } from '../io.js';
import { UsageError } from '../io.js';
import { createStderrLogger } from '../logger.js';
import { createTerminalView } from '../terminalView.js';
import { parseDuration } from '../units.js';
import { untilStopped } from '../untilStopped.js';

const HELP = `usage: buildbell watch [source] [options]

Desktop notifications for CI builds, from a terminal. Click a notification: the build opens.

source (default: the settings file's, which defaults to --demo):
  --relay <url> --token <token>      a buildbell relay, e.g. ws://127.0.0.1:8787 ($BUILDBELL_TOKEN)
  --cirrus-token <token> --repos <owner/name,...>
                                     poll the Cirrus API, no relay needed (token optional for
                                     public repositories; $BUILDBELL_CIRRUS_TOKEN)
  --github-token <token> --repos <owner/name,...>
  --provider github --repos <owner/name,...>
                                     poll the GitHub REST API for workflow runs, no relay needed
                                     (token optional for public repositories, then 60 requests
                                     an hour; $BUILDBELL_GITHUB_TOKEN)
  --demo [--provider github] [--seed <n>] [--speed <x>]
                                     the built-in simulator (Cirrus, or GitHub Actions)

options:
  --cirrus-token <token>   with --relay: enables Approve and Re-run (a Cirrus token with WRITE)
  --github-token <token>   with --relay: enables Approve and Re-run for GitHub runs (Actions: Read and write)
  --endpoint <url>         Cirrus GraphQL endpoint (default https://api.cirrus-ci.com/graphql)
  --github-api <url>       GitHub REST API (default https://api.github.com; GHES: https://<host>/api/v3)
  --interval <time>        poll interval with --repos (default 60s, never under 15s)
  --insecure               with --relay: accept ws:// or http:// to another machine, where the
                           token travels in cleartext (default: only to 127.0.0.0/8, ::1, localhost)
  --settings <file>        settings file (default: ${'<config folder>'}/buildbell/settings.json)
`;

export const watchCommand: Command = async (args, io) => {
  const { values } = parseArgs({
    args,
    options: {
      relay: { type: 'string' },
      token: { type: 'string' },
      'cirrus-token': { type: 'string' },
      'github-token': { type: 'string' },
      'github-api': { type: 'string' },
      provider: { type: 'string' },
      repos: { type: 'string' },
      endpoint: { type: 'string' },
      interval: { type: 'string' },
      demo: { type: 'boolean' },
      seed: { type: 'string' },
      speed: { type: 'string' },
      settings: { type: 'string' },
      insecure: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  // Both streams on one terminal: messages go into the view's log, above its status block, so
  // they stay on screen instead of being drawn over.
  const view = createTerminalView(io.stdout, 'buildbell watch');
  const log = io.stdout.isTTY && io.stderr.isTTY ? view : io.stderr;
  const logger = createStderrLogger(log);
  const settingsFile = values.settings ?? settingsFilePath({ platform: process.platform, env: io.env, homedir: homedir() });
  const settings = await loadSettings(settingsFile);
  const choice = chooseSource(values, settings, io, path.join(path.dirname(settingsFile), 'relay-cursor.json'), logger);

  const clock = Date.now;
  const source = await prepareSource(choice, { logger, clock });
  const notifier = await createSystemNotifier({ platform: process.platform, env: io.env, logger });
  const engine = createEngine({
    settings,
    clock,
    notifier,
    opener: createSystemOpener({ platform: process.platform, env: io.env }),
    logger,
    ...(source.actions ? { actions: source.actions } : {}),
  });
  engine.onSettingsChange((changed) => void saveSettings(settingsFile, changed).catch((error: Error) => logger.error(error.message)));

  view.setHeader(`buildbell watch · ${source.label} · notifications: ${notifier.describe}`);
  log.write(`buildbell watch: ${source.label}; notifications through ${notifier.describe}\n`);
  engine.onTrayModelChange((model) => view.render(model));
  // Once a minute, so "last event 2 min ago" stays true on a quiet day; the view redraws only if that changed.
  const redraw = setInterval(() => view.render(engine.trayModel()), 60_000);
  redraw.unref();
  await source.start(engine);
  view.render(engine.trayModel());

  await untilStopped();
  clearInterval(redraw);
  view.close();
  await source.stop();
  engine.close();
  await notifier.close();
  return 0;
};

type WatchValues = {
  relay?: string; token?: string; 'cirrus-token'?: string; repos?: string; endpoint?: string;
  interval?: string; demo?: boolean; seed?: string; speed?: string; insecure?: boolean;
  'github-token'?: string; 'github-api'?: string; provider?: string;
};

function chooseSource(values: WatchValues, settings: Settings, io: CliIo, cursorPath: string, logger: Logger): SourceChoice {
  const cirrusToken = values['cirrus-token'] ?? io.env['BUILDBELL_CIRRUS_TOKEN'];
  const api = () => createCirrusApi({
    ...(values.endpoint ? { endpoint: values.endpoint } : {}),
    ...(cirrusToken ? { token: cirrusToken } : {}),
  });
  const githubToken = values['github-token'] ?? io.env['BUILDBELL_GITHUB_TOKEN'];
  const githubApi = (token = githubToken) => createGithubApi({
    ...(values['github-api'] ? { baseUrl: values['github-api'] } : {}),
    ...(token ? { token } : {}),
  });
  if (values.provider !== undefined && values.provider !== 'cirrus' && values.provider !== 'github') {
    throw new UsageError(`--provider takes cirrus or github, not '${values.provider}'`);
  }
  // A GitHub token and no Cirrus one says which CI is meant; --provider settles any doubt.
  const provider = values.provider ?? (githubToken && !cirrusToken ? 'github' : 'cirrus');
  const chosen = [values.relay !== undefined, values.repos !== undefined, values.demo === true].filter(Boolean).length;
  if (chosen > 1) throw new UsageError('choose one source: --relay, --repos or --demo');

  if (values.relay !== undefined) {
    const token = values.token ?? io.env['BUILDBELL_TOKEN'];
    if (!token) throw new UsageError('--relay needs --token <token> (or $BUILDBELL_TOKEN): a token from the relay\'s operator');
    const insecure = values.insecure === true;
    const url = checked(() => streamUrl(values.relay!, undefined, { insecure }));
    return {
      kind: 'relay', url, token, insecure, cursor: createCursorFile(cursorPath, url, logger),
      ...(cirrusToken ? { cirrus: api() } : {}), ...(githubToken ? { github: checked(() => githubApi()) } : {}),
    };
  }
  if (values.repos !== undefined) {
    const repositories = values.repos.split(',').map((repo) => repo.trim()).filter(Boolean);
    const bad = repositories.find((repo) => !/^[^/\s]+\/[^/\s]+$/.test(repo));
    if (repositories.length === 0 || bad !== undefined) throw new UsageError(`--repos takes owner/name,owner/name; '${bad ?? values.repos}' is not one`);
    const intervalMs = values.interval === undefined ? 60_000 : checked(() => parseDuration(values.interval!, '--interval'));
    if (provider === 'github') return { kind: 'github', api: checked(() => githubApi()), repositories, intervalMs };
    return { kind: 'cirrus', api: checked(api), repositories, intervalMs };
  }
  if (values.demo || settings.source.kind === 'demo') {
    const seed = values.seed === undefined ? undefined : Number(values.seed);
    const speed = values.speed === undefined ? undefined : Number(values.speed);
    if (seed !== undefined && !Number.isInteger(seed)) throw new UsageError('--seed takes a whole number');
    if (speed !== undefined && !(speed > 0)) throw new UsageError('--speed takes a positive number, e.g. 2 for twice as fast');
    return { kind: 'demo', provider, ...(seed === undefined ? {} : { seed }), ...(speed === undefined ? {} : { speed }) };
  }
  if (settings.source.kind === 'cirrus') {
    const { repositories, token, pollIntervalSeconds } = settings.source;
    const fromSettings = token ?? cirrusToken;
    return {
      kind: 'cirrus',
      api: createCirrusApi({ ...(values.endpoint ? { endpoint: values.endpoint } : {}), ...(fromSettings ? { token: fromSettings } : {}) }),
      repositories,
      intervalMs: pollIntervalSeconds * 1000,
    };
  }
  if (settings.source.kind === 'github') {
    const { repositories, apiUrl, pollIntervalSeconds } = settings.source;
    const api = checked(() => createGithubApi({
      ...((values['github-api'] ?? apiUrl) ? { baseUrl: values['github-api'] ?? apiUrl } : {}),
      ...(githubToken ? { token: githubToken } : {}),
    }));
    return { kind: 'github', api, repositories, intervalMs: pollIntervalSeconds * 1000 };
  }
  const token = values.token ?? io.env['BUILDBELL_TOKEN'];
  if (!token) throw new UsageError(`the settings choose the relay ${settings.source.url}; give its token with --token or $BUILDBELL_TOKEN`);
  const insecure = values.insecure === true || settings.source.insecure === true;
  const relayUrl = settings.source.url;
  const url = checked(() => streamUrl(relayUrl, undefined, { insecure }));
  return {
    kind: 'relay', url, token, insecure, cursor: createCursorFile(cursorPath, url, logger),
    ...(cirrusToken ? { cirrus: api() } : {}), ...(githubToken ? { github: checked(() => githubApi()) } : {}),
  };
}

function checked<T>(make: () => T): T {
  try {
    return make();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
