/**
 * Between one source's editor in the window and its entry in the settings file. The window never
 * sees a token: a token typed into the editor is taken out here, to go to the encrypted store under
 * the source's own reference, and the entry keeps only references.
 *
 * References: a new token is stored under `source:<name>:<purpose>`, so two sources never share one
 * by accident. Files from before the list of sources point at the fixed names `relay`, `cirrus` and
 * `github`; those keep working untouched (a reference is only a name in the store) until the user
 * types a new token, which then goes under the source's own reference. Renaming a source moves the
 * tokens kept under its own references to the new name's, so a later source given the old name
 * cannot inherit them.
 */
import type { SourceForm, TokenPurpose } from '../core/ipc/contract.js';
import type { SourceSettings } from '../client/settings/schema.js';

/** Where the token store keeps a source's token: by the source's name and the token's purpose. */
export function tokenRefFor(sourceName: string, purpose: TokenPurpose): string {
  return `source:${sourceName}:${purpose}`;
}

/** The references a source's entry names, by purpose. */
export function tokenRefsOf(entry: SourceSettings): Partial<Record<TokenPurpose, string>> {
  switch (entry.kind) {
    case 'demo':
      return {};
    case 'relay':
      return definedOnly({ token: entry.tokenRef, cirrusToken: entry.cirrusTokenRef, githubToken: entry.githubTokenRef, gitlabToken: entry.gitlabTokenRef });
    default:
      return definedOnly({ token: entry.tokenRef });
  }
}

/** The environment variables a source's entry names, by purpose. */
export function tokenEnvsOf(entry: SourceSettings): Partial<Record<TokenPurpose, string>> {
  switch (entry.kind) {
    case 'demo':
      return {};
    case 'relay':
      return definedOnly({ token: entry.tokenEnv, cirrusToken: entry.cirrusTokenEnv, githubToken: entry.githubTokenEnv, gitlabToken: entry.gitlabTokenEnv });
    default:
      return definedOnly({ token: entry.tokenEnv });
  }
}

/** What saving one source's editor does: the new entry, and the token store's part of it. */
export interface SourcePlan {
  readonly entry: SourceSettings;
  /** New tokens to store, each under its reference. */
  readonly writes: ReadonlyArray<{ readonly ref: string; readonly token: string }>;
  /** Stored tokens to move (a renamed source's own references). */
  readonly moves: ReadonlyArray<{ readonly from: string; readonly to: string }>;
  /** References the entry no longer names: delete each once no other source names it. */
  readonly dropped: readonly string[];
}

const PURPOSES: Readonly<Record<SourceSettings['kind'], readonly TokenPurpose[]>> = {
  demo: [],
  relay: ['token', 'cirrusToken', 'githubToken', 'gitlabToken'],
  cirrus: ['token'],
  github: ['token'],
  gitlab: ['token'],
};

/**
 * The entry for a (parsed) editor form. `existing` is the entry being edited (undefined for a new
 * source); `others` are the other sources, whose references are never reused. Settings the window
 * does not edit (intervals, endpoints, `tokenEnv`, a relay's `insecure` while its URL stays) are
 * kept from the existing entry of the same kind.
 */
export function planSource(form: SourceForm, existing: SourceSettings | undefined, others: readonly SourceSettings[]): SourcePlan {
  // A new kind is a new source: nothing of the old one's tokens may reach another CI.
  const before = existing?.kind === form.kind ? existing : undefined;
  const oldRefs = before ? tokenRefsOf(before) : {};
  const taken = new Set(others.flatMap((other) => Object.values(tokenRefsOf(other))));
  const writes: Array<{ ref: string; token: string }> = [];
  const moves: Array<{ from: string; to: string }> = [];
  const refs: Partial<Record<TokenPurpose, string>> = {};
  const removed = new Set<TokenPurpose>(form.kind === 'demo' ? [] : (form.removeTokens ?? []));

  for (const purpose of PURPOSES[form.kind]) {
    const old = oldRefs[purpose];
    const own = freeRef(tokenRefFor(form.name, purpose), taken);
    const typed = form.kind === 'demo' ? undefined : typedToken(form, purpose);
    if (typed !== undefined) {
      writes.push({ ref: own, token: typed });
      refs[purpose] = own;
    } else if (removed.has(purpose) || old === undefined) {
      // Nothing stored stays named.
    } else if (before !== undefined && before.name !== form.name && old === tokenRefFor(before.name, purpose) && old !== own) {
      moves.push({ from: old, to: own });
      refs[purpose] = own;
    } else {
      refs[purpose] = old;
    }
  }
  const kept = new Set(Object.values(refs));
  const dropped = existing ? Object.values(tokenRefsOf(existing)).filter((ref) => !kept.has(ref)) : [];
  return { entry: entryFor(form, before, refs, removed), writes, moves, dropped: [...new Set(dropped)] };
}

