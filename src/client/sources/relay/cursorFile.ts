/**
 * Where a desktop remembers the last relay seq it handled, so a restart resumes exactly there.
 * One small JSON file per relay URL; a cursor for another relay is not reused (its seqs mean
 * nothing here). Writes are serialised and coalesced: while one is in flight, only the newest
 * seq waits, so a burst of events costs two writes, not one per event.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Logger } from '../../../core/ports.js';
import { writeFileAtomically } from '../../atomicFile.js';

export interface CursorStore {
  /** The last seq handled, or undefined when there is none for this relay. */
  load(): Promise<number | undefined>;
  /** Remembers `seq`; resolves once it (or a newer seq) is on disk. */
  save(seq: number): Promise<void>;
}

const cursorFileSchema = z.object({ relay: z.string(), seq: z.number().int().nonnegative() });

export function createCursorFile(file: string, relay: string, logger: Logger): CursorStore {
  let pending: number | undefined;
  let writing: Promise<void> | undefined;

  const drain = async () => {
    while (pending !== undefined) {
      const seq = pending;
      pending = undefined;
      try {
        await writeFileAtomically(file, `${JSON.stringify({ relay, seq })}\n`);
      } catch (error) {
        logger.warn('could not save the relay cursor; a restart may repeat events', { file, error: (error as Error).message });
      }
    }
    writing = undefined;
  };

  return {
    async load() {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      const parsed = cursorFileSchema.safeParse(json);
      if (!parsed.success) {
        logger.warn('ignoring an unreadable relay cursor file; starting from now', { file });
        return undefined;
      }
      return parsed.data.relay === relay ? parsed.data.seq : undefined;
    },
    save(seq) {
      pending = seq;
      writing ??= drain();
      return writing;
    },
  };
}

/** A cursor kept in memory only (demo mode, tests). */
export function createMemoryCursor(initial?: number): CursorStore & { current(): number | undefined } {
  let seq = initial;
  return {
    load: async () => seq,
    save: async (next) => {
      seq = next;
    },
    current: () => seq,
  };
}
