/**
 * Which PostgreSQL failures mean "the database, not the delivery": the relay answers those with
 * 503 and Retry-After (the sender retries, and nothing was acknowledged), everything else is a bug.
 */
import { StorageUnavailableError } from '../errors.js';

/** SQLSTATE classes: 08 connection, 53 insufficient resources, 57 operator intervention (shutdown), 58 system error. */
const UNAVAILABLE_CLASSES = new Set(['08', '53', '57', '58']);
/** Serialization failure and deadlock: the transaction may simply be tried again. */
const RETRYABLE_STATES = new Set(['40001', '40P01']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

export function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code) || RETRYABLE_STATES.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code) && UNAVAILABLE_CLASSES.has(code.slice(0, 2))) return true;
  }
  // The driver's own words when the socket went away or a connection could not be had in time.
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(message);
}

/** Runs `work`; a failure of the database itself becomes a StorageUnavailableError that keeps the cause. */
export async function unavailableOnFailure<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUnavailable(error)) throw new StorageUnavailableError(`the database is unreachable: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    throw error;
  }
}
