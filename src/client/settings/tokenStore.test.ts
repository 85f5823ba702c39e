import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTokenStore, TokenStorageError, type Encryptor } from './tokenStore.js';

let folder: string;
let file: string;
const encryptor = (available = true, backend = 'gnome_libsecret'): Encryptor => ({
  isEncryptionAvailable: () => available,
  getSelectedStorageBackend: () => backend,
  encryptString: (text) => Buffer.from(Buffer.from(text).map((byte) => byte ^ 0x5a)),
  decryptString: (sealed) => Buffer.from(sealed.map((byte) => byte ^ 0x5a)).toString(),
});

beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'buildbell-tokens-'));
  file = path.join(folder, 'tokens.json');
});
afterEach(() => rm(folder, { recursive: true, force: true }));

describe('the token store', () => {
  it('keeps a token encrypted, never in plain text, in a file only its owner reads', async () => {
    const store = createTokenStore(file, encryptor());
    await store.set('relay', 'bb_live_secret');
    expect(await readFile(file, 'utf8')).not.toContain('bb_live_secret');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await store.get('relay')).toBe('bb_live_secret');
    expect(await store.has('relay')).toBe(true);
  });

  it('refuses to store without encryption, and says why', async () => {
    const store = createTokenStore(file, encryptor(false));
    await expect(store.set('relay', 'x')).rejects.toBeInstanceOf(TokenStorageError);
    await expect(store.set('relay', 'x')).rejects.toThrow(/never keeps them in plain text/);
    expect(store.unavailableReason()).toMatch(/no encrypted storage/);
  });

  it("refuses Linux's basic_text backend: a fixed key is not encryption", async () => {
    const store = createTokenStore(file, encryptor(true, 'basic_text'));
    await expect(store.set('relay', 'x')).rejects.toThrow(/only be obfuscated/);
  });

  it('forgets a token, keeping the others', async () => {
    const store = createTokenStore(file, encryptor());
    await store.set('relay', 'a');
    await store.set('cirrus', 'b');
    await store.delete('relay');
    expect(await store.get('relay')).toBeUndefined();
    expect(await store.get('cirrus')).toBe('b');
  });
});
