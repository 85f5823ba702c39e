import { describe, expect, it, vi } from 'vitest';
import { FakeTime } from '../../../test/support/fakeTime.js';
import { EngineSettings } from './liveSettings.js';
import { settingsSchema, type SettingsInput } from '../settings/schema.js';
import { NamedTimers } from './timers.js';

function setup(input: SettingsInput = {}, minutesOfDay: (now: number) => number = () => 12 * 60) {
  const time = new FakeTime(1_700_000_000_000);
  const applied: number[] = [];
  const refreshTray = vi.fn();
  const settings = new EngineSettings({
    initial: settingsSchema.parse(input),
    clock: time.clock,
    logger: { info: vi.fn(), warn: vi.fn(), error: vi.fn() },
    localMinutesOfDay: minutesOfDay,
    timers: new NamedTimers(time.timers, time.clock),
    onApply: (next) => applied.push(next.coalescing.burstThreshold),
    refreshTray,
  });
  const changes: string[][] = [];
  settings.onChange((next) => changes.push([...next.mutedRepositories]));
  return { time, settings, applied, refreshTray, changes };
}

describe('EngineSettings', () => {
  it('tells listeners of a mute or unmute that changed something, and of nothing else', () => {
    const { settings, changes, refreshTray } = setup();
    settings.mute('acme/*');
    settings.mute('acme/*');
    settings.unmute('other/*');
    settings.unmute('acme/*');
    expect(changes).toEqual([['acme/*'], []]);
    expect(refreshTray).toHaveBeenCalledTimes(2);
  });

  it('applies settings from outside without echoing them to listeners', () => {
    const { settings, changes, applied, refreshTray } = setup();
    const next = settingsSchema.parse({ coalescing: { burstThreshold: 9 } });
    settings.replace(next);
    expect(settings.current).toBe(next);
    expect(applied).toEqual([9]);
    expect(changes).toEqual([]);
    expect(refreshTray).toHaveBeenCalledTimes(1);
  });

  it('holds banners back while paused and redraws the tray when the pause ends', () => {
    const { time, settings, refreshTray } = setup();
    settings.pauseUntil(time.now + 60_000);
    expect(settings.bannerDecision(time.now)).toBe('paused');
    expect(settings.pausedUntilAt(time.now)).toBe(time.now + 60_000);
    refreshTray.mockClear();
    time.advance(60_000);
    expect(refreshTray).toHaveBeenCalledTimes(1);
    expect(settings.bannerDecision(time.now)).toBe('allowed');
    expect(settings.pausedUntilAt(time.now)).toBeNull();
  });

  it('redraws the tray when quiet hours begin and end, with no event to prompt it', () => {
    const start = 1_700_000_000_000;
    // 21:58 local at the start; one minute of fake time is one minute of the day.
    const minutes = (now: number) => (21 * 60 + 58 + Math.floor((now - start) / 60_000)) % (24 * 60);
    const { time, settings, refreshTray } = setup({ quietHours: { enabled: true, start: '22:00', end: '07:00' } }, minutes);
    expect(settings.isQuietHoursAt(time.now)).toBe(false);
    time.advance(60_000);
    expect(refreshTray).not.toHaveBeenCalled();
    time.advance(60_000); // 22:00
    expect(refreshTray).toHaveBeenCalledTimes(1);
    time.advance(9 * 60 * 60_000); // through 07:00
    expect(refreshTray).toHaveBeenCalledTimes(2);
    expect(settings.isQuietHoursAt(time.now)).toBe(false);
  });

  it('does not wake up for quiet hours while they are disabled', () => {
    const { time, refreshTray } = setup({ quietHours: { enabled: false, start: '22:00', end: '07:00' } });
    time.advance(24 * 60 * 60_000);
    expect(refreshTray).not.toHaveBeenCalled();
  });

  it('cancels the pause timer on resume and on close', () => {
    const { time, settings } = setup();
    settings.pauseUntil(time.now + 60_000);
    expect(time.pending).toBe(1);
    settings.resume();
    expect(time.pending).toBe(0);
    settings.pauseUntil(time.now + 60_000);
    settings.close();
    expect(time.pending).toBe(0);
  });
});
