/**
 * Packaging and launching: electron-builder.yml is valid by electron-builder's own JSON schema
 * and sets the fuses, the icons it names exist, and `npm start` without an Electron binary
 * fails with the one sentence that says how to get one.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { findElectron, launch, MISSING_ELECTRON } from '../../src/launcher/start.js';
import { ICON_STATES, trayIconFile } from '../../src/main/icons.js';

const config = parse(readFileSync('electron-builder.yml', 'utf8')) as Record<string, unknown>;

describe('electron-builder.yml', () => {
  it("is valid by electron-builder's own schema", () => {
    const schema = JSON.parse(readFileSync('node_modules/app-builder-lib/scheme.json', 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    expect(validate(config), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('builds AppImage and deb, dmg, NSIS, into an asar', () => {
    expect(config.asar).toBe(true);
    expect((config.linux as { target: string[] }).target).toEqual(['AppImage', 'deb']);
    expect((config.mac as { target: string[] }).target).toEqual(['dmg']);
    expect((config.win as { target: string[] }).target).toEqual(['nsis']);
  });

  it('sets the fuses: no run-as-node, no NODE_OPTIONS or inspect flags, asar only and checked, no file: privileges', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('has the app icon, and a tray icon per state for every platform (with @2x on macOS and Windows)', () => {
    expect(existsSync('build/icon.png')).toBe(true);
    for (const state of ICON_STATES) {
      for (const platform of ['darwin', 'win32', 'linux'] as const) {
        const file = trayIconFile('build/icons', state, platform);
        expect(existsSync(file), file).toBe(true);
        if (platform !== 'linux') expect(existsSync(file.replace(/\.png$/, '@2x.png')), file).toBe(true);
      }
    }
  });

  it('packs the main entry package.json names, and the preload main loads', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { main: string };
    expect(pkg.main).toBe('dist/main/index.js');
    expect(existsSync('src/main/index.ts')).toBe(true);
    expect(existsSync('src/preload/index.cts')).toBe(true);
  });
});

describe('npm start without an Electron binary', () => {
  it('says how to get one, and that npm run demo runs the engine headless', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'buildbell-launch-'));
    try {
      // An installed electron package whose binary was never downloaded, as after `npm ci`.
      await mkdir(path.join(folder, 'node_modules', 'electron'), { recursive: true });
      await writeFile(path.join(folder, 'package.json'), '{"name":"x"}');
      await writeFile(path.join(folder, 'node_modules', 'electron', 'package.json'), '{"name":"electron","main":"index.js"}');
      await writeFile(path.join(folder, 'node_modules', 'electron', 'index.js'), "throw new Error('Electron failed to install correctly, please delete node_modules/electron and try installing again');");
      expect(findElectron(path.join(folder, 'package.json'))).toBeNull();
      let written = '';
      expect(await launch(folder, (text) => (written += text))).toBe(1);
      expect(written).toBe(`${MISSING_ELECTRON}\n`);
      expect(MISSING_ELECTRON).toContain('node node_modules/electron/install.js');
      expect(MISSING_ELECTRON).toContain('npm ci skips its download on purpose');
      expect(MISSING_ELECTRON).toContain('npm run demo');
      expect(MISSING_ELECTRON.split('. ').length).toBe(1); // one sentence
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('prints exactly that sentence from the compiled launcher in this checkout when no binary is here', () => {
    const binary = findElectron(path.resolve('package.json'));
    if (binary !== null) {
      // A binary is installed here (a developer ran install.js): npm start launches it instead.
      expect(existsSync(binary)).toBe(true);
      return;
    }
    const run = spawnSync(process.execPath, ['dist/launcher/start.js'], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`${MISSING_ELECTRON}\n`);
  });
});
