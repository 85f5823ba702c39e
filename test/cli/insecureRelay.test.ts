/** Relay tokens never cross the network in cleartext unless the user says the network is trusted. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cliIo.js';
import { makeTempDir } from '../support/temp.js';

const temp = makeTempDir();
afterAll(() => temp.remove());

describe('a cleartext relay URL to another machine', () => {
  it('is refused by watch --relay, saying why and how to accept it', async () => {
    const result = await runCli(['watch', '--relay', 'ws://relay.acme.dev:8787', '--token', 'bb_x', '--settings', path.join(temp.dir, 'none.json')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/relay token would cross the network in cleartext/);
    expect(result.stderr).toMatch(/--insecure/);
  });

  it('is refused by stream', async () => {
    const result = await runCli(['stream', '--relay', 'http://10.1.2.3:8787', '--token', 'bb_x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/cleartext/);
  });

  it('is refused from the settings file unless its relay source says insecure', async () => {
    const settings = path.join(temp.dir, 'relay.json');
    writeFileSync(settings, JSON.stringify({ source: { kind: 'relay', url: 'http://relay.acme.dev:8787' } }));
    const result = await runCli(['watch', '--settings', settings], { BUILDBELL_TOKEN: 'bb_x' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/cleartext/);
  });
});
