/**
 * `npm start`: launches the desktop app on the Electron binary, or says in one sentence how to
 * get one. `npm ci` does not download Electron on purpose (its install script is not allowed to
 * run), so a fresh checkout has the package but no binary; crashing with Electron's own
 * "failed to install correctly" would not say what to do.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The sentence `npm start` prints without an Electron binary. */
export const MISSING_ELECTRON =
  'No Electron binary is installed (npm ci skips its download on purpose): run `node node_modules/electron/install.js` to download it, then `npm start` again, or run `npm run demo` for the same engine headless in a terminal.';

/** The Electron binary's path, or null when the package or its binary is missing. */
export function findElectron(resolveFrom: string): string | null {
  try {
    const binary: unknown = createRequire(resolveFrom)('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

/** Runs the app; resolves with the exit code. */
export async function launch(root: string, write: (text: string) => void, extraArgs: readonly string[] = []): Promise<number> {
  const electron = findElectron(path.join(root, 'package.json'));
  if (electron === null) {
    write(`${MISSING_ELECTRON}\n`);
    return 1;
  }
  const child = spawn(electron, [root, ...extraArgs], { stdio: 'inherit' });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  void launch(root, (text) => process.stderr.write(text), process.argv.slice(2)).then((code) => (process.exitCode = code));
}
