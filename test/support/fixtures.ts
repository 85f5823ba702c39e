/**
 * The project's own fixtures under test/fixtures/: sample deliveries and the Cirrus SDL that
 * `npm test` reads, so a clone with nothing beside it passes. What others wrote (the real
 * payloads, the real schema) is read only by `npm run test:conformance` (test/conformance/).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseJsonLosslessly } from '../../src/core/json.js';
import { projectRoot } from './paths.js';

export const fixturesRoot = path.join(projectRoot, 'test', 'fixtures');

/** The exact bytes of a fixture, e.g. `fixtureBytes('cirrus/build.json')`: what gets signed and sent. */
export function fixtureBytes(relativePath: string): Buffer {
  return readFileSync(path.join(fixturesRoot, relativePath));
}

/** A fixture's text, e.g. the SDL in `cirrus/schema.gql`. */
export function fixtureText(relativePath: string): string {
  return fixtureBytes(relativePath).toString('utf8');
}

/** A JSON fixture parsed as the relay parses it: ids past 2^53 keep every digit. */
export function fixtureJson(relativePath: string): Record<string, unknown> {
  return parseJsonLosslessly(fixtureText(relativePath)) as Record<string, unknown>;
}
