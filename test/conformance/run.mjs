// `npm run test:conformance`: checks the project against what others wrote (the real payloads
// and the real Cirrus schema) in $BUILDBELL_CONFORMANCE_DIR, default ../shared. Without that
// folder it says so in one line and exits 1, before vitest starts.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = path.resolve(root, process.env.BUILDBELL_CONFORMANCE_DIR ?? '../shared');
if (!existsSync(path.join(dir, 'fixtures')) || !existsSync(path.join(dir, 'cirrus', 'schema.gql'))) {
  process.stderr.write(
    `test:conformance: no fixtures/ and cirrus/schema.gql in ${dir}: set BUILDBELL_CONFORMANCE_DIR to the folder that holds them (default ../shared)\n`,
  );
  process.exit(1);
}
const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
const result = spawnSync(process.execPath, [vitest, 'run', '--config', 'test/conformance/vitest.config.ts', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, BUILDBELL_CONFORMANCE_DIR: dir },
});
process.exit(result.status ?? 1);
