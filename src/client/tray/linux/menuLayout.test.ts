import { describe, expect, it } from 'vitest';
import { buildEvent, type EventSpec } from '../../../../test/support/engineEvents.js';
import { BuildTracker } from '../../../core/engine/buildTracker.js';
import { buildTrayModel, type TrayInput } from '../../../core/engine/trayModel.js';
import { trayMenu } from '../trayMenu.js';
import { dbusMenuLabel, MenuLayout, type MenuItem } from './menuLayout.js';

const NOW = 1_700_000_000_000;
const visibility = { mutedRepositories: [] as string[], branchPatterns: [], onlyMine: { enabled: false, usernames: [] } };

function entries(events: EventSpec[], overrides: Partial<TrayInput> = {}, now = NOW) {
  const tracker = new BuildTracker();
  for (const spec of events) tracker.apply(buildEvent(spec));
  const model = buildTrayModel({
    builds: tracker.builds(),
    branchOutcomes: tracker.branchOutcomes(),
    events: [],
    repositories: tracker.builds().map((build) => build.slug),
    visibility,
    connections: [{ connected: true, source: 'demo', since: NOW - 10_000, reason: null, lastEventAt: NOW - 60_000 }],
    pausedUntil: null,
    quietHours: false,
    canAct: () => true,
    ...overrides,
  });
  return trayMenu(model, { now, formatTime: String, tomorrowMorning: now + 1000 });
}

/** Every item below `item` with its label (or its type), depth first. */
function flatten(item: MenuItem): MenuItem[] {
  return item.children.flatMap((child) => [child, ...flatten(child)]);
}
const byLabel = (layout: MenuLayout, label: string) => flatten(layout.root).find((item) => item.properties['label'] === label);

const failing: EventSpec = { buildId: '1', state: 'failed', repo: 'web', title: 'Fix the parser', task: { id: 't1', name: 'lint', state: 'failed' } };
const running: EventSpec = { buildId: '2', state: 'running', repo: 'api', branch: 'feature_x', title: 'Add docs', at: 2 };

