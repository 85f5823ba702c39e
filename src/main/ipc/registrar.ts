/**
 * The one place main answers the window. Like electron/fiddle's registrar, a message is answered
 * only when it comes from the app's own window showing the app's own page; unlike Gitify, every
 * payload is parsed with the contract's zod schema before a handler sees it. A rejected message
 * gets an error, and the handler never runs.
 */
import { INVOKE_CHANNELS, REQUEST_SCHEMAS, type InvokeChannelName, type RequestOf, type ResponseOf } from '../../core/ipc/contract.js';
import { describeZodError } from '../../core/validation.js';
import { ipcMain, type IpcMainInvokeEvent } from '../electron.js';

/** A main-side handler per invoke channel, typed by the contract. */
export type InvokeHandlers = { readonly [K in InvokeChannelName]: (request: RequestOf<K>) => Promise<ResponseOf<K>> };

/** Says whether an IPC event comes from the app's own window and page. */
export type SenderCheck = (event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>) => boolean;

/** Thrown back to the window when a message is refused. */
export class IpcRefusedError extends Error {
  override readonly name = 'IpcRefusedError';
}

/**
 * Wraps one handler with the sender check and the payload parse. Exported so tests call the
 * captured handler exactly as ipcMain would.
 */
export function guardedHandler<K extends InvokeChannelName>(channel: K, isOwnWindow: SenderCheck, handler: InvokeHandlers[K]) {
  return async (event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>, payload: unknown): Promise<ResponseOf<K>> => {
    if (!isOwnWindow(event)) throw new IpcRefusedError(`${INVOKE_CHANNELS[channel]}: refused a message from a sender that is not buildbell's window`);
    const parsed = REQUEST_SCHEMAS[channel].safeParse(payload);
    if (!parsed.success) throw new IpcRefusedError(`${INVOKE_CHANNELS[channel]}: invalid request: ${describeZodError(parsed.error)}`);
    return handler(parsed.data as RequestOf<K>);
  };
}

/** Registers every handler of the contract; returns a function that removes them. */
export function registerInvokeHandlers(handlers: InvokeHandlers, isOwnWindow: SenderCheck): () => void {
  const channels = Object.keys(INVOKE_CHANNELS) as InvokeChannelName[];
  for (const channel of channels) {
    ipcMain.handle(INVOKE_CHANNELS[channel], guardedHandler(channel, isOwnWindow, handlers[channel] as never));
  }
  return () => channels.forEach((channel) => ipcMain.removeHandler(INVOKE_CHANNELS[channel]));
}
