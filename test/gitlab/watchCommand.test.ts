/**
 * The watch command `simulate --provider gitlab` prints is one `watch` understands: its flags map
 * onto a GitLab source with the simulator's API and write token, and the poller built from exactly
 * that (as the session will build it) sees the simulator's pipelines and acts on them. The session
 * itself does not start GitLab sources yet; this holds the pieces it will join to the same contract.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseWatchArgs } from '../../src/cli/commands/watch.js';
import { FLAG_TOKEN_REFS, watchSettings } from '../../src/cli/commands/watchSettings.js';
import { parseSimulateArgs, runSimulate, type SimulateOptions } from '../../src/cli/commands/simulate.js';
import type { CliIo } from '../../src/cli/io.js';
import type { ConnectionUpdate } from '../../src/client/engine/engine.js';
import type { EventSink } from '../../src/client/sources/contract.js';
import { prepareGitlabPoller } from '../../src/client/sources/gitlab/source.js';
import { settingsSchema } from '../../src/client/settings/schema.js';
import type { NormalisedEvent } from '../../src/core/event.js';
import { silentLogger } from '../../src/core/ports.js';
import { createGitlabApi } from '../../src/providers/gitlab/api/client.js';

describe('the watch command simulate --provider gitlab prints', () => {
  it('is a GitLab source on the simulator whose poller sees its pipelines and whose Re-run reaches it', async () => {
    let stdout = '';
    const io: CliIo = { stdout: new Writable({ write(chunk, _e, done) { stdout += String(chunk); done(); } }), stderr: new Writable({ write(_c, _e, done) { done(); } }), env: {} };
    let stop!: () => void;
    const running = runSimulate(parseSimulateArgs(['--provider', 'gitlab', '--seed', '1', '--speed', '40', '--quiet']) as SimulateOptions, io, new Promise<void>((resolve) => (stop = resolve)));
    try {
      for (let waited = 0; !/watch it: /.test(stdout) && waited < 5_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
      const line = /watch it: +(.*)/.exec(stdout)![1]!;
      const api = /REST API: +(\S+)/.exec(stdout)![1]!;
      const { settings, tokens } = watchSettings(parseWatchArgs(line.split(' ').slice(2)), settingsSchema.parse({}), { env: {} });
      const [source] = settings.sources;
      expect(settings.sources).toHaveLength(1);
      expect(source).toMatchObject({ kind: 'gitlab', repositories: ['acme/web', 'acme/platform/api', 'acme/mobile'], apiUrl: api, pollIntervalSeconds: 15, tokenRef: FLAG_TOKEN_REFS.gitlab });
      if (source?.kind !== 'gitlab') throw new Error('expected a GitLab source');

      // What the session's `case 'gitlab'` is to do with it.
      const token = tokens.get(FLAG_TOKEN_REFS.gitlab);
      const prepared = prepareGitlabPoller(
        { kind: 'gitlab', api: createGitlabApi({ baseUrl: source.apiUrl!, ...(token ? { token } : {}) }), apiUrl: source.apiUrl!, repositories: source.repositories, intervalMs: source.pollIntervalSeconds * 1000 },
        { logger: silentLogger, clock: Date.now },
      );
      const events: NormalisedEvent[] = [];
      const connections: ConnectionUpdate[] = [];
      const sink = { handle: (event: NormalisedEvent) => void events.push(event), setConnection: (update: ConnectionUpdate) => void connections.push(update), beginCatchUp() {}, endCatchUp() {}, trayModel: () => ({ repositories: [] }) } as unknown as EventSink;
      await prepared.start(sink);
      expect(connections.at(-1)).toMatchObject({ connected: true, source: 'GitLab API (3 projects)' });

      // The opening scene's failed pipeline, found through the API the poller reads; Re-run through the source's actions.
      const reader = createGitlabApi({ baseUrl: api, token: 'sim-read-token' });
      let failed: string | undefined;
      for (let attempt = 0; attempt < 200 && !failed; attempt += 1) {
        const listing = await reader.listPipelines('acme/web');
        failed = listing.kind === 'listed' ? listing.pipelines.find((p) => p.status === 'failed' && Date.parse(p.created_at ?? '') > Date.now() - 60_000)?.id : undefined;
        if (!failed) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(failed).toBeDefined();
      await prepared.actions[0]!.rerunFailedTasks({ provider: 'gitlab', repository: { owner: 'acme', name: 'web' }, id: failed!, url: `https://gitlab.com/acme/web/-/pipelines/${failed}` });
      const after = await reader.listPipelines('acme/web');
      expect(after.kind === 'listed' && after.pipelines.find((p) => p.id === failed)?.status).not.toBe('failed');
      await prepared.stop();
    } finally {
      stop();
      await running;
    }
  });
});
