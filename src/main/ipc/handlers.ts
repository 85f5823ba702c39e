/**
 * What main answers to each request of the settings window, on top of the runtime. Payloads
 * arrive parsed (see registrar.ts). Failures the user can fix come back as `{ ok: false, error }`
 * sentences for the window to show; nothing here returns a token.
 *
 * Every sentence sent to the window is cleaned with `displayLine`: errors often quote a server
 * (a relay's or an API's message) and reach the page's text. The tray model comes clean from the
 * engine. The renderer sets all text with `textContent`, so nothing here is markup either way.
 */
import type { AppState, Outcome, SourceForm } from '../../core/ipc/contract.js';
import { connectionLines } from '../../core/engine/trayText.js';
import type { NotificationIntent } from '../../core/ports.js';
import { displayLine } from '../../core/text/displayText.js';
import type { TokenStore } from '../../client/settings/tokenStore.js';
import { testConnection, type ConnectionTestTarget } from '../../client/sources/connectionTest.js';
import { connectionTestSource } from '../../client/session/connectionTestSource.js';
import type { ElectronNotifier } from '../notifications.js';
import type { DesktopRuntime } from '../runtime.js';
import { applySettingsForm, settingsView, TOKEN_REFS, formSource } from '../settingsForm.js';
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
  const source = formSource(settings);
  const tokenStored =
    source.kind === 'demo' ? false : source.kind === 'cirrus' && source.token !== undefined ? true : source.tokenRef !== undefined && (await tokens.has(source.tokenRef));
  const actionTokensStored =
    source.kind === 'relay'
      ? { cirrus: await storedUnder(tokens, source.cirrusTokenRef), github: await storedUnder(tokens, source.githubTokenRef) }
      : undefined;
  const reason = tokens.unavailableReason();
  const tray = runtime.engine().trayModel();
  return {
    settings: settingsView(settings, tokenStored, actionTokensStored),
    tray,
    connectionLines: connectionLines(tray.connections, Date.now()),
    tokenStorage: { available: reason === null, reason: cleanOrNull(reason) },
    firstRun: runtime.firstRun(),
    problem: cleanOrNull(runtime.problem()),
  };
}

export function createInvokeHandlers(context: HandlerContext): InvokeHandlers {
  const { runtime, tokens } = context;
  return {
    getState: () => appState(context),

    async saveSettings(form) {
      const { settings, newTokens } = applySettingsForm(runtime.settings(), form);
      try {
        for (const { ref, token } of newTokens) await tokens.set(ref, token);
        if (formSource(settings).kind === 'relay' && !(await tokens.has(TOKEN_REFS.relay))) {
          return failure('The relay needs a token: enter the one the relay’s operator gave you.');
        }
        // A new token changes nothing in the settings file, yet the source must restart to use it.
        await runtime.applySettings(settings, { restartSources: newTokens.length > 0 ? [formSource(settings).name] : [] });
        return { ok: true, value: await appState(context) };
      } catch (error) {
        return failure((error as Error).message);
      }
    },

    async testConnection({ source }) {
      try {
        const result = await testConnection(await testTarget(source, context));
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

/** The source to test: the form's values, with the stored token when the form brings none. */
async function testTarget(source: SourceForm, context: HandlerContext): Promise<ConnectionTestTarget> {
  if (source.kind === 'demo') return source;
  const token = source.token ?? (await context.tokens.get(TOKEN_REFS[source.kind]));
  const current = formSource(context.runtime.settings());
  return connectionTestSource(source, token, {
    ...(context.cirrusEndpoint ? { cirrusEndpoint: context.cirrusEndpoint } : {}),
    ...(current.kind === 'github' && current.apiUrl ? { githubApiUrl: current.apiUrl } : {}),
  });
}

async function storedUnder(tokens: TokenStore, ref: string | undefined): Promise<boolean> {
  return ref !== undefined && (await tokens.has(ref));
}

/** Long enough for any sentence of ours with a server's message in it. */
const MAX_SENTENCE = 1000;

function cleanOrNull(text: string | null): string | null {
  return text === null ? null : displayLine(text, MAX_SENTENCE) || null;
}

function failure(error: string): Outcome<never> {
  return { ok: false, error: displayLine(error, MAX_SENTENCE) };
}
