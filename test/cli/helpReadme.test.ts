/**
 * The README and the commands' help texts name the same flags and environment variables, and
 * the README's settings example is a valid settings file: a flag added to one without the other
 * fails here.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { settingsSchema } from '../../src/client/settings/schema.js';
import { runCli } from '../support/cliIo.js';
import { projectRoot } from '../support/paths.js';

const README = readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
const COMMANDS = ['relay', 'admin', 'stream', 'watch', 'simulate', 'send', 'approve', 'rerun'];
/** Flags in the README that belong to other programs: curl, tsc, `npm run bench -- --quick --runs 3 --only …`. */
const OTHER_PROGRAMS = new Set(['--data-binary', '--noEmit', '--quick', '--runs', '--only']);
/** Variables the test suite, the benchmarks and the desktop workflow (the app's memory report) read, not the `buildbell` command. */
const TEST_SUITE_VARIABLES = new Set(['BUILDBELL_REQUIRE_DESKTOP', 'BUILDBELL_CONFORMANCE_DIR', 'BUILDBELL_TEST_POSTGRES_URL', 'BUILDBELL_FUZZ_SEED', 'BUILDBELL_FUZZ_RUNS', 'BUILDBELL_BENCH_PROFILE', 'BUILDBELL_MEMORY_REPORT']);

async function allHelp(): Promise<string> {
  const texts = await Promise.all([['--help'], ...COMMANDS.map((command) => [command, '--help'])].map(async (args) => (await runCli(args)).stdout));
  return texts.join('\n');
}

const flags = (text: string) => new Set(text.match(/--[a-z][a-zA-Z-]*/g) ?? []);
const variables = (text: string) => new Set(text.match(/BUILDBELL_[A-Z_]+/g) ?? []);

describe('README and help', () => {
  it('every flag and variable of a help text is in the README', async () => {
    const help = await allHelp();
    expect([...flags(help)].filter((flag) => !flags(README).has(flag))).toEqual([]);
    expect([...variables(help)].filter((name) => !variables(README).has(name))).toEqual([]);
  });

  it('every buildbell flag and variable of the README is in a help text', async () => {
    const help = await allHelp();
    expect([...flags(README)].filter((flag) => !OTHER_PROGRAMS.has(flag) && !flags(help).has(flag))).toEqual([]);
    expect([...variables(README)].filter((name) => !TEST_SUITE_VARIABLES.has(name) && !variables(help).has(name))).toEqual([]);
  });

  it('the README\'s settings example is a valid settings file', () => {
    const example = /```json\n(\{\n {2}"sources"[\s\S]*?\n\})\n```/.exec(README)?.[1];
    expect(example).toBeDefined();
    expect(settingsSchema.safeParse(JSON.parse(example!)).success).toBe(true);
  });
});
