/** What the tray's D-Bus code shares: a bound on calls (dbus-next never settles one whose connection died) and error text. */
import dbus from '@particle/dbus-next';

/** Rejects with `text` when `promise` has not settled within `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, text: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(text)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A D-Bus error as its name and text; anything else as its message. */
export function errorText(error: unknown): string {
  if (error instanceof dbus.DBusError) return `${error.type}: ${error.text}`;
  return error instanceof Error ? error.message : String(error);
}
