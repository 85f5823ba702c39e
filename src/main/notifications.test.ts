import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fake, resetFakeElectron } from '../../test/support/fakeElectron.js';
import type { NotificationIntent } from '../core/ports.js';
import { ElectronNotifier, notificationOptions } from './notifications.js';

vi.mock('./electron.js', async () => (await import('../../test/support/fakeElectron.js')).fakeElectronModule());

const failed: NotificationIntent = {
  key: 'build:cirrus:1',
  title: '✗ acme/web · main failed',
  body: 'Fix the parser\nby alice',
  url: 'https://cirrus-ci.com/build/1',
  urgency: 'critical',
  actions: [{ id: 'rerun', label: 'Re-run failed tasks' }],
};

beforeEach(() => resetFakeElectron());

describe('notificationOptions', () => {
  it('puts the intent in Electron terms, with the action buttons on macOS', () => {
    expect(notificationOptions(failed, 'darwin', '/icon.png')).toEqual({
      title: '✗ acme/web · main failed',
      body: 'Fix the parser\nby alice',
      silent: false,
      urgency: 'critical',
      timeoutType: 'never',
      actions: [{ type: 'button', text: 'Re-run failed tasks' }],
    });
  });

  it('shows an update of a notification silently: Electron replaces it with a new one', () => {
    for (const platform of ['darwin', 'linux', 'win32'] as const) {
      expect(notificationOptions({ ...failed, quiet: true }, platform).silent).toBe(true);
    }
  });

  it('has no buttons on Linux and Windows, where Electron offers none, and carries the icon', () => {
    for (const platform of ['linux', 'win32'] as const) {
      const options = notificationOptions(failed, platform, '/icon.png');
      expect(options.actions).toBeUndefined();
      expect(options.icon).toBe('/icon.png');
    }
  });

  it('escapes the body on Linux, where libnotify servers read it as markup, and nowhere else', () => {
    const log = { ...failed, body: 'Lint: command “lint” failed\n> <b>error</b> & more' };
    expect(notificationOptions(log, 'linux').body).toBe('Lint: command “lint” failed\n&gt; &lt;b&gt;error&lt;/b&gt; &amp; more');
    expect(notificationOptions(log, 'darwin').body).toBe(log.body);
    expect(notificationOptions(log, 'win32').body).toBe(log.body);
  });
});

describe('ElectronNotifier', () => {
  it('routes a click to open and a macOS button to its action', async () => {
    const notifier = new ElectronNotifier({ platform: 'darwin' });
    const activations: string[] = [];
    notifier.onActivate((key, action) => activations.push(`${key} ${action}`));
    await notifier.show(failed);
    fake.notifications[0]!.click();
    fake.notifications[0]!.pressAction(0);
    expect(activations).toEqual(['build:cirrus:1 open', 'build:cirrus:1 rerun']);
  });

  it('routes the macOS "I\'m on it" button to acknowledge', async () => {
    const notifier = new ElectronNotifier({ platform: 'darwin' });
    const activations: string[] = [];
    notifier.onActivate((key, action) => activations.push(`${key} ${action}`));
    await notifier.show({ ...failed, actions: [...failed.actions, { id: 'acknowledge', label: "I'm on it" }] });
    expect(fake.notifications[0]!.options).toMatchObject({ actions: [{ type: 'button', text: 'Re-run failed tasks' }, { type: 'button', text: "I'm on it" }] });
    fake.notifications[0]!.pressAction(1);
    expect(activations).toEqual(['build:cirrus:1 acknowledge']);
  });

  it('replaces the notification with the same key', async () => {
    const notifier = new ElectronNotifier({ platform: 'linux' });
    await notifier.show(failed);
    await notifier.show({ ...failed, title: '✗ acme/web · main still failing' });
    expect(fake.notifications.map((n) => [n.shown, n.closed])).toEqual([[true, true], [true, false]]);
  });

  it('says so when the desktop has no notification service', async () => {
    const notifier = new ElectronNotifier({ platform: 'linux' });
    const { FakeNotification } = await import('../../test/support/fakeElectron.js');
    FakeNotification.supported = false;
    await expect(notifier.show(failed)).rejects.toThrow(/no notification service/);
  });
});
