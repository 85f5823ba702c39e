/** A recording stand-in for the system opener, so a test can assert which URL a click opened. */
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A stand-in for xdg-open that appends each URL it is given to a file, for tests to read back. */
export interface RecordingOpener {
  /** The folder holding the script (named `xdg-open`, so it can be put first on PATH). */
  readonly directory: string;
  /** The executable, e.g. for `BUILDBELL_OPENER`. */
  readonly executable: string;
  /** The URLs opened so far, in order. */
  urls(): Promise<string[]>;
  /** Resolves with the first URL once one was opened; rejects after `timeoutMs` (default 3000). */
  waitForUrl(timeoutMs?: number): Promise<string>;
  /** Removes the folder. */
  remove(): Promise<void>;
}

/** Writes a recording opener script into a new temporary folder. */
export async function createRecordingOpener(): Promise<RecordingOpener> {
  const directory = await mkdtemp(path.join(tmpdir(), 'buildbell-opener-'));
  const log = path.join(directory, 'opened.txt');
  const executable = path.join(directory, 'xdg-open');
  // printf, not echo: echo would interpret a URL's backslashes on some shells.
  await writeFile(executable, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${log}'\n`);
  await chmod(executable, 0o755);
  const urls = async () => {
    try {
      return (await readFile(log, 'utf8')).split('\n').filter((line) => line !== '');
    } catch {
      return [];
    }
  };
  return {
    directory,
    executable,
    urls,
    async waitForUrl(timeoutMs = 3000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const [first] = await urls();
        if (first !== undefined) return first;
        if (Date.now() > deadline) throw new Error(`the recording opener was not run within ${timeoutMs} ms`);
        await delay(25);
      }
    },
    remove: () => rm(directory, { recursive: true, force: true }),
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
