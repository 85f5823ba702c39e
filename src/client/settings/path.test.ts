import { describe, expect, it } from 'vitest';
import { settingsFilePath, type PathContext } from './path.js';

describe('settingsFilePath', () => {
  it.each<[string, PathContext, string]>([
    ['Linux with XDG_CONFIG_HOME', { platform: 'linux', env: { XDG_CONFIG_HOME: '/cfg' }, homedir: '/home/ann' }, '/cfg/buildbell/settings.json'],
    ['Linux without XDG_CONFIG_HOME', { platform: 'linux', env: {}, homedir: '/home/ann' }, '/home/ann/.config/buildbell/settings.json'],
    ['Linux with an empty XDG_CONFIG_HOME', { platform: 'linux', env: { XDG_CONFIG_HOME: '' }, homedir: '/home/ann' }, '/home/ann/.config/buildbell/settings.json'],
    ['Linux with a relative XDG_CONFIG_HOME (ignored, per the spec)', { platform: 'linux', env: { XDG_CONFIG_HOME: 'cfg' }, homedir: '/home/ann' }, '/home/ann/.config/buildbell/settings.json'],
    ['FreeBSD like Linux', { platform: 'freebsd', env: {}, homedir: '/home/ann' }, '/home/ann/.config/buildbell/settings.json'],
    ['macOS', { platform: 'darwin', env: { XDG_CONFIG_HOME: '/cfg' }, homedir: '/Users/ann' }, '/Users/ann/Library/Application Support/buildbell/settings.json'],
    ['Windows with APPDATA', { platform: 'win32', env: { APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, homedir: 'C:\\Users\\ann' }, 'C:\\Users\\ann\\AppData\\Roaming\\buildbell\\settings.json'],
    ['Windows without APPDATA', { platform: 'win32', env: {}, homedir: 'C:\\Users\\ann' }, 'C:\\Users\\ann\\AppData\\Roaming\\buildbell\\settings.json'],
  ])('%s', (_name, context, expected) => {
    expect(settingsFilePath(context)).toBe(expected);
  });
});
