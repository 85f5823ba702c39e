/**
 * `npm start` in one step: gets the Electron binary if it is missing (Electron's own installer,
 * its progress shown), then builds, then launches the desktop app. The binary is checked first
 * so a machine that cannot get one hears so at once, not after a build. Only when the download
 * fails does it end non-zero, with one sentence on what to do.
 *
 * This file runs from dist/ as `npm ci` built it; the build it starts refreshes everything else.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectron, runElectronInstaller } from './electronBinary.js';

export { findElectron } from './electronBinary.js';

/** The sentence `npm start` prints when there is no Electron binary and the installer could not get one. */
export const MISSING_ELECTRON =
  'No Electron binary is installed (npm ci skips its download on purpose): run `node node_modules/electron/install.js` to download it, then `npm start` again, or run `npm run demo` for the same engine headless in a terminal.';

/** Printed before the installer runs, so its progress has a heading. */
export const DOWNLOADING_ELECTRON = "No Electron binary yet (npm ci skips its download): downloading it with Electron's own installer...";

/** Gets the binary if needed, builds, and runs the app; resolves with the exit code. */
export async function launch(root: string, write: (text: string) => void, extraArgs: readonly string[] = []): Promise<number> {
  const packageJson = path.join(root, 'package.json');
  let electron = findElectron(packageJson);
  if (electron === null) {
    write(`${DOWNLOADING_ELECTRON}\n`);
    const installed = await runElectronInstaller(root);
    electron = installed === 0 ? findElectron(packageJson) : null;
    if (electron === null) {
      write(`${MISSING_ELECTRON}\n`);
      return 1;
    }
  }
  const built = await runNpm(['run', 'build', '--if-present'], root);
  if (built !== 0) return built;
  return run(electron, [root, ...extraArgs], root);
}

/** npm: the one running `npm start` when there is one (no shell needed, on Windows neither). */
function runNpm(args: readonly string[], cwd: string): Promise<number> {
  const npmCli = process.env['npm_execpath'];
  if (npmCli && /\.c?js$/.test(npmCli)) return run(process.execPath, [npmCli, ...args], cwd);
  return run('npm', args, cwd, process.platform === 'win32');
}

function run(file: string, args: readonly string[], cwd: string, shell = false): Promise<number> {
  const child = spawn(file, args, { cwd, stdio: 'inherit', shell });
  return new Promise((resolve) => {
    child.on('error', () => resolve(1));
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  void launch(root, (text) => process.stderr.write(text), process.argv.slice(2)).then((code) => (process.exitCode = code));
}
