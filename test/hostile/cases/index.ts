/** The whole hostile corpus, in the order it runs; corpus.json lists the same cases. */
import type { HostileCase } from '../corpus.js';
import { gitlabCases } from './gitlab.js';
import { httpCases } from './http.js';
import { payloadCases } from './payload.js';
import { streamCases } from './stream.js';

export function hostileCorpus(): HostileCase[] {
  const cases = [...payloadCases(), ...gitlabCases(), ...httpCases(), ...streamCases()];
  const ids = new Set(cases.map((entry) => entry.id));
  if (ids.size !== cases.length) throw new Error('two hostile cases share an id');
  return cases;
}

/** What corpus.json holds for each case: everything a reviewer needs, without megabyte bodies. */
export function listing(cases: readonly HostileCase[]) {
  return cases.map(({ id, category, description, kind, expect }) => ({ id, category, kind, description, expect }));
}
