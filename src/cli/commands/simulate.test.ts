import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { startRelay, type Relay } from '../../relay/server.js';
import { seedRelayDatabase, StreamRecorder, TEST_SECRET } from '../../../test/support/relay.js';
import { makeTempDir } from '../../../test/support/temp.js';
import type { CliIo } from '../io.js';
import { UsageError } from '../io.js';
import { parseSimulateArgs, runSimulate, simulateCommand, type SimulateOptions } from './simulate.js';

function captureIo() {
  const out = { stdout: '', stderr: '' };
  const sink = (key: 'stdout' | 'stderr') => new Writable({ write(chunk, _enc, done) { out[key] += String(chunk); done(); } });
  const io: CliIo = { stdout: sink('stdout'), stderr: sink('stderr'), env: {} };
  return { io, out };
}

describe('buildbell simulate', () => {
  it('parses its flags', () => {
    expect(parseSimulateArgs(['--seed', '7', '--speed', '10', '--relay', 'http://127.0.0.1:1/hooks/a', '--secret', 's', '--graphql-port', '0', '--repos', 'acme/web,acme/ops:private'])).toEqual({
      provider: 'cirrus', seed: 7, speed: 10, apiPort: 0, quiet: false,
      relay: { url: 'http://127.0.0.1:1/hooks/a', secret: 's' },
      repositories: [{ owner: 'acme', name: 'web', isPrivate: false }, { owner: 'acme', name: 'ops', isPrivate: true }],
    });
    expect(parseSimulateArgs(['--help'])).toBe('help');
  });

  it('parses --provider github with the same flags, and --api-port', () => {
    expect(parseSimulateArgs(['--provider', 'github', '--seed', '2', '--speed', '5', '--relay', 'http://127.0.0.1:1/hooks/a', '--secret', 's', '--api-port', '4321', '--quiet'])).toEqual({
      provider: 'github', seed: 2, speed: 5, apiPort: 4321, quiet: true,
      relay: { url: 'http://127.0.0.1:1/hooks/a', secret: 's' },
      repositories: [{ owner: 'acme', name: 'web' }, { owner: 'acme', name: 'api' }, { owner: 'acme', name: 'mobile', isPrivate: true }],
    });
    expect(parseSimulateArgs(['--api-port', '9'])).toMatchObject({ provider: 'cirrus', apiPort: 9 });
    expect(parseSimulateArgs(['--provider', 'cirrus', '--graphql-port', '8'])).toMatchObject({ provider: 'cirrus', apiPort: 8 });
  });

  it.each([
    [['--speed', '0'], /--speed/],
    [['--seed', 'x'], /--seed/],
    [['--relay', 'http://127.0.0.1:1/hooks/a'], /--secret/],
    [['--relay', 'relay', '--secret', 's'], /channel URL/],
    [['--repos', 'web'], /owner\/name/],
    [['--graphql-port', '70000'], /--graphql-port/],
    [['--api-port', 'x'], /--api-port takes a port/],
    [['--provider', 'jenkins'], /--provider takes cirrus, github or gitlab, not 'jenkins'/],
    [['--provider', 'gitlab', '--graphql-port', '1'], /GitLab one serves REST: use --api-port/],
    [['--provider', 'gitlab', '--repos', 'web'], /group\[\/subgroup\]\/project/],
    [['--provider', 'github', '--graphql-port', '1'], /use --api-port/],
    [['--graphql-port', '1', '--api-port', '2'], /give one/],
    [['--provider', 'github', '--relay', 'http://127.0.0.1:1/hooks/a'], /--secret/],
    [['--provider', 'github', '--speed', '-1'], /--speed/],
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
    expect(out.stdout).toContain('--provider <name>');
  });
});

