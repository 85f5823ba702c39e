import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fake, resetFakeElectron } from '../../test/support/fakeElectron.js';
import { defaultSettings, type Settings } from '../client/settings/schema.js';
import { openableHosts } from '../client/webHosts.js';
import { checkCiUrl, createWebOpener } from './openExternal.js';

vi.mock('./electron.js', async () => (await import('../../test/support/fakeElectron.js')).fakeElectronModule());

beforeEach(() => resetFakeElectron());

let settings: Settings = defaultSettings();
const open = createWebOpener(() => openableHosts(settings.sources));

describe('the app’s opener', () => {
  beforeEach(() => {
    settings = defaultSettings();
  });

  it('opens https pages of the public CI services', async () => {
    await open('https://cirrus-ci.com/build/42');
    await open('https://github.com/acme/web/actions/runs/1');
    await open('https://gitlab.com/acme/web/-/pipelines/7');
    expect(fake.opened).toEqual(['https://cirrus-ci.com/build/42', 'https://github.com/acme/web/actions/runs/1', 'https://gitlab.com/acme/web/-/pipelines/7']);
  });

  it.each([
    ['http', 'http://cirrus-ci.com/build/1', /only https/],
    ['file', 'file:///etc/passwd', /only https/],
    ['javascript', 'javascript:alert(1)', /only https/],
    ['a custom scheme', 'vscode://file/x', /only https/],
    ['another site', 'https://evil.example/cirrus-ci.com', /not a CI service/],
    ['a look-alike host', 'https://cirrus-ci.com.evil.example/build/1', /not a CI service/],
    ['a trailing-dot host', 'https://github.com./acme/web', /not a CI service/],
    ['another port', 'https://github.com:8443/acme/web', /not a CI service/],
    ['credentials', 'https://user:pw@cirrus-ci.com/', /credentials/],
    ['a user name that looks like the host', 'https://github.com@evil.example/acme/web', /credentials/],
    ['not a URL', 'cirrus-ci.com/build/1', /not a URL/],
  ])('refuses %s and opens nothing', async (_name, url, reason) => {
    await expect(open(url)).rejects.toThrow(reason);
    expect(fake.opened).toEqual([]);
  });

  it('follows the settings: a GitHub Enterprise or self-managed GitLab source’s pages open while it is configured, and only over https', async () => {
    const ghe = 'https://ghe.acme.dev/acme/web/actions/runs/9';
    const gitlab = 'https://gitlab.acme.dev/acme/platform/api/-/pipelines/3';
    await expect(open(ghe)).rejects.toThrow(/not a CI service/);
    settings = {
      ...settings,
      sources: [
        { kind: 'github', name: 'work GitHub', repositories: ['acme/web'], apiUrl: 'https://ghe.acme.dev/api/v3', pollIntervalSeconds: 60 },
        { kind: 'gitlab', name: 'GitLab', repositories: ['acme/platform/api'], apiUrl: 'https://gitlab.acme.dev/api/v4', pollIntervalSeconds: 60 },
      ],
    };
    await open(ghe);
    await open(gitlab);
    expect(fake.opened).toEqual([ghe, gitlab]);
    await expect(open('http://ghe.acme.dev/acme/web')).rejects.toThrow(/only https/);
    await expect(open('https://admin:pw@gitlab.acme.dev/')).rejects.toThrow(/credentials/);
    await expect(open('https://evil.gitlab.acme.dev/')).rejects.toThrow(/not a CI service/);
    settings = defaultSettings();
    await expect(open(ghe)).rejects.toThrow(/not a CI service/);
  });

  it('opens the re-serialised URL', () => {
    expect(checkCiUrl('https://CIRRUS-CI.com/build/1')).toBe('https://cirrus-ci.com/build/1');
  });
});
