import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../../sim/simulator.js';
import { startSimulator } from '../../sim/simulator.js';
import type { CliIo } from '../io.js';
import { UsageError } from '../io.js';
import { approveCommand, rerunCommand } from './actions.js';

function captureIo(env: Record<string, string> = {}) {
  const out = { stdout: '', stderr: '' };
  const sink = (key: 'stdout' | 'stderr') => new Writable({ write(chunk, _enc, done) { out[key] += String(chunk); done(); } });
  const io: CliIo = { stdout: sink('stdout'), stderr: sink('stderr'), env };
  return { io, out };
}

let sim: Simulator;
beforeEach(async () => {
  sim = await startSimulator({ autoAdvance: false, scenario: false, seed: 4 });
});
afterEach(async () => {
  await sim.stop();
});

describe('buildbell approve', () => {
  it('approves a build waiting for approval', async () => {
    const build = sim.startBuild({ repository: 'acme/api', pullRequest: 3, needsApproval: true });
    sim.advance(1_000);
    const { io, out } = captureIo();
    expect(await approveCommand([build.id, '--endpoint', sim.graphqlUrl!, '--cirrus-token', 'sim-write-token'], io)).toBe(0);
    expect(out.stdout).toContain(`Approved build ${build.id}: now TRIGGERED`);
    expect(sim.world.build(build.id)?.status).toBe('TRIGGERED');
  });

  it('takes the token from BUILDBELL_CIRRUS_TOKEN', async () => {
    const build = sim.startBuild({ repository: 'acme/api', pullRequest: 4, needsApproval: true });
    sim.advance(1_000);
    const { io } = captureIo({ BUILDBELL_CIRRUS_TOKEN: 'sim-write-token' });
    expect(await approveCommand([build.id, '--endpoint', sim.graphqlUrl!], io)).toBe(0);
    expect(sim.world.build(build.id)?.status).toBe('TRIGGERED');
  });

  it('explains a READ token: which token is needed and where to make it, exit code 1', async () => {
    const build = sim.startBuild({ repository: 'acme/api', pullRequest: 5, needsApproval: true });
    sim.advance(1_000);
    const { io, out } = captureIo();
    expect(await approveCommand([build.id, '--endpoint', sim.graphqlUrl!, '--cirrus-token', 'sim-read-token'], io)).toBe(1);
    expect(out.stderr).toContain('lacks WRITE permission');
    expect(out.stderr).toContain('Create a scoped token with WRITE permission');
    expect(out.stderr).toContain('https://cirrus-ci.com/settings/github/acme');
    expect(out.stdout).toBe('');
    expect(sim.world.build(build.id)?.status).toBe('NEEDS_APPROVAL');
  });

  it('says when no token was given at all', async () => {
    const build = sim.startBuild({ repository: 'acme/api', pullRequest: 6, needsApproval: true });
    sim.advance(1_000);
    const { io, out } = captureIo();
    expect(await approveCommand([build.id, '--endpoint', sim.graphqlUrl!], io)).toBe(1);
    expect(out.stderr).toMatch(/no Cirrus token was given/);
  });

  it('refuses a bad build id or a missing one as a usage error, and has --help', async () => {
    const { io, out } = captureIo();
    await expect(approveCommand(['https://cirrus-ci.com/build/1'], io)).rejects.toBeInstanceOf(UsageError);
    await expect(approveCommand([], io)).rejects.toThrow(/which build/);
    await expect(approveCommand(['1', '--nope'], io)).rejects.toBeInstanceOf(UsageError);
    expect(await approveCommand(['--help'], io)).toBe(0);
    expect(out.stdout).toContain('--cirrus-token');
  });
});

describe('buildbell rerun', () => {
  it('re-runs the failed tasks of a build', async () => {
    const build = sim.startBuild({ repository: 'acme/web', outcome: 'fail' });
    sim.advance(60_000);
    const failed = sim.world.tasksOf(build).find((t) => t.status === 'FAILED')!;
    const { io, out } = captureIo();
    expect(await rerunCommand([build.id, '--endpoint', sim.graphqlUrl!, '--cirrus-token', 'sim-write-token'], io)).toBe(0);
    expect(out.stdout).toContain(`Re-running 1 task(s) of build ${build.id}: ${failed.name}`);
    expect(sim.world.build(build.id)?.status).toBe('EXECUTING');
  });

  it('says so when there is nothing to re-run', async () => {
    const build = sim.startBuild({ repository: 'acme/web', outcome: 'pass' });
    sim.advance(60_000);
    const { io, out } = captureIo();
    expect(await rerunCommand([build.id, '--endpoint', sim.graphqlUrl!, '--cirrus-token', 'sim-write-token'], io)).toBe(1);
    expect(out.stderr).toContain('no failed or aborted tasks');
  });

  it('gets the permission message with a READ token', async () => {
    const build = sim.startBuild({ repository: 'acme/web', outcome: 'fail' });
    sim.advance(60_000);
    const { io, out } = captureIo();
    expect(await rerunCommand([build.id, '--endpoint', sim.graphqlUrl!, '--cirrus-token', 'sim-read-token'], io)).toBe(1);
    expect(out.stderr).toContain('lacks WRITE permission');
  });
});
