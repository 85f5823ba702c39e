import { describe, expect, it } from 'vitest';
import { buildTrayModel, type OverallState, type TrayInput } from '../../../core/engine/trayModel.js';
import type { IconPixmap } from './iconPixmap.js';
import { escapeMarkup, itemLook } from './itemLook.js';

const NOW = 1_700_000_000_000;
const pixmaps = new Map<OverallState, IconPixmap[]>([
  ['offline', [[1, 1, Buffer.from([0, 0, 0, 1])]]],
  ['idle', [[1, 1, Buffer.from([0, 0, 0, 2])]]],
  ['paused', [[1, 1, Buffer.from([0, 0, 0, 3])]]],
]);

function model(overrides: Partial<TrayInput>) {
  return buildTrayModel({
    builds: [],
    branchOutcomes: [],
    events: [],
    repositories: [],
    visibility: { mutedRepositories: [], branchPatterns: [], onlyMine: { enabled: false, usernames: [] } },
    connections: [{ connected: true, source: 'demo', since: NOW, reason: null, lastEventAt: null }],
    pausedUntil: null,
    quietHours: false,
    canAct: () => false,
    ...overrides,
  });
}

describe('itemLook', () => {
  it('shows the state\'s icon and says the state and the connection in the tooltip', () => {
    const look = itemLook(model({}), NOW, pixmaps);
    expect(look).toEqual({ status: 'Active', pixmaps: pixmaps.get('idle'), tooltipTitle: 'buildbell', tooltipText: 'No builds yet · demo: connected · no events yet' });
    expect(itemLook(model({ pausedUntil: NOW + 1000 }), NOW, pixmaps).pixmaps).toBe(pixmaps.get('paused'));
  });

  it('escapes markup and cleans control and bidi characters a server put in its error message', () => {
    const reason = '<a href="https://evil.example">login</a> & \u202e\u001b[31mfix\u0000 \'now\'';
    const look = itemLook(model({ connections: [{ connected: false, source: 'relay <b>x</b>', since: NOW, reason, lastEventAt: null }] }), NOW, pixmaps);
    expect(look.pixmaps).toBe(pixmaps.get('offline'));
    // eslint-disable-next-line no-control-regex
    expect(look.tooltipText).not.toMatch(/[<>\u0000-\u001f\u202e]/);
    expect(look.tooltipText).toBe(
      'Offline: &#60;a href=&#34;https://evil.example&#34;&#62;login&#60;/a&#62; &#38; fix &#39;now&#39; · ' +
        'relay &#60;b&#62;x&#60;/b&#62;: &#60;a href=&#34;https://evil.example&#34;&#62;login&#60;/a&#62; &#38; fix &#39;now&#39;',
    );
  });

  it('escapes every markup character, and nothing else', () => {
    expect(escapeMarkup(`<>&"' plain_text ✓`)).toBe('&#60;&#62;&#38;&#34;&#39; plain_text ✓');
  });
});
