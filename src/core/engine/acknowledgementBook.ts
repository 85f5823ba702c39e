/**
 * Who is on which failed build ("I'm on it", issue #17): per build, the people whose word is
 * active, each with when they said it and whether it was this desktop's user. Pure state; the
 * engine feeds it acknowledgements (from a relay, or the user's own held locally) and the builds'
 * verdicts, and reads who is on a build for the tray and the notification.
 *
 * The rules:
 * - An acknowledgement adds (or renews) its sender on the build; a withdrawal removes them.
 * - A verdict on a branch (a build of it passed, failed or errored) clears every acknowledgement
 *   on that branch's builds made before the verdict: a pass means nobody needs to be on it, and
 *   a new failure (of a newer build, or of a new attempt of the same one) is new news that
 *   someone must take up again. "Before" compares the acknowledgement's time with the verdict's,
 *   so the rules hold whatever order a replay brings the two in; "newer" is the order in which
 *   verdicts arrive, as the engine's "still failing" already reads it.
 * - Acknowledgements are kept by build key whether or not the build is known yet: one that a
 *   replay (or another source) brings before the build's events is shown once they arrive, and
 *   a verdict on its branch clears it all the same, since it carries its own branch.
 *
 * Memory is bounded: the builds acknowledged least recently are forgotten first.
 */
import type { Acknowledgement } from '../acknowledgement.js';
import type { Provider } from '../event.js';
import { branchKey, buildKey, type TrackedBuild } from './buildTracker.js';

/** One person's active word on a build. */
export interface OnItPerson {
  /** Their token's label as the relay sent it (hostile text: cleaned where shown), or the local user's. */
  readonly name: string;
  /** This desktop's user: said from here, or echoed back as sent with this desktop's token. */
  readonly own: boolean;
  /** Epoch ms at which it was said (the relay's clock, or this desktop's for a local one). */
  readonly at: number;
}

/** What the book needs of an acknowledgement: the shared one's fields, plus whose it is. */
export interface AcknowledgementEntry {
  readonly provider: Provider;
  readonly repositoryId: string;
  readonly buildId: string;
  readonly branch: string | null;
  readonly by: string;
  readonly active: boolean;
  readonly at: number;
  readonly own: boolean;
  /**
   * The user's word held on this desktop, which no relay carries: kept apart from every relay's
   * names (a token's label can be any text, so no name could be reserved for it). Default false.
   */
  readonly local?: boolean;
}

/** Where a word is kept on its build: a relay's by its sender's label, the local one on its own. */
function personKey(entry: Pick<AcknowledgementEntry, 'by' | 'local'>): string {
  return entry.local ? 'local' : `relay:${entry.by}`;
}

/** A relay's acknowledgement as the book keeps it; `own` is whether this desktop's token sent it. */
export function entryOf(ack: Acknowledgement, own: boolean): AcknowledgementEntry {
  return { provider: ack.provider, repositoryId: ack.repository.id, buildId: ack.buildId, branch: ack.branch, by: ack.by, active: ack.active, at: ack.at, own };
}

interface BuildAcknowledgements {
  readonly branchKey: string;
  /** By `personKey`: one word per person (a renewal replaces it). */
  readonly people: Map<string, OnItPerson>;
}

export interface AcknowledgementBookOptions {
  /** Builds whose acknowledgements are kept. Default 500: more than the tracker's builds, so pending ones fit too. */
  readonly maxBuilds?: number;
}

export class AcknowledgementBook {
  readonly #builds = new Map<string, BuildAcknowledgements>();
  readonly #maxBuilds: number;

  constructor(options: AcknowledgementBookOptions = {}) {
    this.#maxBuilds = options.maxBuilds ?? 500;
  }

  /** Folds one acknowledgement or withdrawal in; true when who is on the build changed. */
  record(entry: AcknowledgementEntry): boolean {
    const target = buildKey(entry.provider, entry.buildId);
    const existing = this.#builds.get(target);
    if (!entry.active) {
      const person = existing?.people.get(personKey(entry));
      // A withdrawal older than the word it would remove is stale (a replay out of order): the word stands.
      if (!existing || !person || person.at > entry.at) return false;
      existing.people.delete(personKey(entry));
      if (existing.people.size === 0) this.#builds.delete(target);
      return true;
    }
    const builds = existing ?? { branchKey: branchKey(entry.provider, entry.repositoryId, entry.branch), people: new Map<string, OnItPerson>() };
    const key = personKey(entry);
    const before = builds.people.get(key);
    if (before && before.at > entry.at) return false;
    // One user, one word: the user's own under another name (held here before a relay carried the build) gives way.
    if (entry.own) for (const [other, person] of builds.people) if (person.own && other !== key) builds.people.delete(other);
    builds.people.set(key, { name: entry.by, own: entry.own || (before?.own ?? false), at: entry.at });
    // Most recently acknowledged last, so the stalest is evicted first.
    this.#builds.delete(target);
    this.#builds.set(target, builds);
    while (this.#builds.size > this.#maxBuilds) this.#builds.delete(this.#builds.keys().next().value!);
    return before === undefined || before.own !== entry.own;
  }

  /** Removes the user's word held on this desktop, whatever its time; true when there was one. */
  forgetLocal(buildKeyOfBuild: string): boolean {
    const builds = this.#builds.get(buildKeyOfBuild);
    if (!builds?.people.delete(personKey({ by: '', local: true }))) return false;
    if (builds.people.size === 0) this.#builds.delete(buildKeyOfBuild);
    return true;
  }

  /**
   * A build of this branch reached a verdict (passed, failed, errored) at `at`: every word on the
   * branch's builds said up to then is cleared. Returns the keys of the builds that changed.
   */
  clearBranch(branch: string, at: number): string[] {
    const changed: string[] = [];
    for (const [key, builds] of this.#builds) {
      if (builds.branchKey !== branch) continue;
      const before = builds.people.size;
      for (const [name, person] of builds.people) {
        if (person.at <= at) builds.people.delete(name);
      }
      if (builds.people.size === before) continue;
      if (builds.people.size === 0) this.#builds.delete(key);
      changed.push(key);
    }
    return changed;
  }

  /**
   * After the tracker folded in an event: when the build reached a verdict (its state changed to
   * passed, failed or errored, at `at`), the words said on its branch before then are cleared.
   * Returns the keys of the builds that changed.
   */
  afterBuildChange(build: Pick<TrackedBuild, 'provider' | 'repository' | 'branch' | 'state'>, stateChanged: boolean, at: number): string[] {
    const verdict = build.state === 'passed' || build.state === 'failed' || build.state === 'errored';
    if (!stateChanged || !verdict) return [];
    return this.clearBranch(branchKey(build.provider, build.repository.id, build.branch), at);
  }

  /** Who is on a build: this desktop's user first, then the others in the order they said it. */
  onIt(buildKeyOfBuild: string): readonly OnItPerson[] {
    const builds = this.#builds.get(buildKeyOfBuild);
    if (!builds) return NOBODY;
    return [...builds.people.values()].sort((a, b) => Number(b.own) - Number(a.own) || a.at - b.at);
  }

  /** True when this desktop's user is on the build. */
  isOwnActive(buildKeyOfBuild: string): boolean {
    return this.onIt(buildKeyOfBuild).some((person) => person.own);
  }
}

const NOBODY: readonly OnItPerson[] = Object.freeze([]);
