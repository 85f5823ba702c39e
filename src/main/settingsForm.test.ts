import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../client/settings/schema.js';
import { applySettingsForm, settingsView } from './settingsForm.js';

describe('the settings form besides the sources', () => {
  it('applies the toggles, filters and quiet hours, and never touches a source', () => {
    const current = { ...defaultSettings(), sources: [{ kind: 'relay' as const, name: 'work relay', url: 'https://relay.acme.dev', tokenRef: 'relay' }] };
    const next = applySettingsForm(current, {
      ...settingsView(current),
      notifications: { ...current.notifications, started: true },
      mutedRepositories: ['acme/legacy-*'],
      quietHours: { enabled: true, start: '22:00', end: '07:00' },
    });
    expect(next.sources).toBe(current.sources);
    expect(next.notifications.started).toBe(true);
    expect(next.mutedRepositories).toEqual(['acme/legacy-*']);
    expect(next.coalescing).toEqual(current.coalescing);
    expect(settingsView(next)).not.toHaveProperty('sources');
  });
});
