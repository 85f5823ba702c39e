/**
 * Between the settings file and the window's settings form: the notification toggles, filters,
 * quiet hours and open-at-login. The window edits a subset of the settings (the rest, such as
 * coalescing and tray sizes, stays as the file has it). Sources are edited one at a time, each
 * saved on its own (sourceForm.ts), so saving this form never touches a source or a token.
 */
import type { SettingsForm, SettingsView } from '../core/ipc/contract.js';
import type { Settings } from '../client/settings/schema.js';

/** The window's view of the settings besides the sources. */
export function settingsView(settings: Settings): SettingsView {
  return {
    notifications: settings.notifications,
    mutedRepositories: settings.mutedRepositories,
    branches: settings.branches,
    quietHours: settings.quietHours,
    openAtLogin: settings.openAtLogin,
  };
}

/** Applies a (parsed) form to the current settings; the sources stay as they are. */
export function applySettingsForm(current: Settings, form: SettingsForm): Settings {
  return {
    ...current,
    notifications: { ...current.notifications, ...form.notifications },
    mutedRepositories: form.mutedRepositories,
    branches: form.branches,
    quietHours: form.quietHours,
    openAtLogin: form.openAtLogin,
  };
}
