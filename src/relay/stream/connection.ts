/**
 * One desktop's stream: hello, then the stored events after its cursor, then live events (an
 * acknowledgement is a row of the log like an event: "event" below means either). The
 * cursor is the last seq this connection has passed (sent or filtered out); a live event at or
 * below it was already replayed and is skipped. Reads from storage are asynchronous, so events
 * published while a read is in flight are held (in seq order, up to the buffer cap) and sent after
 * the rows read, or the log is read again: replay and live traffic can overlap without an event
 * being sent twice or skipped. A client that asked for batches gets each replay step's rows as
 * batch frames (fewer, larger messages); the events held during the last read, and everything
 * live, go as single frames as they come.
 */
import type { WebSocket } from 'ws';
import { CLOSE_CODES, type GapFrame, type HelloFrame, type LiveFrame } from '../../core/protocol.js';
import { PROTOCOL_VERSION } from '../../core/event.js';
import { acknowledgerName } from '../acknowledgements.js';
import type { StreamRow } from '../eventLog.js';
import type { StreamedEvent } from '../ingest.js';
import type { RelayStorage } from '../storage/storage.js';
import type { TokenInfo } from '../tokens.js';
import { scopeAllows } from '../tokens.js';
import { batchFrames, encodeBatchFrames, encodeEventFrames, eventFrame, SharedEventFrame, writableSocketOf } from './eventFrames.js';

export interface ConnectionLimits {
  /** Stored events read per replay step; the next step waits until the socket has flushed. */
  readonly replayBatchSize: number;
  /**
   * Data queued for a live client beyond this many bytes means it is not reading: cut it off. A
   * replay step queues at most about this much too, so a client that stops reading mid-replay
   * holds no more than this until the heartbeat drops it.
   */
  readonly maxBufferedBytes: number;
}

export interface ConnectionEvents {
  /** Frames written by a replay (a live frame is counted by its publisher, once for all connections). */
  onFramesSent(count: number): void;
  onCutOff(connection: StreamConnection): void;
}

/** Frames are JSON text; a Buffer would otherwise go out as a binary message. */
const TEXT = { binary: false } as const;

export class StreamConnection {
  /** True from the end of the replay on: from then on live events are sent as they come. */
  private live = false;
  private closed = false;
  private cursor: number;
  /** Events published while the replay's read was in flight, in seq order; undefined once they overflowed. */
  private held: StreamedEvent[] | undefined = [];
  private heldBytes = 0;
  alive = true;

  constructor(
    readonly socket: WebSocket,
    readonly token: TokenInfo,
    after: number,
    private readonly log: Pick<RelayStorage, 'head' | 'channelHead' | 'prunedThrough' | 'readAfter'>,
    private readonly limits: ConnectionLimits,
    private readonly events: ConnectionEvents,
    /** The client asked for batch frames (`batch=1`): each replay step's rows go as batches. Default false. */
    private readonly replayInBatches = false,
  ) {
    this.cursor = after;
  }

  /**
   * Sends the hello (and a gap when the cursor is older than the log), then replays. The head a
   * client is told, and every cursor it sees, are its channel's: the global head would tell every
   * token holder how much the relay's other channels receive. Seqs stay global, so a channel's
   * own head is a valid cursor (nothing of the channel lies between it and the global head).
   */
  async start(requestedAfter: number | undefined): Promise<void> {
    const [channelHead, head, prunedThrough] = await Promise.all([this.log.channelHead(this.token.channel), this.log.head(), this.log.prunedThrough()]);
    if (this.closed) return;
    // The label tells the client which acknowledgements are its own.
    const hello: HelloFrame = { type: 'hello', protocol: PROTOCOL_VERSION, head: channelHead, label: acknowledgerName(this.token) };
    this.socket.send(JSON.stringify(hello));
    if (requestedAfter === undefined) {
      // No cursor: the client starts from now.
      this.cursor = hello.head;
    } else if (requestedAfter > head) {
      // A cursor from the future: this relay's log was replaced. Say what is known and start now.
      this.sendGap(requestedAfter, hello.head + 1);
      this.cursor = hello.head;
    } else if (requestedAfter < prunedThrough) {
      this.sendGap(requestedAfter, prunedThrough + 1);
    }
    await this.replay();
  }

  private sendGap(after: number, oldest: number): void {
    const gap: GapFrame = { type: 'gap', after, oldest };
    this.socket.send(JSON.stringify(gap));
  }

