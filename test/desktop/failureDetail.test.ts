/**
 * Issue 17 on a real desktop: a failed build's notification appears at once, and when the Cirrus
 * API (the simulator's, over HTTP) says which command failed and how its log ends, the same
 * notification is replaced in place (dunst shows one, and received two), its log lines escaped
 * for dunst's markup and free of the log's colour codes. What dunst received is read through its
 * rule script (test/support/dunst.ts), not from what the notifier meant to send.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/client/engine/engine.js';
import { settingsSchema } from '../../src/client/settings/schema.js';
import { createCirrusFailureDetail } from '../../src/client/sources/cirrus/failureDetail.js';
import { silentLogger } from '../../src/core/ports.js';
import { isDisplaySafe } from '../../src/core/text/displayText.js';
import { createCirrusApi } from '../../src/providers/cirrus/api/client.js';
import { startSimulator, type Simulator } from '../../src/sim/simulator.js';
import { desktopForFile } from '../support/desktop.js';

// Skipped, with the missing programs named, where there is no Xvfb, dunst...; failed under BUILDBELL_REQUIRE_DESKTOP=1.
const onDesktop = await desktopForFile();
const { gate } = onDesktop;

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

describe.skipIf(gate.skip)(`failure detail on a real notification server${gate.skipNote}`, () => {
  it('updates the failed build’s notification in place with the failed command and its log’s last lines', async () => {
    sim = await startSimulator({ autoAdvance: false, scenario: false, seed: 5 });
    const notifier = await onDesktop.freedesktopNotifier();
    const engine = createEngine({
      settings: settingsSchema.parse({}),
      clock: Date.now,
      notifier,
      opener: async () => {},
      logger: silentLogger,
      localMinutesOfDay: () => 12 * 60,
      failureDetail: createCirrusFailureDetail(createCirrusApi({ endpoint: sim.graphqlUrl! })),
    });
    try {
      sim.onEvent(({ event }) => engine.handle(event));
      sim.startBuild({ repository: 'acme/web', outcome: 'fail', title: 'Speed up the test suite' });
      // Long enough for every task to end; short of the fix the story pushes 15 s after a break.
      sim.advance(20_000);

      const [first, second] = await onDesktop.desktop.received(2, 5_000);
      expect(first!.summary).toBe('✗ acme/web · main failed');
      expect(first!.body).not.toMatch(/command/);
      expect(second!.summary).toBe(first!.summary);
      const lines = second!.body.split('\n');
      expect(lines.slice(0, 3)).toEqual(first!.body.split('\n'));
      expect(lines[3]).toMatch(/^[^:]+: command “\w+” failed$/);
      expect(lines.slice(4).length).toBeGreaterThanOrEqual(1);
      for (const line of lines.slice(4)) expect(line.startsWith('&gt; '), line).toBe(true);
      for (const line of lines) expect(isDisplaySafe(line), JSON.stringify(line)).toBe(true);
      // Replaced, not added: one notification on screen.
      await onDesktop.desktop.waitForDisplayed(1);
      expect(await onDesktop.desktop.displayedCount()).toBe(1);
    } finally {
      engine.close();
    }
  });
});
