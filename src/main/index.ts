/**
 * The desktop app's entry: it only wires. The tray is the app; the settings window opens when
 * asked for (or on a first run, on the choice of source). Every module it wires does one thing:
 * see DESIGN.md and the README's architecture paragraph.
 */
import { homedir } from 'node:os';
import { createTokenStore } from '../client/settings/tokenStore.js';
import { registerAppScheme, serveAppFiles } from './appProtocol.js';
import { app, safeStorage } from './electron.js';
import { createInvokeHandlers, appState } from './ipc/handlers.js';
import { registerInvokeHandlers } from './ipc/registrar.js';
import { claimSingleInstance, hardenApp, liveInTray } from './lifecycle.js';
import { createConsoleLogger } from './logger.js';
import { applyOpenAtLogin } from './loginItem.js';
import { ElectronNotifier } from './notifications.js';
import { memoryReportRequest, scheduleMemoryReport } from './memoryReport.js';
import { createWebOpener } from './openExternal.js';
import { appPaths } from './paths.js';
import { createDesktopRuntime } from './runtime.js';
import { createSettingsWindow } from './settingsWindow.js';
import { createTrayController } from './tray.js';
import { runTrayCommand } from '../client/tray/trayCommands.js';
import { openableHosts } from '../client/webHosts.js';

const platform = process.platform;
const context = { platform, env: process.env, homedir: homedir() };
const logger = createConsoleLogger();

const paths = appPaths(app.getAppPath(), context);
const window = createSettingsWindow({ preload: paths.preload, icon: paths.appIcon });

if (claimSingleInstance(() => window.show())) {
  registerAppScheme();
  hardenApp();
  app.whenReady().then(start).catch((error: Error) => {
    logger.error('buildbell could not start', { error: error.stack ?? error.message });
    app.exit(1);
  });
} else {
  app.quit();
}

async function start(): Promise<void> {
  liveInTray(platform);
  serveAppFiles(paths.files);
  const tokens = createTokenStore(paths.tokensFile, safeStorage);
  const notifier = new ElectronNotifier({ platform, icon: paths.appIcon });
  const runtime = createDesktopRuntime({
    settingsFile: paths.settingsFile,
    tokens,
    notifier,
    // The hosts of the sources as they are at each click: a GitHub Enterprise source added later counts.
    opener: createWebOpener(() => openableHosts(runtime.settings().sources)),
    logger,
    clock: Date.now,
    // Loaded only when a demo source exists: the simulators bring graphql-js.
    demo: async (options) => (await import('../sim/demoFeed.js')).startDemoFeed(options),
    setOpenAtLogin: (enabled) =>
      void applyOpenAtLogin(enabled, { ...context, executable: process.execPath, app }).catch((error: Error) => logger.warn('could not set open at login', { error: error.message })),
  });
  const handlerContext = { runtime, tokens, notifier, showWindow: () => window.show('builds') };
  registerInvokeHandlers(createInvokeHandlers(handlerContext), (event) => window.isOwnSender(event));
  await runtime.start();

  const tray = createTrayController({
    platform,
    iconsFolder: paths.iconsFolder,
    clock: Date.now,
    model: () => runtime.engine().trayModel(),
    run: (command) => runTrayCommand(command, { engine: () => runtime.engine(), showSettings: () => window.show('notifications'), quit: () => app.quit() }),
  });
  runtime.onChange(() => {
    tray.render();
    void appState(handlerContext).then((state) => window.send('stateChanged', state));
  });
  if (runtime.firstRun()) window.show('sources');
  // Only when the environment asks (the desktop workflow's memory check): measure, write, quit.
  const memoryReport = memoryReportRequest(process.env);
  if (memoryReport) scheduleMemoryReport(memoryReport, { logger, platform, clock: Date.now });

  app.on('before-quit', () => {
    tray.destroy();
    void runtime.stop().then(() => notifier.close());
  });
}
