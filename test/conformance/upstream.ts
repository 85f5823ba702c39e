/**
 * What others wrote, read where it is: the real upstream payloads and the real Cirrus schema in
 * `$BUILDBELL_CONFORMANCE_DIR` (default `../shared` beside the project). Never copied into the
 * project; only `npm run test:conformance` reads them.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseJsonLosslessly } from '../../src/core/json.js';
import { projectRoot } from '../support/paths.js';

/** The folder the conformance checks read: `fixtures/` and `cirrus/schema.gql` inside it. */
export const conformanceDir = path.resolve(projectRoot, process.env['BUILDBELL_CONFORMANCE_DIR'] ?? '../shared');

// run.mjs checks this before vitest starts; the check here covers a direct `vitest --config`.
if (!existsSync(path.join(conformanceDir, 'fixtures')) || !existsSync(path.join(conformanceDir, 'cirrus', 'schema.gql'))) {
  throw new Error(`test:conformance: no fixtures/ and cirrus/schema.gql in ${conformanceDir}: set BUILDBELL_CONFORMANCE_DIR to the folder that holds them (default ../shared)`);
}

/** The exact bytes of a real payload, e.g. `upstreamFixture('cirrus/build.json')`. */
export function upstreamFixture(relativePath: string): Buffer {
  return readFileSync(path.join(conformanceDir, 'fixtures', relativePath));
}

/** A real payload parsed as the relay parses it (ids past 2^53 keep every digit). */
export function upstreamJson(relativePath: string): Record<string, unknown> {
  return parseJsonLosslessly(upstreamFixture(relativePath).toString('utf8')) as Record<string, unknown>;
}

/** Any other file of the folder, e.g. `upstreamFile('cirrus/schema.gql')`. */
export function upstreamFile(relativePath: string): string {
  return readFileSync(path.join(conformanceDir, relativePath), 'utf8');
}
