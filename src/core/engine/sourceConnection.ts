/** The state of one source's link, as the tray model and its text carry it. */
/** One source's link, by the name the user gave the source. */
export interface SourceConnection {
  readonly connected: boolean;
  /** The source's name, for people: "work relay", "personal GitHub". */
  readonly source: string;
  /** Epoch ms of the last change of `connected`. */
  readonly since: number;
  /** Why not connected, e.g. "reconnecting in 8 s"; null when connected. */
  readonly reason: string | null;
  /** Epoch ms of the last event from this source; null before the first. */
  readonly lastEventAt: number | null;
}
