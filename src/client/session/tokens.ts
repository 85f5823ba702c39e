/**
 * Where a source's tokens come from. A source names a token, never holds it: by a reference into a
 * store (the desktop app's encrypted store; for `watch`, the tokens its flags gave) or by an
 * environment variable (`"tokenEnv": "WORK_GITHUB_TOKEN"`). A named token that cannot be had is a
 * `SourceSetupError` saying where it was looked for, so the tray can say what to do.
 */

/** A source that cannot start; the message says what to do. */
export class SourceSetupError extends Error {
  override readonly name = 'SourceSetupError';
}

/** What a resolver reads references from: the app's encrypted store, or the flags' tokens. */
export interface TokenSource {
  get(ref: string): Promise<string | undefined>;
  /** Why tokens cannot be read here at all, for the error; null when they can. */
  unavailableReason(): string | null;
}

export interface TokenResolver {
  /**
   * The token a source names by `ref` or `env` (the reference first), or undefined when it names
   * none. `what` says whose token it is, for the error: "the relay token of “work relay”".
   */
  resolve(names: { readonly ref?: string | undefined; readonly env?: string | undefined }, what: string): Promise<string | undefined>;
}

export function createTokenResolver(options: { readonly store: TokenSource; readonly env: Readonly<Record<string, string | undefined>> }): TokenResolver {
  return {
    async resolve({ ref, env }, what) {
      if (ref !== undefined) {
        const token = await options.store.get(ref);
        if (token !== undefined) return token;
        if (env === undefined) {
          const reason = options.store.unavailableReason();
          throw new SourceSetupError(
            reason === null
              ? `${what} is not stored: open Settings… and enter it again`
              : `${what} is in the desktop app's token store, which cannot be read here (${reason}): name an environment variable with "tokenEnv" instead`,
          );
        }
      }
      if (env !== undefined) {
        const token = options.env[env];
        if (token === undefined || token === '') throw new SourceSetupError(`${what} comes from $${env}, which is not set`);
        return token;
      }
      return undefined;
    },
  };
}

/** Tokens held in memory under references: what `watch` builds from its flags. */
export function memoryTokenSource(tokens: ReadonlyMap<string, string>, unavailable: string | null = null): TokenSource {
  return {
    get: async (ref) => tokens.get(ref),
    unavailableReason: () => unavailable,
  };
}