describe('MenuLayout', () => {
  it('renders the tray menu as dbusmenu items: labels disabled, separators, checkmarks, a submenu, commands', () => {
    const layout = new MenuLayout();
    layout.update(entries([failing]));
    const items = flatten(layout.root);
    expect(items[0]!.properties).toEqual({ label: '1 branch failing', enabled: false });
    expect(items[2]!.properties).toEqual({ type: 'separator' });
    expect(byLabel(layout, '✗ acme/web · main failed — Fix the parser')).toMatchObject({ command: { kind: 'open', buildKey: 'cirrus:1' } });
    expect(byLabel(layout, 'Re-run failed tasks: acme/web · main')).toMatchObject({ command: { kind: 'rerun', buildKey: 'cirrus:1' } });
    const submenu = byLabel(layout, 'Mute repositories')!;
    expect(submenu.properties).toEqual({ label: 'Mute repositories', 'children-display': 'submenu' });
    expect(submenu.children).toEqual([
      { id: expect.any(Number), properties: { label: 'acme/web', 'toggle-type': 'checkmark', 'toggle-state': 0 }, children: [], command: { kind: 'mute', pattern: 'acme/web' } },
    ]);
    expect(byLabel(layout, 'Quit buildbell')).toMatchObject({ properties: { label: 'Quit buildbell' }, command: { kind: 'quit' } });
    expect(new Set(items.map((item) => item.id)).size).toBe(items.length);
  });

  it('keeps each item\'s id across updates, gives new items new ids, and raises the revision', () => {
    const layout = new MenuLayout();
    layout.update(entries([failing]));
    const first = layout.revision;
    const build = byLabel(layout, '✗ acme/web · main failed — Fix the parser')!.id;
    const mute = byLabel(layout, 'acme/web')!.id;
    const quit = byLabel(layout, 'Quit buildbell')!.id;

    expect(layout.update(entries([failing, running])).layout).toBe(true);
    expect(layout.revision).toBeGreaterThan(first);
    expect(byLabel(layout, '✗ acme/web · main failed — Fix the parser')!.id).toBe(build);
    expect(byLabel(layout, 'acme/web')!.id).toBe(mute);
    expect(byLabel(layout, 'Quit buildbell')!.id).toBe(quit);
    const newBuild = byLabel(layout, '▶ acme/api · feature__x running — Add docs')!.id;
    expect([build, mute, quit]).not.toContain(newBuild);
  });

  it('ticks the same checkbox when its repository is muted: a property change, not a new item', () => {
    const layout = new MenuLayout();
    layout.update(entries([failing, running]));
    const mute = byLabel(layout, 'acme/web')!;
    const revision = layout.revision;
    const change = layout.update(entries([failing, running], { visibility: { ...visibility, mutedRepositories: ['acme/web'] } }));
    const muted = byLabel(layout, 'acme/web')!;
    expect(muted).toMatchObject({ id: mute.id, properties: { 'toggle-state': 1 }, command: { kind: 'unmute', pattern: 'acme/web' } });
    // Its builds left the menu, so the layout changed as well.
    expect(change.layout).toBe(true);
    expect(byLabel(layout, '✗ acme/web · main failed — Fix the parser')).toBeUndefined();
    expect(layout.revision).toBe(revision + 1);
  });

  it('reports a label that changed on the same items as a properties update, and nothing when nothing changed', () => {
    const layout = new MenuLayout();
    layout.update(entries([failing]));
    const revision = layout.revision;
    expect(layout.update(entries([failing]))).toEqual({ layout: false, properties: [] });
    expect(layout.revision).toBe(revision);

    const later = entries([failing], {}, NOW + 120_000);
    const connection = flatten(layout.root)[1]!;
    const change = layout.update(later);
    expect(change.layout).toBe(false);
    expect(change.properties).toContainEqual({ id: connection.id, properties: { label: 'demo: connected · last event 3 min ago' }, removed: [] });
    expect(layout.revision).toBe(revision + 1);
  });

  it('keeps "I\'m on it" the same item when it becomes "I\'m not on it any more"', () => {
    const layout = new MenuLayout();
    layout.update(entries([failing]));
    const item = byLabel(layout, "I'm on it: acme/web · main")!;
    expect(item.command).toEqual({ kind: 'acknowledge', buildKey: 'cirrus:1' });
    const change = layout.update(entries([failing], { onIt: () => [{ name: 'me', own: true, at: 1 }] }));
    expect(byLabel(layout, "I'm not on it any more: acme/web · main")).toMatchObject({ id: item.id, command: { kind: 'withdraw', buildKey: 'cirrus:1' } });
    // The line "↳ You're on it" came under the build: a new item, so the host reads the layout again.
    expect(change.layout).toBe(true);
    expect(byLabel(layout, "↳ You're on it")).toBeDefined();
  });

  it('never gives a removed item\'s id to another one', () => {
    const layout = new MenuLayout();
    layout.update(entries([running]));
    const gone = byLabel(layout, '▶ acme/api · feature__x running — Add docs')!.id;
    layout.update(entries([failing]));
    layout.update(entries([{ ...failing, buildId: '9' }]));
    expect(layout.item(gone)).toBeUndefined();
    layout.update(entries([running]));
    expect(byLabel(layout, '▶ acme/api · feature__x running — Add docs')!.id).not.toBe(gone);
  });
});

describe('dbusMenuLabel', () => {
  it('keeps hostile text plain: no control or bidi character, underscores doubled, markup left as text', () => {
    expect(dbusMenuLabel('feat_x\u0000<b>bold</b> & \u202egnirts\u001b[31m_')).toBe('feat__x <b>bold</b> & gnirts__');
    expect(dbusMenuLabel('__init__')).toBe('____init____');
    expect(dbusMenuLabel('line\nbreak\ttab')).toBe('line break tab');
  });

  it('cleans build titles, branches and repositories from the network wherever they reach a label', () => {
    const layout = new MenuLayout();
    layout.update(entries([{ buildId: '5', state: 'failed', owner: 'ev_il\u0007', repo: 'r\u202eepo', branch: 'x_\u001b]0;pwn\u0007y', title: 'T_\u2066itle\ud800' }]));
    const labels = flatten(layout.root).map((item) => String(item.properties['label'] ?? ''));
    expect(labels).toContain('✗ ev__il /r epo · x__y failed — T__ itle');
    expect(byLabel(layout, 'ev__il /r epo')).toMatchObject({ command: { kind: 'mute', pattern: 'ev_il\u0007/r\u202eepo' } });
    // eslint-disable-next-line no-control-regex
    for (const label of labels) expect(label).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ud800-\udfff]/);
  });
});
