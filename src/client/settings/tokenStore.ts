/**
 * API tokens, kept apart from the settings file and encrypted by the operating system's keychain
 * (Electron's safeStorage: Keychain on macOS, DPAPI on Windows, the Secret Service or KWallet on
 * Linux). The settings hold only a reference (`tokenRef`); this file holds the ciphertexts, as
 * base64, one per reference. When no real encryption is available the store refuses to save and
 * says why: a token is never written in plain text.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomically } from '../atomicFile.js';

/** The part of Electron's safeStorage the store uses; tests pass a fake. */
export interface Encryptor {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: `basic_text` means a fixed key, which is obfuscation, not encryption. */
  getSelectedStorageBackend?(): string;
}

/** The store cannot keep a token safely, or cannot read one; the message is for the user. */
export class TokenStorageError extends Error {
  override readonly name = 'TokenStorageError';
}

const fileSchema = z.strictObject({ version: z.literal(1), tokens: z.record(z.string(), z.string()) });

export interface TokenStore {
  /** Null when tokens can be stored encrypted, else the sentence saying why not. */
  unavailableReason(): string | null;
  /** The token stored under `ref`, or undefined. */
  get(ref: string): Promise<string | undefined>;
  /** Encrypts and stores; throws a TokenStorageError when encryption is not available. */
  set(ref: string, token: string): Promise<void>;
  delete(ref: string): Promise<void>;
  has(ref: string): Promise<boolean>;
}

export function createTokenStore(file: string, encryptor: Encryptor): TokenStore {
  const unavailableReason = (): string | null => {
    if (!encryptor.isEncryptionAvailable()) {
      return 'This system offers no encrypted storage (no keychain or secret service is running), so buildbell will not store tokens: it never keeps them in plain text.';
    }
    if (encryptor.getSelectedStorageBackend?.() === 'basic_text') {
      return 'No secret service (GNOME Keyring or KWallet) is running, so tokens could only be obfuscated, not encrypted; buildbell will not store them. Start a keyring and try again.';
    }
    return null;
  };

  const read = async (): Promise<Record<string, string>> => {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new TokenStorageError(`Cannot read the token file ${file}: ${(error as Error).message}`);
    }
    const parsed = fileSchema.safeParse(safeJson(text));
    if (!parsed.success) throw new TokenStorageError(`The token file ${file} is damaged; enter the tokens again to replace it`);
    return parsed.data.tokens;
  };

  const write = (tokens: Record<string, string>) =>
    writeFileAtomically(file, `${JSON.stringify({ version: 1, tokens }, null, 2)}\n`, 0o600);

  return {
    unavailableReason,
    async get(ref) {
      const sealed = (await read())[ref];
      if (sealed === undefined) return undefined;
      if (unavailableReason() !== null) throw new TokenStorageError(`Cannot decrypt the stored token: ${unavailableReason()}`);
      try {
        return encryptor.decryptString(Buffer.from(sealed, 'base64'));
      } catch (error) {
        throw new TokenStorageError(`Cannot decrypt the stored token (${(error as Error).message}); enter it again`);
      }
    },
    async set(ref, token) {
      const reason = unavailableReason();
      if (reason !== null) throw new TokenStorageError(reason);
      const tokens = await read().catch(() => ({}) as Record<string, string>);
      await write({ ...tokens, [ref]: encryptor.encryptString(token).toString('base64') });
    },
    async delete(ref) {
      const tokens = await read();
      if (!(ref in tokens)) return;
      delete tokens[ref];
      await write(tokens);
    },
    async has(ref) {
      return (await read().catch(() => ({}) as Record<string, string>))[ref] !== undefined;
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
