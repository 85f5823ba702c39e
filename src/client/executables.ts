/** Looks programs up on PATH the way a shell would, without running a shell. */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import path from 'node:path';

/**
 * The full path of the first executable named `name` in the `PATH` of `env`, or `undefined`.
 * On Windows, `PATHEXT` extensions are tried too. Used to decide, before relying on a helper such
 * as notify-send, whether it exists at all.
 */
export async function findExecutable(
  name: string,
  env: Readonly<Record<string, string | undefined>>,
  platform: NodeJS.Platform = process.platform,
): Promise<string | undefined> {
  const delimiter = platform === 'win32' ? ';' : ':';
  const extensions = platform === 'win32' ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';')] : [''];
  for (const directory of (env.PATH ?? '').split(delimiter)) {
    // An empty PATH entry means the current directory; a notifier should not run whatever is there.
    if (directory === '') continue;
    for (const extension of extensions) {
      const candidate = path.join(directory, name + extension);
      try {
        await access(candidate, constants.X_OK);
        return candidate;
      } catch {
        // Not here; try the next one.
      }
    }
  }
  return undefined;
}
