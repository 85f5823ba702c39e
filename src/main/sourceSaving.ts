/**
 * Saving and removing one source from the window. Each source is saved on its own, as an account
 * is added in Gitify or a pipeline in CCMenu: a source's save stores its tokens and restarts that
 * source alone, and a mistake in one editor never holds back the rest of the settings.
 *
 * Order matters for the token store: new tokens are written (and a renamed source's tokens moved)
 * before the settings name them, and tokens are deleted only after the settings stopped naming
 * them, and only when no other source names them too (an older file's `cirrus` reference may be a
 * relay's action token and a Cirrus source's token at once).
 */
import type { RequestOf } from '../core/ipc/contract.js';
import type { Settings, SourceSettings } from '../client/settings/schema.js';
import type { TokenStore } from '../client/settings/tokenStore.js';
import { streamUrl } from '../client/sources/relay/streamUrl.js';
import type { DesktopRuntime } from './runtime.js';
import { planSource, tokenEnvsOf, tokenRefsOf, type SourcePlan } from './sourceForm.js';

export interface SourceEditing {
  readonly runtime: Pick<DesktopRuntime, 'settings' | 'applySettings'>;
  readonly tokens: TokenStore;
}

/** The settings file's limit (settings/schema.ts). */
const MAX_SOURCES = 20;

/** Saves the editor's source; resolves to a sentence saying why not, or null when saved. */
export async function saveSource({ original, source: form }: RequestOf<'saveSource'>, { runtime, tokens }: SourceEditing): Promise<string | null> {
  const current = runtime.settings();
  const index = original === null ? -1 : current.sources.findIndex((entry) => entry.name === original);
  if (original !== null && index === -1) return `“${original}” is no longer in the settings (removed meanwhile?): add it again.`;
  if (index === -1 && current.sources.length >= MAX_SOURCES) return `buildbell watches at most ${MAX_SOURCES} sources: remove one first.`;
  const others = current.sources.filter((_, at) => at !== index);
  const clash = others.find((entry) => entry.name.toLowerCase() === form.name.toLowerCase());
  if (clash) return `Another source is already called “${clash.name}”: give this one its own name.`;

  const plan = planSource(form, current.sources[index], others);
  if (plan.entry.kind === 'relay') {
    try {
      streamUrl(plan.entry.url, undefined, { insecure: plan.entry.insecure === true });
    } catch (error) {
      return (error as Error).message;
    }
  }
  // Checked before anything is stored, so a refused save leaves no token behind.
  if (plan.entry.kind === 'relay' && !(await relayHasToken(plan, plan.entry, tokens))) {
    return 'The relay needs a token: enter the one the relay’s operator gave you.';
  }
  for (const { ref, token } of plan.writes) await tokens.set(ref, token);
  for (const { from, to } of plan.moves) {
    const token = await tokens.get(from);
    if (token !== undefined) await tokens.set(to, token);
  }
  const sources = [...current.sources];
  if (index === -1) sources.push(plan.entry);
  else sources[index] = plan.entry;
  // A new or moved token changes no setting of its own, yet the source must restart to use it.
  const tokensChanged = plan.writes.length + plan.moves.length > 0 || plan.dropped.length > 0;
  await runtime.applySettings({ ...current, sources }, { restartSources: tokensChanged ? [plan.entry.name] : [] });
  await deleteUnnamed([...plan.dropped, ...plan.moves.map((move) => move.from)], sources, tokens);
  return null;
}

/** Removes a source and the tokens only it named; resolves to a sentence saying why not, or null. */
export async function removeSource(name: string, { runtime, tokens }: SourceEditing): Promise<string | null> {
  const current = runtime.settings();
  const removed = current.sources.find((entry) => entry.name === name);
  if (removed === undefined) return `“${name}” is no longer in the settings.`;
  const sources = current.sources.filter((entry) => entry !== removed);
  const next: Settings = { ...current, sources };
  await runtime.applySettings(next);
  await deleteUnnamed(Object.values(tokenRefsOf(removed)), sources, tokens);
  return null;
}

/** Deletes each stored token no source names any more. */
async function deleteUnnamed(refs: readonly string[], sources: readonly SourceSettings[], tokens: TokenStore): Promise<void> {
  const named = new Set(sources.flatMap((entry) => Object.values(tokenRefsOf(entry))));
  for (const ref of new Set(refs)) if (!named.has(ref)) await tokens.delete(ref);
}

/** Whether the relay will have its token once the plan is carried out: typed, stored (or moved), or named by a variable. */
async function relayHasToken(plan: SourcePlan, entry: Extract<SourceSettings, { kind: 'relay' }>, tokens: TokenStore): Promise<boolean> {
  const ref = entry.tokenRef;
  if (tokenEnvsOf(entry).token !== undefined) return true;
  if (ref === undefined) return false;
  if (plan.writes.some((write) => write.ref === ref)) return true;
  return tokens.has(plan.moves.find((move) => move.to === ref)?.from ?? ref);
}
