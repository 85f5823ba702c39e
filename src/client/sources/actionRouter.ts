/**
 * Approve and re-run for every source at once. Each source offers the actions of the APIs it
 * holds a token for, one per provider and installation (`SourceActions`); the router hands a
 * build to the one that can act on it: the same provider and, where several installations of one
 * provider are configured (github.com and a GitHub Enterprise Server), the one whose web host is
 * the build's. A build nobody can act on is a refusal that says what is missing.
 */
import type { Provider } from '../../core/event.js';
import type { BuildActionsPort, BuildRef } from '../../core/ports.js';
import { wordsOf } from '../../core/engine/words.js';

/** One API's actions, as a source offers them. */
export interface SourceActions extends BuildActionsPort {
  readonly provider: Provider;
  /**
   * The web host of the builds this API acts on (`github.com`, `ghe.example.com`), or undefined
   * when the provider has one installation (Cirrus) or the API is a local stand-in (the demo).
   */
  readonly host?: string;
}

export function routeBuildActions(actions: readonly SourceActions[]): BuildActionsPort | undefined {
  if (actions.length === 0) return undefined;
  const pick = (build: BuildRef): SourceActions => {
    const candidates = actions.filter((candidate) => candidate.provider === build.provider);
    if (candidates.length === 0) throw new Error(`no source has a ${wordsOf(build.provider).ci} token to act on this ${wordsOf(build.provider).build}`);
    const host = hostOf(build.url);
    const exact = candidates.find((candidate) => candidate.host !== undefined && candidate.host === host);
    if (exact) return exact;
    const anyHost = candidates.find((candidate) => candidate.host === undefined);
    if (anyHost) return anyHost;
    if (candidates.length === 1) return candidates[0]!;
    throw new Error(`no source has a ${wordsOf(build.provider).ci} token for ${host ?? 'this host'}`);
  };
  return {
    canAct: (build) => {
      try {
        pick(build);
        return true;
      } catch {
        return false;
      }
    },
    // async, so a refusal is a rejected promise like any other failure, never a synchronous throw.
    approve: async (build) => pick(build).approve(build),
    rerunFailedTasks: async (build) => pick(build).rerunFailedTasks(build),
  };
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}
