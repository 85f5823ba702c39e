/**
 * `buildbell send` against a real relay on 127.0.0.1 port 0 with a real SQLite file: every built-in
 * sample is taken, stored and streamed as its provider's event; a refusal prints the relay's
 * status and reason and exits 1.
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cliIo.js';
import { StreamRecorder, TEST_SECRET } from '../support/relay.js';
import { useRelay } from '../support/relayPerFile.js';

const served = useRelay();

const send = (...args: string[]) => runCli(['send', '--relay', `${served.relay.url}/hooks/acme`, ...args]);

describe('buildbell send', () => {
  it('POSTs each signed sample; the relay stores it and streams it as its provider\'s event', async () => {
    const client = await StreamRecorder.connect(served.relay.url, served.seeded.issueToken().token);
    const answers = [];
    for (const [provider, event] of [['cirrus', 'build'], ['cirrus', 'task'], ['github', 'workflow_run'], ['github', 'workflow_job']]) {
      const result = await send('--secret', TEST_SECRET, '--provider', provider!, '--event', event!);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      answers.push(JSON.parse(result.stdout) as { status: string; seq: number });
    }
    expect(answers.map((answer) => answer.status)).toEqual(['stored', 'stored', 'stored', 'stored']);
    await client.waitForEvents(4);
    expect(client.events.map((frame) => [frame.event.provider, frame.event.kind, (frame.event.task ?? frame.event.build).state])).toEqual([
      ['cirrus', 'build', 'failed'],
      ['cirrus', 'task', 'failed'],
      ['github', 'build', 'failed'],
      ['github', 'task', 'failed'],
    ]);
    client.close();
  });

  it('sends a Cirrus build by default, and a new delivery each time rather than a duplicate', async () => {
    const first = JSON.parse((await send('--secret', TEST_SECRET)).stdout) as { status: string; seq: number };
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = JSON.parse((await send('--secret', TEST_SECRET)).stdout) as { status: string; seq: number };
    expect([first.status, second.status]).toEqual(['stored', 'stored']);
    expect(second.seq).toBeGreaterThan(first.seq);
  });

  it('prints what the relay answers to an audit event and a ping', async () => {
    expect(JSON.parse((await send('--secret', TEST_SECRET, '--event', 'audit_event')).stdout)).toMatchObject({ status: 'recorded' });
    const ping = await send('--secret', TEST_SECRET, '--provider', 'github', '--event', 'ping');
    expect(ping.code).toBe(0);
    expect(JSON.parse(ping.stdout)).toMatchObject({ status: 'ignored', eventType: 'ping' });
  });

  it('on a wrong secret prints the status and the relay\'s error, and exits 1', async () => {
    const result = await send('--secret', 'not-the-channel-secret');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^buildbell send: the relay refused the build delivery: 401 .*signature/);
  });

  it('on an unknown channel prints the relay\'s status and its error', async () => {
    // The relay does not tell an unknown channel from a wrong secret (both 401), so a guess learns nothing.
    const result = await runCli(['send', '--relay', `${served.relay.url}/hooks/nope`, '--secret', TEST_SECRET]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/refused the build delivery: 401 .*no such channel/);
  });

  it('says when nothing listens at the URL', async () => {
    // A port that was free a moment ago: nothing answers there.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = server.address() as { port: number };
        server.close(() => resolve(free));
      });
    });
    const result = await runCli(['send', '--relay', `http://127.0.0.1:${port}/hooks/acme`, '--secret', TEST_SECRET]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/could not reach http:\/\/127\.0\.0\.1:\d+\/hooks\/acme: .*ECONNREFUSED/);
  });

  it.each([
    [['--secret', 's'], '--relay <url> is required'],
    [['--relay', 'ws://127.0.0.1:1/hooks/a', '--secret', 's'], '--relay takes the channel URL'],
    [['--relay', 'http://127.0.0.1:1/hooks/a'], '--secret <s> is required'],
    [['--relay', 'http://127.0.0.1:1/hooks/a', '--secret', 's', '--provider', 'gitlab'], "--provider takes cirrus or github, not 'gitlab'"],
    [['--relay', 'http://127.0.0.1:1/hooks/a', '--secret', 's', '--provider', 'github', '--event', 'build'], '--event for github takes workflow_run, workflow_job, ping'],
  ])('refuses %j with a usage error', async (args, message) => {
    const result = await runCli(['send', ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('explains itself in --help', async () => {
    const result = await runCli(['send', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('usage: buildbell send --relay <url>/hooks/<channel> --secret <s>');
    expect(result.stdout).toContain('build, task, audit_event');
  });
});
