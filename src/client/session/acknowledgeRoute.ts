/**
 * The session's one "I'm on it" port for its engine: a word goes to the first running source
 * whose relay carries the build (`canShare`), looked up when asked, since sources come and go
 * under one engine. When none can, `canShare` says no and the engine keeps the word on this
 * desktop; `acknowledge` is then never called, and rejects if it is.
 */
import type { AcknowledgePort, BuildRef } from '../../core/ports.js';
import type { PreparedSource } from '../sources/contract.js';

export function routeAcknowledgements(sources: () => readonly (PreparedSource | null)[]): AcknowledgePort {
  const sharing = (build: BuildRef): AcknowledgePort | undefined =>
    sources().find((source) => source?.acknowledgements?.canShare(build) === true)?.acknowledgements;
  return {
    canShare: (build) => sharing(build) !== undefined,
    acknowledge: async (build, active) => {
      const port = sharing(build);
      if (!port) throw new Error(`no connected relay carries ${build.repository.owner}/${build.repository.name}`);
      return port.acknowledge(build, active);
    },
  };
}
