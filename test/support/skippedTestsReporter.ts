/**
 * Says after the run which tests were skipped and why. The only skips allowed are the desktop and
 * Electron tests on a machine without the programs they need; their names end in
 * `[skipped: <reason>]`, and the default reporter would print only "20 skipped".
 */
import path from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

const NOTE = /\s*\[skipped: ([^\]]+)\]/;

export default class SkippedTestsReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    // One line per reason: how many tests, in which files.
    const byReason = new Map<string, { count: number; files: Set<string> }>();
    for (const testModule of testModules) {
      const file = path.relative(process.cwd(), testModule.moduleId);
      for (const test of testModule.children.allTests('skipped')) {
        const reason = NOTE.exec(test.fullName)?.[1] ?? `no reason given: ${test.fullName}`;
        const entry = byReason.get(reason) ?? { count: 0, files: new Set<string>() };
        entry.count += 1;
        entry.files.add(file);
        byReason.set(reason, entry);
      }
    }
    if (byReason.size === 0) return;
    const lines = [...byReason].map(([reason, { count, files }]) => `  ${count} skipped in ${[...files].join(', ')}: ${reason}`);
    process.stdout.write(`\nSkipped here, and why:\n${lines.join('\n')}\n`);
  }
}
