/**
 * `buildbell watch`: the notification engine in a terminal, with real OS notifications. Reads the
 * settings file, lets flags replace its sources (watchSettings.ts), and wires the client session
 * (every source → one engine) to the notifier, the opener and the terminal view. Runs until
 * SIGINT or SIGTERM.
 */
import { homedir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createSystemNotifier } from '../../client/notifiers/select.js';
import { createSystemOpener } from '../../client/opener.js';
import { openableHosts } from '../../client/webHosts.js';
import { loadSettings, saveSettings } from '../../client/settings/file.js';
import { settingsFilePath } from '../../client/settings/path.js';
import { createClientSession } from '../../client/session/session.js';
import { createTokenResolver, memoryTokenSource } from '../../client/session/tokens.js';
import type { Command } from '../io.js';
import { watchSettings, type WatchValues } from './watchSettings.js';
import { UsageError } from '../io.js';
import { createStderrLogger } from '../logger.js';
import { createTerminalView } from '../terminalView.js';
import { untilStopped } from '../untilStopped.js';
import { startWatchTray } from './watchTray.js';

const HELP = `usage: buildbell watch [sources] [options]

Desktop notifications for CI builds, from a terminal. Click a notification: the build opens.
Sources combine: one command can hold a relay, GitHub, GitLab and Cirrus polling at once.

sources (default: the settings file's, which default to the demo):
  --relay <url>[,<url>...] --token <token>
                                     a buildbell relay, e.g. ws://127.0.0.1:8787 ($BUILDBELL_TOKEN);
                                     several URLs are instances of one relay, tried in order
  --cirrus-repos <owner/name,...>    poll the Cirrus API (--cirrus-token optional for public
                                     repositories; $BUILDBELL_CIRRUS_TOKEN)
  --github-repos <owner/name,...>    poll the GitHub REST API for workflow runs (--github-token
                                     optional for public repositories, then 60 requests an hour;
                                     $BUILDBELL_GITHUB_TOKEN)
  --gitlab-repos <group/project,...> poll the GitLab REST API for pipelines (--gitlab-token
                                     optional for public projects; $BUILDBELL_GITLAB_TOKEN)
  --repos <owner/name,...> [--provider cirrus|github|gitlab]
                                     poll one CI (the default is the CI whose token is given,
                                     else Cirrus)
  --demo [--provider github|gitlab] [--seed <n>] [--speed <x>]
                                     the built-in simulator (Cirrus, GitHub Actions or GitLab CI)

options:
  --cirrus-token <token>   Cirrus API token; with --relay: Approve and Re-run (a token with WRITE)
  --github-token <token>   GitHub token; with --relay: Approve and Re-run for GitHub runs
                           (Actions: Read and write)
  --gitlab-token <token>   GitLab access token (read_api; api for Approve and Re-run); with
                           --relay: Approve and Re-run for GitLab pipelines
  --endpoint <url>         Cirrus GraphQL endpoint (default https://api.cirrus-ci.com/graphql)
  --github-api <url>       GitHub REST API (default https://api.github.com; GHES: https://<host>/api/v3)
  --gitlab-api <url>       GitLab REST API (default https://gitlab.com/api/v4)
  --interval <time>        poll interval of every polled CI (default 60s, never under 15s)
  --insecure               with --relay: accept ws:// or http:// to another machine, where the
                           token travels in cleartext (default: only to 127.0.0.0/8, ::1, localhost)
  --settings <file>        settings file (default: ${'<config folder>'}/buildbell/settings.json);
                           its "sources" list is used when no source flag is given
  --tray                   also a tray icon with the recent builds, mutes and pause (Linux:
                           StatusNotifierItem; "tray": true in the settings does the same)

environment:
  $BUILDBELL_TOKEN, $BUILDBELL_CIRRUS_TOKEN, $BUILDBELL_GITHUB_TOKEN, $BUILDBELL_GITLAB_TOKEN
                           the tokens above
  $BUILDBELL_OPENER        a program run with the URL instead of the system's opener
`;

