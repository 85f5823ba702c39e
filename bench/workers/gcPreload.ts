/**
 * Bench-only preload for the relay (`node --expose-gc --import .../gcPreload.js bin/buildbell.js
 * relay`): on SIGUSR2 it runs two full collections and prints `[bench-gc] done` to stderr, so the
 * memory figure reads /proc/<pid>/status after a GC. It adds no endpoint to the relay itself.
 */
const collect = (globalThis as { gc?: () => void }).gc;
if (!collect) throw new Error('gcPreload needs node --expose-gc');
process.on('SIGUSR2', () => {
  collect();
  // A second pass frees what the first one's finalizers released.
  setImmediate(() => {
    collect();
    process.stderr.write('[bench-gc] done\n');
  });
});
