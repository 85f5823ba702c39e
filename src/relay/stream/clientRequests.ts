/**
 * The frames one stream's client sends (protocol 1: `acknowledge`), in the order the relay checks
 * them: the connection's frame budget (before a byte is parsed) → JSON → the strict schema → the
 * acknowledgement's own checks and commit. A refusal is an error frame to this client alone; a
 * stored acknowledgement reaches it, like everyone else, through the fan-out after its commit.
 * Frames larger than the hub's `maxPayload` never get here: ws closes those with 1009.
 */
import type { RawData, WebSocket } from 'ws';
import type { Logger } from '../../core/ports.js';
import { CLOSE_CODES, type AcknowledgeFrame, type ClientFrameErrorCode, type ErrorFrame } from '../../core/protocol.js';
import type { AcknowledgeOutcome } from '../acknowledgements.js';
import type { StreamedEvent } from '../ingest.js';
import type { TokenInfo } from '../tokens.js';
import type { ClientFrameBudget } from './clientFrameBudget.js';
import { readClientFrame } from './clientFrames.js';

export interface ClientRequestDependencies {
  /** Checks and commits an acknowledgement (acknowledgements.ts, bound to the relay's storage). */
  acknowledge(frame: AcknowledgeFrame, rawFrame: Buffer, token: TokenInfo): Promise<AcknowledgeOutcome>;
  /** A committed acknowledgement, for the fan-out. */
  onAcknowledged(streamed: StreamedEvent): void;
  /** A frame refused, by the code it was (or would have been) answered with: for the metrics. */
  onRefused(code: ClientFrameErrorCode): void;
  readonly logger: Logger;
}

/** What of a connection this needs: its socket, its token, and how to close it. */
export interface RequestingConnection {
  readonly socket: WebSocket;
  readonly token: TokenInfo;
  close(code: number, reason: string): void;
}

export class ClientRequests {
  constructor(
    private readonly connection: RequestingConnection,
    private readonly budget: ClientFrameBudget,
    private readonly deps: ClientRequestDependencies,
  ) {}

  /** One message from the client, as ws delivers it. */
  receive(data: RawData, isBinary: boolean): void {
    // Frames already read when the connection began to close are not handled (nor counted).
    if (this.connection.socket.readyState !== this.connection.socket.OPEN) return;
    const verdict = this.budget.take();
    if (verdict !== 'allowed') {
      this.deps.onRefused('rate_limited');
      if (verdict === 'flooding') {
        this.deps.logger.warn('closing a stream whose client kept sending far over its frame limit', { token: this.connection.token.id });
        this.connection.close(CLOSE_CODES.policyViolation, 'too many frames: slow down');
      } else if (verdict === 'refused') {
        this.sendError(null, 'rate_limited', 'too many frames from this connection: at most a few a second; the rest were dropped');
      }
      return;
    }
    const raw = toBuffer(data);
    const read = readClientFrame(raw, isBinary);
    if (!read.ok) {
      this.refuse(read.ref, 'invalid_frame', read.message);
      return;
    }
    const frame = read.frame;
    this.deps.acknowledge(frame, raw, this.connection.token).then(
      (outcome) => {
        if (outcome.ok) this.deps.onAcknowledged(outcome.streamed);
        else this.refuse(frame.ref ?? null, outcome.code, outcome.message);
      },
      (error: unknown) => {
        this.deps.logger.error('could not handle an acknowledgement', { token: this.connection.token.id, error: String(error) });
        this.refuse(frame.ref ?? null, 'unavailable', 'the relay could not handle this acknowledgement; try again later');
      },
    );
  }

  private refuse(ref: string | null, code: ClientFrameErrorCode, message: string): void {
    this.deps.onRefused(code);
    this.sendError(ref, code, message);
  }

  private sendError(ref: string | null, code: ClientFrameErrorCode, message: string): void {
    const socket = this.connection.socket;
    if (socket.readyState !== socket.OPEN) return;
    const frame: ErrorFrame = { type: 'error', ref, code, message };
    socket.send(JSON.stringify(frame), { binary: false });
  }
}

/** ws hands a message as a Buffer (the default binaryType), or its fragments. */
function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
