/**
 * Where the app finds its files. The settings file is the one `buildbell watch` reads (so the
 * terminal and the tray share mutes and filters); `BUILDBELL_SETTINGS` overrides it, which the
 * end-to-end test uses to run against a temporary folder. Tokens live beside it, encrypted.
 */
import path from 'node:path';
import { settingsFilePath, type PathContext } from '../client/settings/path.js';
import type { AppFiles } from './appProtocol.js';

export interface AppPaths {
  readonly settingsFile: string;
  readonly tokensFile: string;
  readonly iconsFolder: string;
  readonly appIcon: string;
  /** The compiled preload, CommonJS. */
  readonly preload: string;
  readonly files: AppFiles;
}

/** `appRoot` is the folder holding package.json (Electron's `app.getAppPath()`, inside the asar when packaged). */
export function appPaths(appRoot: string, context: PathContext): AppPaths {
  const settingsFile = context.env.BUILDBELL_SETTINGS || settingsFilePath(context);
  return {
    settingsFile,
    tokensFile: path.join(path.dirname(settingsFile), 'tokens.json'),
    iconsFolder: path.join(appRoot, 'build', 'icons'),
    appIcon: path.join(appRoot, 'build', 'icon.png'),
    preload: path.join(appRoot, 'dist', 'preload', 'index.cjs'),
    files: { pages: path.join(appRoot, 'renderer'), scripts: path.join(appRoot, 'dist', 'renderer', 'renderer') },
  };
}
