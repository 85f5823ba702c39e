/** A client session as both shells create it, for tests: a temporary folder, a recording notifier, tokens from a map or the environment. */
import { createClientSession, type ClientSession } from '../../src/client/session/session.js';
import { createTokenResolver, memoryTokenSource } from '../../src/client/session/tokens.js';
import { settingsSchema, type SettingsInput } from '../../src/client/settings/schema.js';
import type { DemoStarter } from '../../src/client/sources/demo/source.js';
import { silentLogger } from '../../src/core/ports.js';
import { startDemoFeed } from '../../src/sim/demoFeed.js';
import { RecordingNotifier } from './fakeNotifier.js';
import { makeTempDir } from './temp.js';

export interface TestSessionOptions {
  readonly tokens?: Record<string, string>;
  readonly env?: Record<string, string>;
  readonly demo?: DemoStarter;
  /** The session's folder (cursor files live there); default: a new temporary one. */
  readonly folder?: string;
}

/** Creates a session (not started); `cleanups` stops it and removes its folder after the test. */
export function createTestSession(cleanups: Array<() => Promise<void> | void>, settings: SettingsInput, options: TestSessionOptions = {}) {
  const temp = options.folder === undefined ? makeTempDir() : undefined;
  const folder = options.folder ?? temp!.dir;
  const notifier = new RecordingNotifier();
  const session: ClientSession = createClientSession({
    settings: settingsSchema.parse(settings),
    tokens: createTokenResolver({ store: memoryTokenSource(new Map(Object.entries(options.tokens ?? {})), 'tests keep no store'), env: options.env ?? {} }),
    folder,
    notifier,
    opener: async () => undefined,
    logger: silentLogger,
    clock: Date.now,
    demo: options.demo ?? startDemoFeed,
  });
  cleanups.push(() => temp?.remove(), () => session.stop());
  return { session, notifier, folder };
}

/** Creates and starts a session. */
export async function startTestSession(cleanups: Array<() => Promise<void> | void>, settings: SettingsInput, options: TestSessionOptions = {}) {
  const created = createTestSession(cleanups, settings, options);
  await created.session.start();
  return created;
}
