/**
 * `buildbell admin`: channels and tokens in the relay's database. Works while the relay runs;
 * the relay notices the change within a second (a revoked token's sockets close).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ZodError } from 'zod';
import { describeZodError } from '../../core/validation.js';
import { openStorage } from '../../relay/storage/openStorage.js';
import type { RelayStorage } from '../../relay/storage/storage.js';
import type { CliIo, Command } from '../io.js';
import { UsageError } from '../io.js';
import { DEFAULT_DATABASE } from './defaults.js';

const HELP = `usage: buildbell admin <what> <action> [options]   (all take --db <file|postgres://…>, default ${DEFAULT_DATABASE})

  channel add <name> --secret <secret>   add a webhook endpoint, POST /hooks/<name> (or replace its secret)
          (or --secret-file <file>)      read the secret from a file instead of the command line
  channel list                           list channels
  channel remove <name>                  remove a channel with its tokens and events

  token add --channel <name> --label <who> [--repos <glob>[,<glob>...]]
                                         issue a client token, printed alone on the last line;
                                         --repos narrows it to those repositories (acme/*, acme/web);
                                         without --repos it sees every repository of the channel;
                                         a --repos with no pattern (e.g. an empty $REPOS) is
                                         refused, never read as "all"
  token list                             list tokens (never their secrets)
  token revoke <id>                      revoke a token; its open streams close
`;

export const adminCommand: Command = async (args, io) => {
  const { values, positionals } = parseArgs({
    args,
    options: {
      db: { type: 'string' },
      secret: { type: 'string' },
      'secret-file': { type: 'string' },
      channel: { type: 'string' },
      label: { type: 'string' },
      repos: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help || positionals.length === 0) {
    io.stdout.write(HELP);
    return values.help ? 0 : 2;
  }
  const [what, action, ...rest] = positionals;
  const storage = await openStorage(values.db ?? io.env['BUILDBELL_DB'] ?? DEFAULT_DATABASE);
  try {
    const run = what === 'channel' ? channelAction : what === 'token' ? tokenAction : undefined;
    if (!run) throw new UsageError(`unknown '${what}': use 'channel' or 'token'`);
    return await run(storage, action, rest, values, io);
  } catch (error) {
    if (error instanceof ZodError) throw new UsageError(describeZodError(error).replace(/^\(root\): /, ''));
    throw error;
  } finally {
    await storage.close();
  }
};

type Values = { secret?: string; 'secret-file'?: string; channel?: string; label?: string; repos?: string };

async function channelAction(storage: RelayStorage, action: string | undefined, rest: string[], values: Values, io: CliIo): Promise<number> {
  switch (action) {
    case 'add': {
      const name = one(rest, 'channel add <name>');
      const secret = values['secret-file'] !== undefined ? readFileSync(values['secret-file'], 'utf8').trim() : values.secret;
      if (secret === undefined) throw new UsageError('channel add needs --secret <secret> (or --secret-file <file>): the secret Cirrus signs deliveries with');
      const result = await storage.upsertChannel(name, secret, Date.now());
      io.stdout.write(result === 'created'
        ? `added channel ${name}: point Cirrus at <relay URL>/hooks/${name} with the same secret\n`
        : `replaced the secret of channel ${name}: set the same secret in Cirrus now\n`);
      return 0;
    }
    case 'list': {
      const list = await storage.listChannels();
      if (list.length === 0) io.stdout.write('no channels\n');
      for (const channel of list) io.stdout.write(`${channel.name}\tcreated ${new Date(channel.createdAt).toISOString()}\n`);
      return 0;
    }
    case 'remove': {
      const name = one(rest, 'channel remove <name>');
      if (!(await storage.removeChannel(name))) {
        io.stderr.write(`no channel named '${name}'\n`);
        return 1;
      }
      io.stdout.write(`removed channel ${name} with its tokens and events\n`);
      return 0;
    }
    default:
      throw new UsageError(action === undefined ? 'channel needs an action: add, list or remove' : `unknown channel action '${action}': use add, list or remove`);
  }
}

async function tokenAction(storage: RelayStorage, action: string | undefined, rest: string[], values: Values, io: CliIo): Promise<number> {
  switch (action) {
    case 'add': {
      if (!values.channel) throw new UsageError('token add needs --channel <name>');
      if (!values.label) throw new UsageError('token add needs --label <who>, to tell tokens apart when revoking');
      if ((await storage.channelSecret(values.channel)) === undefined) {
        io.stderr.write(`no channel named '${values.channel}': add it first with 'buildbell admin channel add ${values.channel} --secret <secret>'\n`);
        return 1;
      }
      const repos = repositoryScope(values.repos);
      const { info, token } = await storage.issueToken(values.channel, values.label, repos, Date.now());
      io.stdout.write(`issued ${info.id} for ${info.label} on channel ${info.channel}, repositories: ${describeScope(info.repos)}\n`);
      io.stdout.write('the token is shown once; store it now:\n');
      io.stdout.write(`${token}\n`);
      return 0;
    }
    case 'list': {
      const list = await storage.listTokens();
      if (list.length === 0) io.stdout.write('no tokens\n');
      for (const info of list) {
        const state = info.revokedAt === null ? 'active' : `revoked ${new Date(info.revokedAt).toISOString()}`;
        io.stdout.write(`${info.id}\t${info.channel}\t${info.label}\t${describeScope(info.repos)}\t${state}\n`);
      }
      return 0;
    }
    case 'revoke': {
      const id = one(rest, 'token revoke <id>');
      if (!(await storage.revokeToken(id, Date.now()))) {
        io.stderr.write(`no active token with id '${id}' (see 'buildbell admin token list')\n`);
        return 1;
      }
      io.stdout.write(`revoked ${id}; its open streams close within a second\n`);
      return 0;
    }
    default:
      throw new UsageError(action === undefined ? 'token needs an action: add, list or revoke' : `unknown token action '${action}': use add, list or revoke`);
  }
}

/**
 * The token's scope from `--repos`. Absent means every repository of the channel (an empty scope).
 * A `--repos` that names no pattern (empty, or only commas and spaces) is refused: it is what an
 * unset `$REPOS` in a script produces, and reading it as "all" would widen a token its issuer
 * meant to narrow.
 */
export function repositoryScope(option: string | undefined): string[] {
  if (option === undefined) return [];
  const patterns = option.split(',').map((glob) => glob.trim()).filter(Boolean);
  if (patterns.length === 0) {
    throw new UsageError(
      `--repos ${JSON.stringify(option)} names no repository pattern: give at least one (e.g. --repos 'acme/*'), or leave --repos out for every repository of the channel`,
    );
  }
  return patterns;
}

function one(rest: string[], usage: string): string {
  if (rest.length !== 1) throw new UsageError(`usage: buildbell admin ${usage}`);
  return rest[0]!;
}

function describeScope(repos: readonly string[]): string {
  return repos.length === 0 ? 'all' : repos.join(',');
}
