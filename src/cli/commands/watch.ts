/**
 * `buildbell watch`: the notification engine in a terminal, with real OS notifications. Reads the
 * settings file for filters and toggles, lets flags choose the source, and wires: source →
 * engine → notifier, opener and terminal view. Runs until SIGINT or SIGTERM.
 */
import { homedir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createEngine } from '../../client/engine/engine.js';
import { createSystemNotifier } from '../../client/notifiers/select.js';
import { createSystemOpener } from '../../client/opener.js';
import { loadSettings, saveSettings } from '../../client/settings/file.js';
import { settingsFilePath } from '../../client/settings/path.js';
import { prepareSource } from '../../client/sources/startSource.js';
import { routeBuildActions, type SourceActions } from '../../client/sources/actionRouter.js';
import type { Command } from '../io.js';
import { chooseWatchSource, type WatchValues } from './watchSource.js';
import { UsageError } from '../io.js';
import { createStderrLogger } from '../logger.js';
import { createTerminalView } from '../terminalView.js';
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

environment:
  $BUILDBELL_TOKEN, $BUILDBELL_CIRRUS_TOKEN, $BUILDBELL_GITHUB_TOKEN   the tokens above
  $BUILDBELL_OPENER        a program run with the URL instead of the system's opener
`;

/** The flags of `watch`; an unknown or malformed one is a UsageError. */
export function parseWatchArgs(args: string[]): WatchValues & { help?: boolean; settings?: string } {
  try {
    return parseArgs({
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
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export const watchCommand: Command = async (args, io) => {
  const values = parseWatchArgs(args);
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
  const choice = chooseWatchSource(values, settings, io, path.join(path.dirname(settingsFile), 'relay-cursor.json'), logger);

  const clock = Date.now;
  const source = await prepareSource(choice, { logger, clock });
  const notifier = await createSystemNotifier({ platform: process.platform, env: io.env, logger });
  const engine = createEngine({
    settings,
    clock,
    notifier,
    opener: createSystemOpener({ platform: process.platform, env: io.env }),
    logger,
    ...actionsOf(source.actions),
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

function actionsOf(actions: readonly SourceActions[]) {
  const routed = routeBuildActions(actions);
  return routed ? { actions: routed } : {};
}
