/**
 * What the end-to-end desktop tests share: one desktop per file (started before, stopped after,
 * cleared between tests), a recording opener per test, and a look into what the relay stored.
 */
import path from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { openRelayDatabase } from '../../src/relay/database.js';
import { DESKTOP_TOOLS, desktopGate, startDesktop, type Desktop, type DesktopGate } from './desktop.js';
import { killStartedProcesses, runBuildbell, startRelayProcess, type RunningCommand } from './processes.js';
import { createRecordingOpener, type RecordingOpener } from './recordingOpener.js';
import { seedRelayDatabase } from './relay.js';
import { makeTempDir } from './temp.js';

export interface EndToEnd {
  /** Whether this machine has the desktop's programs; the file's tests skip on it when not. */
  readonly gate: DesktopGate;
  readonly temp: { readonly dir: string };
  desktop(): Desktop;
  /** A fresh recording opener for this test, removed after it. */
  opener(): Promise<RecordingOpener>;
  /** The environment `buildbell watch` runs with: this desktop, its own config folder, the opener. */
  watchEnv(configDir: string, opener: RecordingOpener): NodeJS.ProcessEnv;
}

/**
 * Registers the hooks of an end-to-end test file; call once at its top level and skip the file's
 * tests on `gate.skip` (missing programs; under BUILDBELL_REQUIRE_DESKTOP=1 this throws instead).
 * `tools`: the programs the file needs (default: the desktop's).
 */
export async function useEndToEndDesktop(tools: Readonly<Record<string, string>> = DESKTOP_TOOLS): Promise<EndToEnd> {
  const gate = await desktopGate(process.env, tools);
  let desktop: Desktop | undefined;
  let opener: RecordingOpener | undefined;
  const temp = makeTempDir();
  beforeAll(async () => {
    if (!gate.skip) desktop = await startDesktop();
  });
  afterEach(async () => {
    await killStartedProcesses();
    await opener?.remove();
    opener = undefined;
    await desktop?.clearNotifications();
  });
  afterAll(async () => {
    await desktop?.stop();
    temp.remove();
  });
  return {
    gate,
    temp,
    desktop: () => desktop!,
    async opener() {
      opener = await createRecordingOpener();
      return opener;
    },
    watchEnv: (configDir, recording) => ({ ...desktop!.env, XDG_CONFIG_HOME: configDir, BUILDBELL_OPENER: recording.executable }),
  };
}

/** Every event the relay stored, and the pages of its failed builds and failed tasks. */
export function storedEvents(database: string) {
  const db = openRelayDatabase(database);
  try {
    const rows = db.prepare('SELECT event FROM events WHERE event IS NOT NULL').pluck().all() as string[];
    const events = rows.map((json) => JSON.parse(json) as {
      provider: string;
      build: { url: string; state: string };
      task: { url: string; state: string } | null;
    });
    const failurePages = new Set(events.flatMap((event) => [event.build, event.task].flatMap((item) => (item?.state === 'failed' ? [item.url] : []))));
    return { providers: new Set(events.map((event) => event.provider)), failurePages };
  } finally {
    db.close();
  }
}

/**
 * A relay process with channel `acme` and `buildbell watch` connected to it on this desktop; resolves
 * once watch says it is connected.
 */
export async function startRelayAndWatch(e2e: EndToEnd, opener: RecordingOpener): Promise<{ database: string; relayUrl: string; watch: RunningCommand }> {
  const seeded = seedRelayDatabase(e2e.temp.dir, 'acme');
  const { token } = seeded.issueToken();
  const relay = await startRelayProcess(seeded.file);
  const configDir = path.join(e2e.temp.dir, 'config-relay');
  const watch = runBuildbell(['watch', '--relay', relay.url.replace('http', 'ws'), '--token', token], e2e.watchEnv(configDir, opener));
  await watch.waitForOutput(/relay 127\.0\.0\.1:\d+: connected/);
  return { database: seeded.file, relayUrl: relay.url, watch };
}
