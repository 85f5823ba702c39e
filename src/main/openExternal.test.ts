import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fake, resetFakeElectron } from '../../test/support/fake-electron.js';
import { checkCiUrl, safelyOpenWebURL } from './openExternal.js';

vi.mock('./electron.js', async () => (await import('../../test/support/fake-electron.js')).fakeElectronModule());

beforeEach(() => resetFakeElectron());

describe('safelyOpenWebURL', () => {
  it('opens https pages of known CI services', async () => {
    await safelyOpenWebURL('https://cirrus-ci.com/build/42');
    await safelyOpenWebURL('https://github.com/acme/web/actions/runs/1');
    expect(fake.opened).toEqual(['https://cirrus-ci.com/build/42', 'https://github.com/acme/web/actions/runs/1']);
  });

  it.each([
    ['http', 'http://cirrus-ci.com/build/1', /only https/],
    ['file', 'file:///etc/passwd', /only https/],
    ['javascript', 'javascript:alert(1)', /only https/],
    ['a custom scheme', 'vscode://file/x', /only https/],
    ['another site', 'https://evil.example/cirrus-ci.com', /not a CI service/],
    ['a look-alike host', 'https://cirrus-ci.com.evil.example/build/1', /not a CI service/],
    ['credentials', 'https://user:pw@cirrus-ci.com/', /credentials/],
    ['not a URL', 'cirrus-ci.com/build/1', /not a URL/],
  ])('refuses %s and opens nothing', async (_name, url, reason) => {
    await expect(safelyOpenWebURL(url)).rejects.toThrow(reason);
    expect(fake.opened).toEqual([]);
  });

  it('opens the re-serialised URL', () => {
    expect(checkCiUrl('https://CIRRUS-CI.com/build/1')).toBe('https://cirrus-ci.com/build/1');
  });
});
