/** The `buildbell` command: picks the subcommand and hands it the arguments. Nothing else. */
import type { CliIo, Command } from './io.js';
import { processIo, UsageError } from './io.js';

const USAGE = `usage: buildbell <command> [options]

commands:
  relay       serve Cirrus webhooks and stream them to desktops
  admin       manage the relay's channels and tokens
  stream      print a relay's stream as JSON lines (for checking a relay by hand)
  watch       desktop notifications from a terminal
  simulate    run the Cirrus simulator (signed webhooks and a GraphQL API)
  send        POST one signed sample delivery to a relay channel and print its answer
  approve     approve a build waiting for approval
  rerun       re-run the failed tasks of a build

Run 'buildbell <command> --help' for a command's options.`;

/** Each command is loaded only when called, so `buildbell admin` never starts what `watch` needs. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  relay: async () => (await import('./commands/relay.js')).relayCommand,
  admin: async () => (await import('./commands/admin.js')).adminCommand,
  stream: async () => (await import('./commands/stream.js')).streamCommand,
  watch: async () => (await import('./commands/watch.js')).watchCommand,
  simulate: async () => (await import('./commands/simulate.js')).simulateCommand,
  send: async () => (await import('./commands/send.js')).sendCommand,
  approve: async () => (await import('./commands/actions.js')).approveCommand,
  rerun: async () => (await import('./commands/actions.js')).rerunCommand,
};

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return name === undefined ? 2 : 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.stderr.write(`buildbell: unknown command '${name}'\n\n${USAGE}\n`);
    return 2;
  }
  try {
    return await (await load())(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`buildbell ${name}: ${error.message}\nRun 'buildbell ${name} --help' for usage.\n`);
      return 2;
    }
    throw error;
  }
}
