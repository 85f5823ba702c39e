/**
 * The notifiers and the opener against a real notification server: dunst on Xvfb with a private
 * session bus (test/support/desktop.ts). What is asserted is what a user sees and does: dunst
 * draws the notification, a click on it reaches onActivate, and the click opens the build page.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NotificationActionId, NotificationIntent, NotifierPort } from '../../src/core/ports.js';
import { silentLogger } from '../../src/core/ports.js';
import { createNotifySendNotifier } from '../../src/client/notifiers/notifySend.js';
import { createSystemNotifier } from '../../src/client/notifiers/select.js';
import { createSystemOpener } from '../../src/client/opener.js';
import { projectRoot } from '../support/paths.js';
import { NORMAL_BACKGROUND } from '../support/dunst.js';
import type { RecordingOpener } from '../support/recordingOpener.js';
import { createRecordingOpener } from '../support/recordingOpener.js';
import { desktopForFile } from '../support/desktop.js';

const failedBuild: NotificationIntent = {
  key: 'cirrus:build:5001',
  title: 'Build failed: acme/widgets',
  body: 'main @ 3f2a9c1 <b>not bold</b> & co',
  url: 'https://cirrus-ci.com/build/5001',
  urgency: 'normal',
  actions: [{ id: 'rerun', label: 'Re-run failed tasks' }],
};

// Skipped, with the missing programs named, where there is no Xvfb, dunst...; failed under BUILDBELL_REQUIRE_DESKTOP=1.
const onDesktop = await desktopForFile();
const { gate } = onDesktop;

function nextActivation(notifier: NotifierPort): Promise<[string, NotificationActionId]> {
  return new Promise((resolve) => notifier.onActivate((key, action) => resolve([key, action])));
}

/** Share of pixels in dunst's corner that have its normal-urgency background colour. */
function backgroundShare(rgb: Buffer): number {
  let matching = 0;
  for (let i = 0; i + 2 < rgb.length; i += 3) {
    if (rgb[i] === NORMAL_BACKGROUND[0] && rgb[i + 1] === NORMAL_BACKGROUND[1] && rgb[i + 2] === NORMAL_BACKGROUND[2]) matching++;
  }
  return matching / (rgb.length / 3);
}

describe.skipIf(gate.skip)(`freedesktop notifier on a real desktop${gate.skipNote}`, () => {
  it('shows a notification that dunst draws in its corner', async () => {
    const notifier = await onDesktop.freedesktopNotifier();
    expect(backgroundShare(await onDesktop.desktop.notificationAreaPixels())).toBe(0);

    await notifier.show(failedBuild);
    await onDesktop.desktop.waitForDisplayed(1);

    await expect.poll(async () => backgroundShare(await onDesktop.desktop.notificationAreaPixels())).toBeGreaterThan(0.3);
    const resultsDir = path.join(projectRoot, 'test-results');
    await mkdir(resultsDir, { recursive: true });
    await onDesktop.desktop.screenshot(path.join(resultsDir, 'desktop-notification.png'));
  });

  it('reports a click on the notification as open, for its key', async () => {
    const notifier = await onDesktop.freedesktopNotifier();
    const activation = nextActivation(notifier);
    await notifier.show(failedBuild);
    await onDesktop.desktop.waitForDisplayed(1);

    await onDesktop.desktop.clickNotification();

    expect(await activation).toEqual([failedBuild.key, 'open']);
    await onDesktop.desktop.waitForDisplayed(0);
  });

  it('replaces the notification when the same key is shown again', async () => {
    const notifier = await onDesktop.freedesktopNotifier();
    await notifier.show({ ...failedBuild, title: 'Build running: acme/widgets', body: 'main @ 3f2a9c1' });
    await onDesktop.desktop.waitForDisplayed(1);

    await notifier.show(failedBuild);
    await notifier.show({ ...failedBuild, key: 'cirrus:build:5002', url: 'https://cirrus-ci.com/build/5002' });
    await onDesktop.desktop.waitForDisplayed(2);

    // The click reaches the replaced notification under its key: the id map followed the replacement.
    const activation = nextActivation(notifier);
    await onDesktop.desktop.clickNotification();
    expect(await activation).toEqual([failedBuild.key, 'open']);
  });

  it('opens the build page when the notification is clicked', async () => {
    const recorder: RecordingOpener = await createRecordingOpener();
    try {
      const notifier = await onDesktop.freedesktopNotifier();
      const open = createSystemOpener({ platform: 'linux', env: { BUILDBELL_OPENER: recorder.executable } });
      const urlsByKey = new Map([[failedBuild.key, failedBuild.url]]);
      notifier.onActivate((key, action) => {
        const url = urlsByKey.get(key);
        if (action === 'open' && url !== undefined) void open(url);
      });
      await notifier.show(failedBuild);
      await onDesktop.desktop.waitForDisplayed(1);

      await onDesktop.desktop.clickNotification();

      expect(await recorder.waitForUrl()).toBe('https://cirrus-ci.com/build/5001');
    } finally {
      await recorder.remove();
    }
  });

  it('is what createSystemNotifier picks when the session bus has a notification server', async () => {
    const notifier = await createSystemNotifier({ platform: 'linux', env: onDesktop.desktop.env, logger: silentLogger });
    onDesktop.keep(notifier);
    expect(notifier.describe).toContain('D-Bus');

    await notifier.show(failedBuild);
    await onDesktop.desktop.waitForDisplayed(1);
  });
});

describe.skipIf(gate.skip)(`notify-send notifier on a real desktop${gate.skipNote}`, () => {
  it('shows a notification and replaces it by key', async () => {
    const notifier = createNotifySendNotifier({
      logger: silentLogger,
      run: (file, args) => onDesktop.desktop.run(file, [...args]),
    });
    onDesktop.keep(notifier);

    await notifier.show(failedBuild);
    await notifier.show({ ...failedBuild, title: 'Build passed: acme/widgets' });
    await onDesktop.desktop.waitForDisplayed(1);
  });
});

describe('system opener with the platform opener replaced on PATH', () => {
  it('runs xdg-open with the exact URL', async () => {
    const recorder = await createRecordingOpener();
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${recorder.directory}:${process.env.PATH ?? ''}` };
      delete env.BUILDBELL_OPENER;
      const open = createSystemOpener({ platform: 'linux', env });

      await open('https://cirrus-ci.com/task/42?log=main&x=1#L10');

      expect(await recorder.waitForUrl()).toBe('https://cirrus-ci.com/task/42?log=main&x=1#L10');
    } finally {
      await recorder.remove();
    }
  });
});
