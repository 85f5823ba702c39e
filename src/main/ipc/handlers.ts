/**
 * What main answers to each request of the settings window, on top of the runtime. Payloads
 * arrive parsed (see registrar.ts). Failures the user can fix come back as `{ ok: false, error }`
 * sentences for the window to show; nothing here returns a token.
 *
 * Every sentence sent to the window is cleaned with `displayLine`: errors often quote a server
 * (a relay's or an API's message) and reach the page's text. The tray model comes clean from the
 * engine. The renderer sets all text with `textContent`, so nothing here is markup either way.
 */
import type { AppState, Outcome, RequestOf } from '../../core/ipc/contract.js';
import { connectionLines } from '../../core/engine/trayText.js';
import type { NotificationIntent } from '../../core/ports.js';
import { displayLine } from '../../core/text/displayText.js';
import type { TokenStore } from '../../client/settings/tokenStore.js';
import type { DesktopRuntime } from '../runtime.js';
import type { ElectronNotifier } from '../notifications.js';
import { applySettingsForm, settingsView } from '../settingsForm.js';
import { sourceViews } from '../sourceView.js';
import { removeSource, saveSource } from '../sourceSaving.js';
import { testSourceConnection } from '../sourceTesting.js';
import type { InvokeHandlers } from './registrar.js';

export interface HandlerContext {
  readonly runtime: DesktopRuntime;
  readonly tokens: TokenStore;
  readonly notifier: Pick<ElectronNotifier, 'showOwn'>;
  /** Opens the settings window (a click on the test notification). */
  readonly showWindow: () => void;
  readonly cirrusEndpoint?: string;
}

/** The test notification: what a real one looks like, and proof that banners get through. */
export const TEST_NOTIFICATION: NotificationIntent = {
  key: 'buildbell:test',
  title: '✓ buildbell can notify you',
  body: 'This is a test. Build notifications look like this; clicking one opens the build.',
  url: 'https://cirrus-ci.com/',
  urgency: 'normal',
  actions: [],
};

/** The window's view of the app. */
export async function appState(context: HandlerContext): Promise<AppState> {
  const { runtime, tokens } = context;
  const settings = runtime.settings();
  const reason = tokens.unavailableReason();
  const tray = runtime.engine().trayModel();
  const now = Date.now();
  return {
    settings: settingsView(settings),
    sources: await sourceViews(settings, tokens, tray.connections, now),
    tray,
    connectionLines: connectionLines(tray.connections, now),
    tokenStorage: { available: reason === null, reason: cleanOrNull(reason) },
    firstRun: runtime.firstRun(),
    problem: cleanOrNull(runtime.problem()),
  };
}

export function createInvokeHandlers(context: HandlerContext): InvokeHandlers {
  const { runtime } = context;
  /** Runs a change and answers with the new state, or with the sentence saying why it failed. */
  const changing = async (change: () => Promise<string | null>): Promise<Outcome<AppState>> => {
    try {
      const refused = await change();
      return refused === null ? { ok: true, value: await appState(context) } : failure(refused);
    } catch (error) {
      return failure((error as Error).message);
    }
  };
  return {
    getState: () => appState(context),

    saveSettings: (form) => changing(async () => {
      await runtime.applySettings(applySettingsForm(runtime.settings(), form));
      return null;
    }),

    saveSource: (request: RequestOf<'saveSource'>) => changing(() => saveSource(request, context)),

    removeSource: ({ name }) => changing(() => removeSource(name, context)),

    async testConnection(request) {
      try {
        const result = await testSourceConnection(request, context);
        return result.ok ? { ok: true, value: displayLine(result.message, MAX_SENTENCE) } : failure(result.message);
      } catch (error) {
        return failure((error as Error).message);
      }
    },

    async sendTestNotification() {
      try {
        context.notifier.showOwn(TEST_NOTIFICATION, context.showWindow);
        return { ok: true, value: 'Sent. If no banner appeared, check that notifications for buildbell are allowed in the system settings.' };
      } catch (error) {
        return failure(`Could not show a notification: ${(error as Error).message}`);
      }
    },

    async openBuild({ buildKey }) {
      await runtime.engine().activate(buildKey, 'open');
      return { ok: true, value: undefined };
    },
  };
}

/** Long enough for any sentence of ours with a server's message in it. */
const MAX_SENTENCE = 1000;

function cleanOrNull(text: string | null): string | null {
  return text === null ? null : displayLine(text, MAX_SENTENCE) || null;
}

function failure(error: string): Outcome<never> {
  return { ok: false, error: displayLine(error, MAX_SENTENCE) };
}