  private async replay(): Promise<void> {
    let flushed: Promise<void> | undefined;
    for (;;) {
      if (this.closed) return;
      this.held = [];
      this.heldBytes = 0;
      // Read ahead: the next batch is read while the last one drains to the client, and sent
      // only once it has (so at most about one buffer's worth is ever queued).
      const rows = await this.log.readAfter(this.token.channel, this.cursor, this.limits.replayBatchSize);
      if (flushed) await flushed;
      if (this.closed) return;
      // Not live yet, so nothing moved the cursor while the read was in flight.
      const sent = this.sendRows(rows);
      const passed = sent.passed;
      flushed = sent.flushed;
      const readToTheEnd = passed === rows.length && rows.length < this.limits.replayBatchSize;
      // Every event is published after its commit: what was published before the read began is
      // in `rows`, what was published since is held (unless too much was: then read again).
      if (readToTheEnd && this.held !== undefined) {
        let sent = 0;
        for (const event of this.held) if (this.offer(event, new SharedEventFrame(event))) sent += 1;
        if (sent > 0) this.events.onFramesSent(sent);
        this.held = undefined;
        this.live = true;
        const live: LiveFrame = { type: 'live', cursor: this.cursor };
        this.socket.send(JSON.stringify(live));
        return;
      }
    }
  }

  /**
   * Sends the rows this token may see, up to about `maxBufferedBytes` of them, and says how many
   * rows it passed (sent or not visible) and when the last frame is flushed to the OS. The batch
   * leaves as one buffer of frames in one write (eventFrames.ts): ws writes each frame with its
   * own writev otherwise, and a profile of a 100,000-event catch-up (bench/figures/resume.ts)
   * spent more time in those syscalls than in everything else, SQLite included.
   */
  private sendRows(rows: readonly StreamRow[]): { passed: number; flushed: Promise<void> | undefined } {
    const visible: StreamRow[] = [];
    let bytes = 0;
    let passed = 0;
    while (passed < rows.length && bytes < this.limits.maxBufferedBytes) {
      const row = rows[passed]!;
      passed += 1;
      if (!scopeAllows(this.token.repos, row.repository)) continue;
      visible.push(row);
      bytes += row.eventJson.length;
    }
    if (passed > 0) this.cursor = rows[passed - 1]!.seq;
    if (visible.length === 0) return { passed, flushed: undefined };
    const raw = writableSocketOf(this.socket);
    let flushed: Promise<void>;
    if (raw) {
      const frames = this.replayInBatches ? encodeBatchFrames(visible) : encodeEventFrames(visible);
      flushed = new Promise((resolve) => raw.write(frames, () => resolve()));
    } else {
      const payloads = this.replayInBatches ? batchFrames(visible) : visible.map(eventFrame);
      const lastIndex = payloads.length - 1;
      for (let i = 0; i < lastIndex; i += 1) this.socket.send(payloads[i]!, TEXT);
      // One callback for the step: the last frame flushed means all of them were.
      flushed = new Promise((resolve) => this.socket.send(payloads[lastIndex]!, TEXT, () => resolve()));
    }
    // Counted by event, batched or not: the metric says how many events left, not how many messages.
    this.events.onFramesSent(visible.length);
    return { passed, flushed };
  }

  /**
   * Offers a freshly committed event; sends it if this connection is live and may see it, holds it
   * during a replay's read. True when a frame was written now.
   */
  deliver(event: StreamedEvent, frame: SharedEventFrame): boolean {
    if (this.closed) return false;
    if (!this.live) {
      this.hold(event);
      return false;
    }
    return this.offer(event, frame);
  }

  /** Held past the cap, the events are dropped and the replay reads the log again instead. */
  private hold(event: StreamedEvent): void {
    if (this.held === undefined) return;
    this.heldBytes += event.eventJson.length;
    if (this.heldBytes > this.limits.maxBufferedBytes) {
      this.held = undefined;
      return;
    }
    this.held.push(event);
  }

  /** Sends the frame unless this connection passed the event already or may not see it; true when sent. */
  private offer(event: StreamedEvent, frame: SharedEventFrame): boolean {
    if (event.seq <= this.cursor) return false;
    this.cursor = event.seq;
    if (!scopeAllows(this.token.repos, event.repository)) return false;
    if (this.socket.bufferedAmount > this.limits.maxBufferedBytes) {
      this.events.onCutOff(this);
      this.close(CLOSE_CODES.tooSlow, 'reading too slowly: reconnect and resume');
      return false;
    }
    const raw = writableSocketOf(this.socket);
    if (raw) raw.write(frame.wire);
    else this.socket.send(frame.payload, TEXT);
    return true;
  }

  /** Closes with a code; a peer that cannot take the close frame is dropped a moment later. */
  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.close(code, reason);
    setTimeout(() => this.socket.terminate(), 1000).unref();
  }

  markClosed(): void {
    this.closed = true;
  }
}
