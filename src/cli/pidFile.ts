/**
 * `--pid-file` for long-running commands (`relay`, `simulate`): the process's own id, for scripts.
 * Started through `npx` or `npm exec`, `$!` is npm's id, and npm does not pass SIGTERM on.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';

/** This process's id in `file`, written whole (a temporary file renamed over it), so a reader never sees half. */
export function writePidFile(file: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${process.pid}\n`);
  renameSync(temporary, file);
}

/** Removes `file` if it still names this process (another instance may have taken it over). */
export function removePidFile(file: string): void {
  try {
    if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file);
  } catch {
    // Already gone: nothing to clean.
  }
}
