/**
 * Which provider and repository each recent build belongs to, learnt from the events a source
 * feeds the engine. The engine's actions port names a build by id only; a GitHub action needs the
 * repository too (`/repos/{owner}/{repo}/actions/runs/{id}/...`), and a relay may carry builds of
 * both providers. Bounded: the engine itself forgets all but its most recent builds.
 */
import type { NormalisedEvent, Provider } from '../../core/event.js';

export interface LocatedBuild {
  readonly provider: Provider;
  readonly owner: string;
  readonly name: string;
}

export class BuildDirectory {
  readonly #builds = new Map<string, LocatedBuild>();

  /** @param maxBuilds builds remembered, least recently seen forgotten first. Default 1 000. */
  constructor(private readonly maxBuilds = 1000) {}

  /** Remembers the build of `event`; returns the event, so it can sit in a pipeline. */
  note(event: NormalisedEvent): NormalisedEvent {
    this.#builds.delete(event.build.id);
    this.#builds.set(event.build.id, { provider: event.provider, owner: event.repository.owner, name: event.repository.name });
    while (this.#builds.size > this.maxBuilds) this.#builds.delete(this.#builds.keys().next().value!);
    return event;
  }

  find(buildId: string): LocatedBuild | undefined {
    return this.#builds.get(buildId);
  }
}
