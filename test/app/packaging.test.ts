/**
 * Packaging and launching: electron-builder.yml is valid by electron-builder's own JSON schema
 * and sets the fuses, the icons it names exist, and `npm start` without an Electron binary runs
 * Electron's installer first: when that gets the binary it builds and launches, when it fails it
 * ends with the one sentence that says what to do.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DOWNLOADING_ELECTRON, findElectron, launch, MISSING_ELECTRON } from '../../src/launcher/start.js';
import { ICON_STATES, trayIconFile } from '../../src/client/tray/trayIcons.js';

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

/** A folder with the electron package as `npm ci` leaves it: index.js as Electron's, no binary. */
async function checkoutWithoutBinary(installer: string, packageJson = '{"name":"x"}'): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), 'buildbell-launch-'));
  const electron = path.join(folder, 'node_modules', 'electron');
  await mkdir(electron, { recursive: true });
  await writeFile(path.join(folder, 'package.json'), packageJson);
  await writeFile(path.join(electron, 'package.json'), '{"name":"electron","main":"index.js"}');
  // What Electron's own index.js does: the binary named in path.txt, which install.js writes.
  await writeFile(
    path.join(electron, 'index.js'),
    "const fs = require('fs'); const path = require('path');\n" +
      "const txt = path.join(__dirname, 'path.txt');\n" +
      "if (!fs.existsSync(txt)) throw new Error('Electron failed to install correctly, please delete node_modules/electron and try installing again');\n" +
      "module.exports = path.join(__dirname, 'dist', fs.readFileSync(txt, 'utf8'));\n",
  );
  await writeFile(path.join(electron, 'install.js'), installer);
  return folder;
}

describe('npm start without an Electron binary', () => {
  it('runs the installer; when the download fails, says how to get one and that npm run demo runs headless', async () => {
    const folder = await checkoutWithoutBinary("console.error('RequestError: getaddrinfo ENOTFOUND github.com'); process.exit(1);\n");
    try {
      expect(findElectron(path.join(folder, 'package.json'))).toBeNull();
      let written = '';
      expect(await launch(folder, (text) => (written += text))).toBe(1);
      expect(written).toBe(`${DOWNLOADING_ELECTRON}\n${MISSING_ELECTRON}\n`);
      expect(MISSING_ELECTRON).toContain('node node_modules/electron/install.js');
      expect(MISSING_ELECTRON).toContain('npm ci skips its download on purpose');
      expect(MISSING_ELECTRON).toContain('npm run demo');
      expect(MISSING_ELECTRON.split('. ').length).toBe(1); // one sentence
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  // The fake binary is a shell script, which Windows cannot run; the failure path above runs everywhere.
  it.skipIf(process.platform === 'win32')(`when the installer gets the binary, builds and then launches the app in one step${process.platform === 'win32' ? ' [skipped: the fake Electron binary is a shell script]' : ''}`, async () => {
    // The installer writes what Electron's does: dist/<binary> and path.txt naming it.
    const installer = [
      "const fs = require('fs'); const path = require('path');",
      "fs.mkdirSync(path.join(__dirname, 'dist'), { recursive: true });",
      "const binary = path.join(__dirname, 'dist', 'electron');",
      // The app "runs" only if the build ran before it: it records its arguments next to built.txt.
      "fs.writeFileSync(binary, '#!/bin/sh\\n[ -f built.txt ] && echo \"$@\" > launched.txt\\n');",
      'fs.chmodSync(binary, 0o755);',
      "fs.writeFileSync(path.join(__dirname, 'path.txt'), 'electron');",
      "console.log('Downloading electron: 100%');",
    ].join('\n');
    const build = `node -e "require('fs').writeFileSync('built.txt', 'yes')"`;
    const folder = await checkoutWithoutBinary(installer, JSON.stringify({ name: 'x', scripts: { build } }));
    try {
      let written = '';
      expect(await launch(folder, (text) => (written += text), ['--flag'])).toBe(0);
      expect(written).toBe(`${DOWNLOADING_ELECTRON}\n`);
      expect((await readFile(path.join(folder, 'launched.txt'), 'utf8')).trim()).toBe(`${folder} --flag`);
      // Installed once: a second start finds it and goes straight to the build.
      written = '';
      expect(await launch(folder, (text) => (written += text))).toBe(0);
      expect(written).toBe('');
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('in this checkout, runs the real installer before any build and ends with that sentence when the download fails', async () => {
    const binary = findElectron(path.resolve('package.json'));
    if (binary !== null) {
      // A binary is installed here (a developer or the workflow ran install.js): npm start launches it instead.
      expect(existsSync(binary)).toBe(true);
      return;
    }
    // Electron's installer downloads from $ELECTRON_MIRROR: a closed port on 127.0.0.1 makes the
    // download fail for real on any machine, and an empty cache keeps it from finding an old zip.
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const cache = await mkdtemp(path.join(tmpdir(), 'buildbell-electron-cache-'));
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_MIRROR: `http://127.0.0.1:${closedPort}/`, electron_config_cache: cache };
      delete env['ELECTRON_SKIP_BINARY_DOWNLOAD'];
      const run = spawnSync(process.execPath, ['dist/launcher/start.js'], { encoding: 'utf8', env, timeout: 60_000 });
      expect(run.status).toBe(1);
      expect(run.stderr.startsWith(`${DOWNLOADING_ELECTRON}\n`)).toBe(true);
      expect(run.stderr).toContain('ECONNREFUSED'); // the installer's own error, shown
      expect(run.stderr.endsWith(`${MISSING_ELECTRON}\n`)).toBe(true);
      // It stopped before building: npm run build would have printed its banner.
      expect(run.stdout).not.toContain('> buildbell@');
    } finally {
      await rm(cache, { recursive: true, force: true });
    }
  });
});
