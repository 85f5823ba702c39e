/**
 * Reading and writing the settings file. A missing file means defaults; a broken one is an error
 * that names the file and the bad fields, never a crash or a silent reset (the user's mutes and
 * tokens would be lost). Writes are atomic: a crash leaves the old file or the new one, whole.
 */
import { readFile } from 'node:fs/promises';
import { describeZodError } from '../../core/validation.js';
import { writeFileAtomically } from '../atomicFile.js';
import { settingsSchema, type Settings, type SettingsInput } from './schema.js';

/** The settings file cannot be read or is not valid settings; the message says which and why. */
export class SettingsFileError extends Error {
  override readonly name = 'SettingsFileError';
  constructor(
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Reads and validates the settings file; defaults when it does not exist. */
export async function loadSettings(file: string): Promise<Settings> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return settingsSchema.parse({});
    throw new SettingsFileError(file, `Cannot read the settings file ${file}: ${(error as Error).message}`, { cause: error });
  }
  return parseSettingsText(text, file);
}

/** Validates settings file content; `file` only names it in errors. */
export function parseSettingsText(text: string, file: string): Settings {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SettingsFileError(
      file,
      `The settings file ${file} is not valid JSON (${(error as Error).message}); fix it or move it away to start from defaults`,
      { cause: error },
    );
  }
  const result = settingsSchema.safeParse(json);
  if (!result.success) {
    throw new SettingsFileError(file, `The settings file ${file} has invalid settings: ${describeZodError(result.error)}`, {
      cause: result.error,
    });
  }
  return result.data;
}

/** Validates and writes the settings atomically, mode 0600 in a 0700 folder (writeFileAtomically). */
export async function saveSettings(file: string, settings: SettingsInput): Promise<Settings> {
  const result = settingsSchema.safeParse(settings);
  if (!result.success) {
    throw new SettingsFileError(file, `Refusing to save invalid settings to ${file}: ${describeZodError(result.error)}`, {
      cause: result.error,
    });
  }
  try {
    await writeFileAtomically(file, `${JSON.stringify(result.data, null, 2)}\n`);
  } catch (error) {
    throw new SettingsFileError(file, `Cannot write the settings file ${file}: ${(error as Error).message}`, { cause: error });
  }
  return result.data;
}
