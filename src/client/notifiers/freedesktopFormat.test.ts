import { describe, expect, it } from 'vitest';
import type { NotificationIntent } from '../../core/ports.js';
import { actionIdForKey, actionList, bodyFor, escapeMarkup, urgencyByte } from './freedesktopFormat.js';

const intent: NotificationIntent = {
  key: 'cirrus:build:1',
  title: 'Build needs approval: acme/widgets',
  body: 'fix/<b> & "quotes"',
  url: 'https://cirrus-ci.com/build/1',
  urgency: 'critical',
  actions: [
    { id: 'approve', label: 'Approve' },
    { id: 'rerun', label: 'Re-run failed tasks' },
  ],
};

describe('urgencyByte', () => {
  it('maps urgency to the spec byte', () => {
    expect([urgencyByte('low'), urgencyByte('normal'), urgencyByte('critical')]).toEqual([0, 1, 2]);
  });
});

describe('actionList', () => {
  it('sends the default action first, then the buttons as key/label pairs', () => {
    expect(actionList(intent, true)).toEqual(['default', 'Open build', 'approve', 'Approve', 'rerun', 'Re-run failed tasks']);
  });

  it('keeps only the default action when the server has no actions capability', () => {
    expect(actionList(intent, false)).toEqual(['default', 'Open build']);
  });
});

describe('actionIdForKey', () => {
  it('maps a click on the body to open and button keys to their actions', () => {
    expect(actionIdForKey('default')).toBe('open');
    expect(actionIdForKey('approve')).toBe('approve');
    expect(actionIdForKey('rerun')).toBe('rerun');
    expect(actionIdForKey('acknowledge')).toBe('acknowledge');
    expect(actionIdForKey('withdraw')).toBe('withdraw');
  });

  it('ignores keys it never sent', () => {
    expect(actionIdForKey('inline-reply')).toBeUndefined();
    expect(actionIdForKey('open')).toBeUndefined();
  });
});

describe('escapeMarkup', () => {
  it('escapes the characters that start markup or entities', () => {
    expect(escapeMarkup('a < b && c > d')).toBe('a &lt; b &amp;&amp; c &gt; d');
  });

  it('escapes an ampersand before the entities it introduces, so nothing is escaped twice wrongly', () => {
    expect(escapeMarkup('&lt;')).toBe('&amp;lt;');
  });
});

describe('bodyFor', () => {
  it('escapes for a server that parses markup and sends text as is otherwise', () => {
    expect(bodyFor(intent, true)).toBe('fix/&lt;b&gt; &amp; "quotes"');
    expect(bodyFor(intent, false)).toBe('fix/<b> & "quotes"');
  });
});