/** The flags of `watch`; an unknown or malformed one is a UsageError. */
export function parseWatchArgs(args: string[]): WatchValues & { help?: boolean; settings?: string; tray?: boolean } {
  try {
    return parseArgs({
      args,
      options: {
        relay: { type: 'string' },
        token: { type: 'string' },
        'cirrus-repos': { type: 'string' },
        'cirrus-token': { type: 'string' },
        'github-repos': { type: 'string' },
        'github-token': { type: 'string' },
        'github-api': { type: 'string' },
        'gitlab-repos': { type: 'string' },
        'gitlab-token': { type: 'string' },
        'gitlab-api': { type: 'string' },
        provider: { type: 'string' },
        repos: { type: 'string' },
        endpoint: { type: 'string' },
        interval: { type: 'string' },
        demo: { type: 'boolean' },
        seed: { type: 'string' },
        speed: { type: 'string' },
        settings: { type: 'string' },
        insecure: { type: 'boolean' },
        tray: { type: 'boolean' },
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
  const loaded = await loadSettings(settingsFile);
  const chosen = watchSettings(values, loaded, io);

  const notifier = await createSystemNotifier({ platform: process.platform, env: io.env, logger });
  const session = createClientSession({
    settings: chosen.settings,
    tokens: createTokenResolver({ store: memoryTokenSource(chosen.tokens, 'watch reads tokens from its flags and environment variables'), env: io.env }),
    folder: path.dirname(settingsFile),
    notifier,
    // Pages only of the public CIs and the sources' own servers (GitHub Enterprise, self-managed GitLab), as in the app.
    opener: createSystemOpener({ platform: process.platform, env: io.env, allowedHosts: () => openableHosts(chosen.settings.sources) }),
    logger,
    clock: Date.now,
    // Loaded only when a demo source exists: the simulators bring graphql-js.
    demo: async (options) => (await import('../../sim/demoFeed.js')).startDemoFeed(options),
  });
  const { engine } = session;
  // Mute and pause are saved; sources the flags chose are not written over the file's own.
  engine.onSettingsChange((changed) => {
    const next = chosen.sourcesFromFlags ? { ...changed, sources: loaded.sources } : changed;
    void saveSettings(settingsFile, next).catch((error: Error) => logger.error(error.message));
  });

  const names = chosen.settings.sources.map((source) => source.name).join(', ') || 'no source';
  view.setHeader(`buildbell watch · ${names} · notifications: ${notifier.describe}`);
  log.write(`buildbell watch: ${names}; notifications through ${notifier.describe}\n`);
  engine.onTrayModelChange((model) => view.render(model));
  // Once a minute, so "last event 2 min ago" stays true on a quiet day; the view redraws only if that changed.
  const redraw = setInterval(() => view.render(engine.trayModel()), 60_000);
  redraw.unref();
  await session.start();
  const problems = session.sources().filter((source) => source.problem !== null);
  // Nothing can run: say why and stop, as a bad flag would, rather than watch nothing.
  if (problems.length > 0 && problems.length === session.sources().length) {
    clearInterval(redraw);
    view.close();
    await session.stop();
    await notifier.close();
    throw new UsageError(problems.map((source) => `“${source.name}” cannot run: ${source.problem}`).join('\n'));
  }
  for (const source of problems) log.write(`buildbell watch: “${source.name}” cannot run: ${source.problem}\n`);
  const quit = new AbortController();
  const tray = values.tray || chosen.settings.tray.enabled ? await startWatchTray(engine, { env: io.env, logger, clock: Date.now, quit: () => quit.abort() }) : null;
  view.render(engine.trayModel());

  await untilStopped(quit.signal);
  clearInterval(redraw);
  await tray?.stop();
  view.close();
  await session.stop();
  await notifier.close();
  return 0;
};