describe('buildbell simulate --provider github', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** Starts the command as the CLI would; the returned stop() is the SIGINT. */
  function start(args: string[]) {
    const { io, out } = captureIo();
    let stop!: () => void;
    const until = new Promise<void>((resolve) => (stop = resolve));
    const options = parseSimulateArgs(args) as SimulateOptions;
    const running = runSimulate(options, io, until);
    const finish = async () => {
      stop();
      return running;
    };
    cleanups.push(async () => void (await finish()));
    return { out, finish };
  }

  /** A real relay with channel `acme` (secret TEST_SECRET) and a desktop client streaming from it. */
  async function relayWithClient(): Promise<{ relay: Relay; client: StreamRecorder }> {
    const temp = makeTempDir();
    const seeded = seedRelayDatabase(temp.dir, 'acme');
    const relay = await startRelay({ database: seeded.file, port: 0 });
    cleanups.push(() => temp.remove(), () => relay.close());
    const client = await StreamRecorder.connect(relay.url, seeded.issueToken(['acme/*']).token);
    cleanups.push(() => client.close());
    return { relay, client };
  }

  async function waitFor(read: () => string, pattern: RegExp, timeoutMs = 5000): Promise<RegExpMatchArray> {
    for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 10))) {
      const match = pattern.exec(read());
      if (match) return match;
    }
    throw new Error(`no ${pattern} in: ${read()}`);
  }

  it('prints its REST API and tokens, serves runs with ETags and token rules, tells the story and stops', async () => {
    const { out, finish } = start(['--provider', 'github', '--speed', '40', '--seed', '3']);
    const [, api] = await waitFor(() => out.stdout, /REST API: +(\S+)/);
    expect(api).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(out.stdout).toContain('GitHub Actions simulator (seed 3, speed 40x)');
    expect(out.stdout).toMatch(/tokens: +sim-read-token \(READ\), sim-write-token \(WRITE\)/);
    expect(out.stdout).toContain('webhooks:    none (no --relay)');
    expect(out.stdout).toContain(`buildbell watch --provider github --repos acme/web,acme/api,acme/mobile --github-api ${api} --github-token sim-write-token --interval 15s`);

    // The opening scene: acme/web's run fails one job within a few simulated seconds.
    const [, failedRun] = await waitFor(() => out.stdout, /acme\/web run (\d+) completed: failed/);
    expect(out.stdout).toMatch(new RegExp(`acme/web run ${failedRun} job \\d+ '(lint|test|build)' failed`));
    expect(out.stdout).toMatch(new RegExp(`acme/web run ${failedRun} new queued \\(main: `));
    expect(out.stdout).toMatch(/acme\/api run \d+ completed: needs_approval \(patch-1: /);

    const listing = await fetch(`${api}/repos/acme/web/actions/runs`);
    expect(listing.status).toBe(200);
    const body = (await listing.json()) as { workflow_runs: { id: number; html_url: string; conclusion: string | null }[] };
    const failed = body.workflow_runs.find((run) => String(run.id) === failedRun);
    expect(failed).toMatchObject({ conclusion: 'failure', html_url: `https://github.com/acme/web/actions/runs/${failedRun}` });
    const etag = listing.headers.get('etag');
    expect(etag).toBeTruthy();
    expect((await fetch(`${api}/repos/acme/web/actions/runs`, { headers: { 'if-none-match': etag! } })).status).toBe(304);
    // A private repository is invisible without a token and listed with the printed READ token.
    expect((await fetch(`${api}/repos/acme/mobile/actions/runs`)).status).toBe(404);
    expect((await fetch(`${api}/repos/acme/mobile/actions/runs`, { headers: { authorization: 'Bearer sim-read-token' } })).status).toBe(200);

    expect(await finish()).toBe(0);
    await expect(fetch(`${api}/repos/acme/web/actions/runs`)).rejects.toThrow();
  });

  it('with --relay and --secret, POSTs signed deliveries the relay stores and streams as GitHub events', async () => {
    const { relay, client } = await relayWithClient();

    const { out, finish } = start(['--provider', 'github', '--speed', '40', '--relay', `${relay.url}/hooks/acme`, '--secret', TEST_SECRET, '--quiet']);
    await waitFor(() => out.stdout, /REST API/);
    expect(out.stdout).toContain(`webhooks:    ${relay.url}/hooks/acme`);
    await client.waitFor(() => client.events.some(({ event }) => event.build.state === 'failed' && event.task === null), 5000);
    expect(out.stdout).not.toMatch(/ run \d+ /); // --quiet: no story lines
    const failedRun = client.events.find(({ event }) => event.build.state === 'failed' && event.task === null)!.event;
    expect(failedRun).toMatchObject({ provider: 'github', repository: { owner: 'acme', name: 'web' } });
    expect(failedRun.build.url).toBe(`https://github.com/acme/web/actions/runs/${failedRun.build.id}`);
    expect(client.events.every(({ event }) => event.provider === 'github')).toBe(true);
    expect(await finish()).toBe(0);
  });

  it('with the wrong secret, the relay refuses every delivery and streams nothing', async () => {
    const { relay, client } = await relayWithClient();

    const { out, finish } = start(['--provider', 'github', '--speed', '40', '--relay', `${relay.url}/hooks/acme`, '--secret', 'not-the-secret']);
    await waitFor(() => out.stdout, /completed: failed/);
    // The sender logs each refusal; the relay's 401 is final (no retry), so nothing is stored later.
    await waitFor(() => out.stderr, /relay refused a webhook.*401/);
    expect(await finish()).toBe(0);
    expect(client.events).toEqual([]);
  });
});

