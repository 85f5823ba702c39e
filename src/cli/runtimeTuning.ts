/**
 * V8 settings per command, applied by the installed `buildbell` before the command is loaded.
 *
 * `watch` idles for days and handles a few events a minute, so V8's optimising compiler (TurboFan)
 * buys it little, and what it compiles while the process starts (zod's schemas, the modules'
 * set-up) stays resident: 5 to 8 MiB of a 64 to 67 MiB process on Node 20, measured by
 * bench/figures/watchIdle.ts (issue #16). The price is paid in a long catch-up: 20,000 replayed
 * events (frames parsed and folded into the engine) took 2.2 s instead of 0.95 s when this was
 * written, still baseline-compiled (Sparkplug), once after a long absence. The relay and the other
 * commands keep V8's defaults: they do real work per request.
 */
import v8 from 'node:v8';

/** The V8 flags a command runs with, beyond Node's defaults. */
export function v8FlagsFor(command: string | undefined): string[] {
  return command === 'watch' ? ['--no-opt'] : [];
}

/** Sets them in this process. Flags that decide how code is compiled take effect for everything compiled afterwards. */
export function tuneRuntimeFor(command: string | undefined): void {
  for (const flag of v8FlagsFor(command)) v8.setFlagsFromString(flag);
}
