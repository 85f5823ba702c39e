/**
 * The opener's refusals and the command it runs on each platform, with a fake spawn. Real
 * openers (a recording xdg-open, BUILDBELL_OPENER) run in test/desktop/notifier.test.ts.
 */
import { EventEmitter } from 'node:events';
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { SpawnFunction } from './opener.js';
import { RefusedUrlError, createSystemOpener } from './opener.js';

interface SpawnCall {
  command: string;
  args: readonly string[];
  options: SpawnOptions;
  unrefed: boolean;
}

/** A spawn that records its call and reports the process started (or, with `error`, failing to). */
function fakeSpawn(error?: Error): { spawn: SpawnFunction; calls: SpawnCall[] } {
  const calls: SpawnCall[] = [];
  const spawn: SpawnFunction = (command, args, options) => {
    const call: SpawnCall = { command, args, options, unrefed: false };
    calls.push(call);
    const child = Object.assign(new EventEmitter(), {
      unref() {
        call.unrefed = true;
      },
    });
    queueMicrotask(() => (error ? child.emit('error', error) : child.emit('spawn')));
    return child as unknown as ChildProcess;
  };
  return { spawn, calls };
}

const buildUrl = 'https://cirrus-ci.com/build/5001?tab=tasks&x=1#failed';

describe('createSystemOpener', () => {
  it.each([
    ['http://cirrus-ci.com/build/1', /only https: URLs are opened, not http:/],
    ['file:///etc/passwd', /not file:/],
    ['javascript:alert(1)', /not javascript:/],
    ['vscode://file/x', /not vscode:/],
    ['cirrus-ci.com/build/1', /not a URL/],
    ['https://a"b.example/', /double quote/],
    ['https://cirrus-ci.com/%PATH%', /not a %XX escape/],
  ])('refuses %s before running anything', async (url, reason) => {
    const { spawn, calls } = fakeSpawn();
    const open = createSystemOpener({ platform: 'linux', env: {}, spawn });

    const refusal = open(url);
    await expect(refusal).rejects.toThrow(RefusedUrlError);
    await expect(refusal).rejects.toThrow(reason);
    expect(calls).toEqual([]);
  });

  it('runs xdg-open on Linux with the URL as one argument, detached, no shell', async () => {
    const { spawn, calls } = fakeSpawn();
    await createSystemOpener({ platform: 'linux', env: {}, spawn })(buildUrl);

    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      command: 'xdg-open',
      args: [buildUrl],
      options: { detached: true, shell: false, stdio: 'ignore' },
      unrefed: true,
    });
  });

  it('runs open on macOS', async () => {
    const { spawn, calls } = fakeSpawn();
    await createSystemOpener({ platform: 'darwin', env: {}, spawn })(buildUrl);
    expect(calls[0]).toMatchObject({ command: 'open', args: [buildUrl] });
  });

  it('opens through rundll32\'s URL handler on Windows, no cmd: the URL is one argument as it is', async () => {
    const { spawn, calls } = fakeSpawn();
    // %41PPDATA% would be %APPDATA% to cmd once %41 is read as a name; here nothing reads it.
    const percent = 'https://cirrus-ci.com/build/1?q=%41PPDATA%25&x=^1';
    await createSystemOpener({ platform: 'win32', env: { SystemRoot: 'C:\\Windows' }, spawn })(percent);
    expect(calls[0]).toMatchObject({
      command: 'C:\\Windows\\System32\\rundll32.exe',
      args: ['url.dll,FileProtocolHandler', percent],
      options: { windowsVerbatimArguments: false, shell: false },
    });
    expect(calls.map((call) => call.command).join(' ')).not.toMatch(/cmd/i);
  });

  it('finds rundll32 under SystemRoot, never by a bare name', async () => {
    const { spawn, calls } = fakeSpawn();
    await createSystemOpener({ platform: 'win32', env: { SystemRoot: 'D:\\Win\\' }, spawn })(buildUrl);
    await createSystemOpener({ platform: 'win32', env: {}, spawn })(buildUrl);
    expect(calls.map((call) => call.command)).toEqual(['D:\\Win\\System32\\rundll32.exe', 'C:\\Windows\\System32\\rundll32.exe']);
  });

  it('opens the normalised URL', async () => {
    const { spawn, calls } = fakeSpawn();
    await createSystemOpener({ platform: 'linux', env: {}, spawn })('HTTPS://Cirrus-CI.com/build/1 2');
    expect(calls[0]?.args).toEqual(['https://cirrus-ci.com/build/1%202']);
  });

  it('runs BUILDBELL_OPENER instead of the platform opener, on every platform', async () => {
    const { spawn, calls } = fakeSpawn();
    const env = { BUILDBELL_OPENER: '/opt/record-url' };
    for (const platform of ['linux', 'darwin', 'win32'] as const) await createSystemOpener({ platform, env, spawn })(buildUrl);
    expect(calls.map(({ command, args }) => [command, args])).toEqual([
      ['/opt/record-url', [buildUrl]],
      ['/opt/record-url', [buildUrl]],
      ['/opt/record-url', [buildUrl]],
    ]);
  });

  it('rejects with the command and URL when the opener cannot start', async () => {
    const { spawn } = fakeSpawn(Object.assign(new Error('spawn xdg-open ENOENT'), { code: 'ENOENT' }));
    await expect(createSystemOpener({ platform: 'linux', env: {}, spawn })(buildUrl)).rejects.toThrow(
      `could not run xdg-open to open ${buildUrl}: spawn xdg-open ENOENT`,
    );
  });

  it('opens only the allowed hosts when given them, read at each call, and never a URL with credentials', async () => {
    const { spawn, calls } = fakeSpawn();
    let hosts = ['cirrus-ci.com', 'github.com'];
    const open = createSystemOpener({ platform: 'linux', env: {}, spawn, allowedHosts: () => hosts });
    await open(buildUrl);
    for (const [url, reason] of [
      ['https://ghe.acme.dev/acme/web/actions/runs/1', /ghe\.acme\.dev is not a CI service/],
      ['https://github.com@evil.example/', /credentials/],
      ['https://user:pw@github.com/', /credentials/],
      ['https://github.com.evil.example/', /not a CI service/],
      ['http://github.com/', /only https/],
    ] as const) {
      await expect(open(url)).rejects.toThrow(RefusedUrlError);
      await expect(open(url)).rejects.toThrow(reason);
    }
    hosts = [...hosts, 'ghe.acme.dev'];
    await open('https://ghe.acme.dev/acme/web/actions/runs/1');
    expect(calls.map((call) => call.args[0])).toEqual([buildUrl, 'https://ghe.acme.dev/acme/web/actions/runs/1']);
  });
});
