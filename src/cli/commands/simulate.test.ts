import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../io.js';
import { UsageError } from '../io.js';
import { parseSimulateArgs, runSimulate, simulateCommand } from './simulate.js';

function captureIo() {
  const out = { stdout: '', stderr: '' };
  const sink = (key: 'stdout' | 'stderr') => new Writable({ write(chunk, _enc, done) { out[key] += String(chunk); done(); } });
  const io: CliIo = { stdout: sink('stdout'), stderr: sink('stderr'), env: {} };
  return { io, out };
}

describe('buildbell simulate', () => {
  it('parses its flags', () => {
    expect(parseSimulateArgs(['--seed', '7', '--speed', '10', '--relay', 'http://127.0.0.1:1/hooks/a', '--secret', 's', '--graphql-port', '0', '--repos', 'acme/web,acme/ops:private'])).toEqual({
      seed: 7, speed: 10, graphqlPort: 0, quiet: false,
      relay: { url: 'http://127.0.0.1:1/hooks/a', secret: 's' },
      repositories: [{ owner: 'acme', name: 'web', isPrivate: false }, { owner: 'acme', name: 'ops', isPrivate: true }],
    });
    expect(parseSimulateArgs(['--help'])).toBe('help');
  });

  it.each([
    [['--speed', '0'], /--speed/],
    [['--seed', 'x'], /--seed/],
    [['--relay', 'http://127.0.0.1:1/hooks/a'], /--secret/],
    [['--relay', 'relay', '--secret', 's'], /channel URL/],
    [['--repos', 'web'], /owner\/name/],
    [['--graphql-port', '70000'], /--graphql-port/],
    [['--bogus'], /bogus/],
  ])('refuses %j', (args, message) => {
    expect(() => parseSimulateArgs(args)).toThrow(UsageError);
    expect(() => parseSimulateArgs(args)).toThrow(message);
  });

  it('prints its GraphQL URL, serves it, prints the story and stops when told', async () => {
    const { io, out } = captureIo();
    let stop!: () => void;
    const until = new Promise<void>((resolve) => (stop = resolve));
    const options = parseSimulateArgs(['--speed', '40', '--seed', '3']);
    if (options === 'help') throw new Error('unexpected');
    const running = runSimulate(options, io, until);
    for (let i = 0; i < 200 && !/build \d+ EXECUTING -> FAILED/.test(out.stdout); i += 1) await new Promise((r) => setTimeout(r, 10));
    const url = /GraphQL API: (\S+)/.exec(out.stdout)?.[1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
    const answer = await (await fetch(url!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ ownerRepository(platform: "github", owner: "acme", name: "web") { name } }' }) })).json();
    expect(answer).toEqual({ data: { ownerRepository: { name: 'web' } } });
    expect(out.stdout).toMatch(/acme\/web build \d+ EXECUTING -> FAILED/);
    stop();
    expect(await running).toBe(0);
    await expect(fetch(url!, { method: 'POST' })).rejects.toThrow();
  });

  it('answers --help through the command', async () => {
    const { io, out } = captureIo();
    expect(await simulateCommand(['--help'], io)).toBe(0);
    expect(out.stdout).toContain('--relay <url>');
  });
});
