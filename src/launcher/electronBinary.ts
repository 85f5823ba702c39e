/**
 * Electron's binary: where it is, and getting it with Electron's own installer. `npm ci` does not
 * run Electron's download script (this project allows install scripts for better-sqlite3 only),
 * so a fresh clone has the package but no binary until `npm start` asks the installer for it.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The Electron binary's path, or null when the package or its binary is missing. */
export function findElectron(resolveFrom: string): string | null {
  try {
    // A fresh require each time: after an install the same process asks again.
    const binary: unknown = createRequire(resolveFrom)('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

/**
 * Runs the electron package's own `install.js` (the script `npm ci` skipped) with the terminal
 * attached, so its progress and its errors show; resolves with its exit code (1 when the package
 * itself is missing).
 */
export function runElectronInstaller(root: string): Promise<number> {
  let installer: string;
  try {
    installer = path.join(path.dirname(createRequire(path.join(root, 'package.json')).resolve('electron/package.json')), 'install.js');
  } catch {
    return Promise.resolve(1);
  }
  if (!existsSync(installer)) return Promise.resolve(1);
  const child = spawn(process.execPath, [installer], { cwd: path.dirname(installer), stdio: 'inherit' });
  return new Promise((resolve) => {
    child.on('error', () => resolve(1));
    child.on('exit', (code) => resolve(code ?? 1));
  });
}