/**
 * The fields the window edits, by kind; every other field of the existing entry (intervals,
 * endpoints, `tokenEnv`, a relay's `fallbackUrls`, and whatever the file gains later) is kept as
 * the file has it, so an edit in the window never drops a setting it does not show.
 */
const EDITED_FIELDS: Readonly<Record<SourceSettings['kind'], readonly string[]>> = {
  demo: ['name', 'provider'],
  relay: ['name', 'url', 'insecure', 'tokenRef', 'cirrusTokenRef', 'githubTokenRef', 'gitlabTokenRef'],
  cirrus: ['name', 'repositories', 'tokenRef', 'token'],
  github: ['name', 'repositories', 'apiUrl', 'tokenRef'],
  gitlab: ['name', 'repositories', 'apiUrl', 'tokenRef'],
};

function entryFor(form: SourceForm, before: SourceSettings | undefined, refs: Partial<Record<TokenPurpose, string>>, removed: ReadonlySet<TokenPurpose>): SourceSettings {
  const kept = before === undefined ? {} : Object.fromEntries(Object.entries(before).filter(([field]) => !EDITED_FIELDS[form.kind].includes(field)));
  const ref = (field: string, purpose: TokenPurpose) => (refs[purpose] === undefined ? {} : { [field]: refs[purpose] });
  switch (form.kind) {
    case 'demo':
      return { kind: 'demo', name: form.name, ...kept, provider: form.provider };
    case 'relay': {
      // `insecure` (cleartext to another machine) is a file-only opt-in for one relay: kept while
      // the URL stays, never carried over to a URL typed in the window.
      const keepsInsecure = before?.kind === 'relay' && before.insecure === true && before.url === form.url;
      return {
        kind: 'relay',
        name: form.name,
        ...kept,
        url: form.url,
        ...(keepsInsecure ? { insecure: true } : {}),
        ...ref('tokenRef', 'token'),
        ...ref('cirrusTokenRef', 'cirrusToken'),
        ...ref('githubTokenRef', 'githubToken'),
        ...ref('gitlabTokenRef', 'gitlabToken'),
      };
    }
    case 'cirrus': {
      // The plain-text token of an older file goes when a token is typed or removed (the app moves it
      // into the store at start where it can; where it cannot, it stays until replaced).
      const plain = before?.kind === 'cirrus' && before.token !== undefined && form.token === undefined && !removed.has('token') ? { token: before.token } : {};
      return { kind: 'cirrus', name: form.name, pollIntervalSeconds: 60, ...kept, repositories: form.repositories, ...ref('tokenRef', 'token'), ...plain };
    }
    case 'github':
    case 'gitlab': {
      const fields = { name: form.name, pollIntervalSeconds: 60, ...kept, repositories: form.repositories, ...ref('tokenRef', 'token'), ...(form.apiUrl === undefined ? {} : { apiUrl: form.apiUrl }) };
      return form.kind === 'github' ? { kind: 'github', ...fields } : { kind: 'gitlab', ...fields };
    }
  }
}

function typedToken(form: Exclude<SourceForm, { kind: 'demo' }>, purpose: TokenPurpose): string | undefined {
  if (purpose === 'token') return form.token;
  return form.kind === 'relay' ? form[purpose] : undefined;
}

/** `ref`, or `ref#2`, `ref#3`… when another source names it (a hand-edited file may). */
function freeRef(ref: string, taken: ReadonlySet<string>): string {
  let candidate = ref;
  for (let n = 2; taken.has(candidate); n += 1) candidate = `${ref}#${n}`;
  return candidate;
}

function definedOnly<T>(record: Partial<Record<TokenPurpose, T | undefined>>): Partial<Record<TokenPurpose, T>> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Partial<Record<TokenPurpose, T>>;
}
