import { afterAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { statSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { openRelayDatabase } from '../../src/relay/database.js';
import { TokenStore } from '../../src/relay/tokens.js';
import { runCli } from '../support/cliIo.js';
import { BUILDBELL } from '../support/processes.js';
import { makeTempDir } from '../support/temp.js';

const temp = makeTempDir();
const db = path.join(temp.dir, 'relay.db');
afterAll(() => temp.remove());

describe('buildbell admin', () => {
  it('adds a channel and keeps the database private to its owner', async () => {
    const result = await runCli(['admin', 'channel', 'add', 'acme', '--secret', 'correct-horse-battery', '--db', db]);
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toContain('/hooks/acme');
    expect(statSync(db).mode & 0o777).toBe(0o600);
    expect((await runCli(['admin', 'channel', 'list', '--db', db])).stdout).toMatch(/^acme\t/m);
  });

  it('refuses a short secret and a bad channel name, naming the problem', async () => {
    const short = await runCli(['admin', 'channel', 'add', 'x', '--secret', 'short', '--db', db]);
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('at least 16 characters');
    const bad = await runCli(['admin', 'channel', 'add', '../etc', '--secret', 'correct-horse-battery', '--db', db]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('a channel name is');
  });

  it('issues a token, prints it alone on the last line and stores only its hash', async () => {
    const result = await runCli(['admin', 'token', 'add', '--channel', 'acme', '--label', 'ana', '--repos', 'acme/*,other/web', '--db', db]);
    expect(result.code).toBe(0);
    const token = result.stdout.trim().split('\n').at(-1)!;
    expect(token).toMatch(/^bb_[A-Za-z0-9_-]{43}$/);
    const handle = openRelayDatabase(db);
    const stored = handle.prepare('SELECT hash, repos FROM tokens').all() as Array<{ hash: string; repos: string }>;
    const info = new TokenStore(handle).authenticate(token);
    handle.close();
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(info).toMatchObject({ channel: 'acme', label: 'ana', repos: ['acme/*', 'other/web'] });
  });

  it('lists tokens without secrets and revokes one', async () => {
    const list = await runCli(['admin', 'token', 'list', '--db', db]);
    const id = list.stdout.split('\t')[0]!;
    expect(id).toMatch(/^tok_[0-9a-f]{12}$/);
    expect(list.stdout).toContain('acme/*,other/web\tactive');
    expect(list.stdout).not.toContain('bb_');
    expect((await runCli(['admin', 'token', 'revoke', id, '--db', db])).code).toBe(0);
    expect((await runCli(['admin', 'token', 'list', '--db', db])).stdout).toContain('\trevoked ');
    const again = await runCli(['admin', 'token', 'revoke', id, '--db', db]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('no active token');
  });

  it('refuses a token for a channel that does not exist, or with a bad scope', async () => {
    const noChannel = await runCli(['admin', 'token', 'add', '--channel', 'nope', '--label', 'x', '--db', db]);
    expect(noChannel.code).toBe(1);
    expect(noChannel.stderr).toContain("no channel named 'nope'");
    const badScope = await runCli(['admin', 'token', 'add', '--channel', 'acme', '--label', 'x', '--repos', 'just-a-name', '--db', db]);
    expect(badScope.code).toBe(2);
    expect(badScope.stderr).toContain('owner/name');
  });

  it('refuses a --repos with no pattern, as an empty $REPOS in a script gives, and issues no token', async () => {
    const tokensBefore = tokenCount();
    // The real command through a shell, as an operator's script runs it: `--repos "$REPOS"` with REPOS unset.
    const script = await shell(`"$NODE" "$BUILDBELL" admin token add --channel acme --label ci --repos "$REPOS" --db "$DB"`, {
      NODE: process.execPath, BUILDBELL, DB: db, REPOS: '',
    });
    expect(script.code).toBe(2);
    expect(script.stderr).toContain('names no repository pattern');
    expect(script.stdout).not.toContain('bb_');
    for (const repos of [',', ' , ,', '   ']) {
      const result = await runCli(['admin', 'token', 'add', '--channel', 'acme', '--label', 'ci', `--repos=${repos}`, '--db', db]);
      expect(result.code, `--repos ${JSON.stringify(repos)}`).toBe(2);
      expect(result.stdout).not.toContain('bb_');
    }
    expect(tokenCount()).toBe(tokensBefore);
  });

  it('issues an all-repositories token only when --repos is left out, and says so', async () => {
    const result = await runCli(['admin', 'token', 'add', '--channel', 'acme', '--label', 'everything', '--db', db]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('repositories: all');
    const help = await runCli(['admin', '--help']);
    expect(help.stdout).toContain('without --repos it sees every repository of the channel');
  });

  it('prints usage for an unknown action', async () => {
    const result = await runCli(['admin', 'channel', 'explode', '--db', db]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('use add, list or remove');
  });
});

function tokenCount(): number {
  const handle = openRelayDatabase(db);
  try {
    return (handle.prepare('SELECT count(*) AS n FROM tokens').get() as { n: number }).n;
  } finally {
    handle.close();
  }
}

function shell(command: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('sh', ['-c', command], { env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}