describe('buildbell simulate --provider gitlab', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  function start(args: string[]) {
    const { io, out } = captureIo();
    let stop!: () => void;
    const until = new Promise<void>((resolve) => (stop = resolve));
    const options = parseSimulateArgs(args) as SimulateOptions;
    const running = runSimulate(options, io, until);
    const finish = async () => {
      stop();
      return running;
    };
    cleanups.push(async () => void (await finish()));
    return { out, finish };
  }

  async function waitFor(read: () => string, pattern: RegExp, timeoutMs = 5000): Promise<RegExpMatchArray> {
    for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 10))) {
      const match = pattern.exec(read());
      if (match) return match;
    }
    throw new Error(`no ${pattern} in: ${read()}`);
  }

  it('parses its default projects, subgroups included, and --repos with subgroups', () => {
    expect(parseSimulateArgs(['--provider', 'gitlab'])).toMatchObject({
      provider: 'gitlab',
      repositories: [{ owner: 'acme', name: 'web' }, { owner: 'acme/platform', name: 'api' }, { owner: 'acme', name: 'mobile', isPrivate: true }],
    });
    expect(parseSimulateArgs(['--provider', 'gitlab', '--repos', 'a/b/c:private,d/e'])).toMatchObject({
      repositories: [{ owner: 'a/b', name: 'c', isPrivate: true }, { owner: 'd', name: 'e', isPrivate: false }],
    });
  });

  it('prints its REST API and tokens, serves pipelines, tells the story in GitLab\'s words and stops', async () => {
    const { out, finish } = start(['--provider', 'gitlab', '--speed', '40', '--seed', '3']);
    const [, api] = await waitFor(() => out.stdout, /REST API: +(\S+)/);
    expect(api).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v4$/);
    expect(out.stdout).toContain('GitLab CI simulator (seed 3, speed 40x)');
    expect(out.stdout).toMatch(/tokens: +sim-read-token \(READ\), sim-write-token \(WRITE\); READ is read_api, WRITE is api/);
    expect(out.stdout).toContain(`buildbell watch --gitlab-repos acme/web,acme/platform/api,acme/mobile --gitlab-api ${api} --gitlab-token sim-write-token --interval 15s`);

    const [, failed] = await waitFor(() => out.stdout, /acme\/web pipeline (\d+) failed: failed/);
    expect(out.stdout).toMatch(new RegExp(`acme/web pipeline ${failed} job \\d+ '[a-z ]+' failed \\((script failure|runner system failure)\\)`));
    await waitFor(() => out.stdout, /acme\/platform\/api pipeline \d+ manual: needs_approval \(main: /);

    const listing = await fetch(`${api}/projects/acme%2Fweb/pipelines?order_by=updated_at&sort=desc`);
    const pipelines = (await listing.json()) as { id: number; status: string; web_url: string }[];
    expect(pipelines.find((p) => String(p.id) === failed)).toMatchObject({ status: 'failed', web_url: `https://gitlab.com/acme/web/-/pipelines/${failed}` });
    expect(listing.headers.get('ratelimit-remaining')).toMatch(/^\d+$/);
    expect((await fetch(`${api}/projects/acme%2Fmobile`)).status).toBe(404);
    expect((await fetch(`${api}/projects/acme%2Fmobile`, { headers: { 'private-token': 'sim-read-token' } })).status).toBe(200);

    expect(await finish()).toBe(0);
    await expect(fetch(`${api}/projects/acme%2Fweb`)).rejects.toThrow();
  });

  it('with --relay and --secret, sends hooks with X-Gitlab-Token the relay stores and streams as GitLab events', async () => {
    const temp = makeTempDir();
    const seeded = seedRelayDatabase(temp.dir, 'acme');
    const relay: Relay = await startRelay({ database: seeded.file, port: 0 });
    cleanups.push(() => temp.remove(), () => relay.close());
    const client = await StreamRecorder.connect(relay.url, seeded.issueToken(['acme/**']).token);
    cleanups.push(() => client.close());

    const { out, finish } = start(['--provider', 'gitlab', '--speed', '40', '--relay', `${relay.url}/hooks/acme`, '--secret', TEST_SECRET, '--quiet']);
    await waitFor(() => out.stdout, /REST API/);
    expect(out.stdout).toContain(`webhooks:    ${relay.url}/hooks/acme (the secret as X-Gitlab-Token)`);
    expect(out.stdout).toContain(`buildbell watch --relay ${relay.url.replace('http', 'ws')} --token "$TOKEN" --gitlab-api `);
    await client.waitFor(() => client.events.some(({ event }) => event.build.state === 'failed' && event.task === null), 5000);
    const failed = client.events.find(({ event }) => event.build.state === 'failed' && event.task === null)!.event;
    expect(failed).toMatchObject({ provider: 'gitlab', repository: { owner: 'acme', name: 'web' }, build: { url: `https://gitlab.com/acme/web/-/pipelines/${failed.build.id}` } });
    expect(client.events.every(({ event }) => event.provider === 'gitlab')).toBe(true);
    expect(out.stdout).not.toMatch(/ pipeline \d+ /);
    expect(await finish()).toBe(0);
  });
});
