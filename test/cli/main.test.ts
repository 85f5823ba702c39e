/** The `buildbell` command's own conventions: version, help, and how a usage error looks. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cliIo.js';
import { projectRoot } from '../support/paths.js';
import { makeTempDir } from '../support/temp.js';

const temp = makeTempDir();
afterAll(() => temp.remove());

describe('buildbell', () => {
  it('prints its version with --version', async () => {
    const { version } = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string };
    expect(await runCli(['--version'])).toEqual({ code: 0, stdout: `buildbell ${version}\n`, stderr: '' });
  });

  it('answers help <command> with the command\'s help', async () => {
    const help = await runCli(['help', 'watch']);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe((await runCli(['watch', '--help'])).stdout);
    expect(help.stdout).toMatch(/^usage: buildbell watch/);
  });

  it.each([
    [['watch', '--bogus'], 'watch', /Unknown option '--bogus'/],
    [['stream', '--bogus'], 'stream', /Unknown option '--bogus'/],
    [['relay', '--bogus'], 'relay', /Unknown option '--bogus'/],
    [['relay', '--client-frame-rate', 'fast'], 'relay', /--client-frame-rate is <per second>\/<burst>, e.g. 500\/5000 \(got 'fast'\)/],
    [['relay', '--client-frame-rate', '1/0'], 'relay', /--client-frame-rate is <per second>\/<burst>/],
    [['admin', '--bogus'], 'admin', /Unknown option '--bogus'/],
    [['watch', '--interval'], 'watch', /--interval/],
    [['watch', '--demo', '--seed', 'x', '--settings', path.join(temp.dir, 'none.json')], 'watch', /--seed takes a whole number/],
  ])('%j is a usage error: exit 2 and the hint to the command\'s help', async (args, command, message) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain(`Run 'buildbell ${command} --help' for usage.`);
  });

  it('names both providers in its overview', async () => {
    const { stdout } = await runCli(['--help']);
    expect(stdout).toMatch(/relay +serve CI webhooks \(Cirrus CI, GitHub Actions, GitLab CI\)/);
    expect(stdout).toMatch(/simulate +run a simulated CI \(Cirrus CI, or GitHub Actions/);
  });

  it('says what admin token is missing when no action is given', async () => {
    const result = await runCli(['admin', 'token', '--db', path.join(temp.dir, 'relay.db')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/token needs an action: add, list or revoke/);
  });
});
