import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSettings, saveSettings, SettingsFileError } from './file.js';
import { defaultSettings } from './schema.js';

let folder: string;
let file: string;

beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'buildbell-settings-'));
  file = path.join(folder, 'buildbell', 'settings.json');
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('loadSettings', () => {
  it('gives the defaults when the file does not exist', async () => {
    expect(await loadSettings(file)).toEqual(defaultSettings());
  });

  it('reads a valid file and fills in what it leaves out', async () => {
    await saveSettings(file, { mutedRepositories: ['acme/*'] });
    const settings = await loadSettings(file);
    expect(settings.mutedRepositories).toEqual(['acme/*']);
    expect(settings.notifications.failed).toBe(true);
  });

  it('names the file and the bad fields of an invalid file, and leaves the file alone', async () => {
    const text = JSON.stringify({ quietHours: { start: '25:00' }, notifications: { failed: 'yes' } });
    await saveSettings(file, {});
    await writeFile(file, text);
    const error = await loadSettings(file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SettingsFileError);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toMatch(/notifications\.failed: /);
    expect((error as Error).message).toMatch(/quietHours\.start: expected a time of day/);
    expect(await readFile(file, 'utf8')).toBe(text);
  });

  it('names the file when it is not JSON', async () => {
    await saveSettings(file, {});
    await writeFile(file, '{ "openAtLogin": tru');
    await expect(loadSettings(file)).rejects.toThrow(new RegExp(`settings file ${file.replace(/[.\\/]/g, '\\$&')} is not valid JSON`));
  });

  it('reports a file it cannot read as that, not as missing', async () => {
    await saveSettings(file, {});
    await rm(file);
    await saveSettings(path.join(file, 'inner.json'), {}); // file is now a folder
    await expect(loadSettings(file)).rejects.toThrow(/Cannot read the settings file/);
  });
});

describe('saveSettings', () => {
  it('writes the whole configuration, readable only by its owner, and leaves no temporary file', async () => {
    const saved = await saveSettings(file, { openAtLogin: true });
    expect(saved.openAtLogin).toBe(true);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(saved);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(path.dirname(file))).toEqual(['settings.json']);
  });

  it('replaces an existing file whole', async () => {
    await saveSettings(file, { branches: ['main'] });
    await saveSettings(file, { branches: ['release/*'] });
    expect((await loadSettings(file)).branches).toEqual(['release/*']);
    expect(await readdir(path.dirname(file))).toEqual(['settings.json']);
  });

  it('refuses invalid settings and keeps the old file', async () => {
    await saveSettings(file, { branches: ['main'] });
    await expect(saveSettings(file, { branches: [''] })).rejects.toThrow(/Refusing to save invalid settings .*branches\.0: /);
    expect((await loadSettings(file)).branches).toEqual(['main']);
  });

  it('cleans up its temporary file when the rename fails', async () => {
    await saveSettings(path.join(file, 'inner.json'), {}); // a folder where the file should go
    await expect(saveSettings(file, {})).rejects.toThrow(/Cannot write the settings file/);
    expect(await readdir(path.dirname(file))).toEqual(['settings.json']);
  });
});
