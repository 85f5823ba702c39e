/** How the test desktop's dunst is configured, and where that makes it draw. */

/** The Xvfb screen size. */
export const SCREEN = { width: 1280, height: 800 };

/**
 * Where dunst draws: the top-right corner, 10 px in from each edge, 300 px wide (plus its 3 px
 * frame on each side). Tests use it to look for the notification in a screenshot.
 */
export const NOTIFICATION_AREA = { x: SCREEN.width - 10 - 306, y: 10, width: 306, height: 60 } as const;

/** dunst's background for normal urgency, as RGB: a test finds the notification by this colour. */
export const NORMAL_BACKGROUND = [0x28, 0x55, 0x77] as const;

/**
 * The dunst configuration (keys as in dunst 1.9's dunstrc(5)). A left click runs `do_action`,
 * which invokes the action named `default` (dunst's `action_name` rule default), then closes the
 * notification: exactly what a user's click on a build notification does. Timeouts are 0 so
 * nothing disappears while a test is still looking at it, and duplicates are not stacked into
 * one, so a test counts what the notifier sent.
 */
export const DUNSTRC = `[global]
    monitor = 0
    follow = none
    width = 300
    height = 100
    origin = top-right
    offset = 10x10
    notification_limit = 0
    indicate_hidden = no
    show_indicators = no
    font = DejaVu Sans 10
    markup = full
    format = "<b>%s</b>\\n%b"
    frame_width = 3
    frame_color = "#aaaaaa"
    separator_height = 2
    padding = 8
    horizontal_padding = 8
    idle_threshold = 0
    sticky_history = no
    stack_duplicates = false
    history_length = 0
    mouse_left_click = do_action, close_current
    mouse_middle_click = close_current
    mouse_right_click = close_all

[urgency_low]
    background = "#222222"
    foreground = "#888888"
    timeout = 0

[urgency_normal]
    background = "#285577"
    foreground = "#ffffff"
    timeout = 0

[urgency_critical]
    background = "#900000"
    foreground = "#ffffff"
    frame_color = "#ff0000"
    timeout = 0
`;

/** One notification as dunst received it, recorded by {@link recordingRule}'s script. */
export interface ReceivedNotification {
  readonly summary: string;
  readonly body: string;
  /** dunst's word for it: LOW, NORMAL or CRITICAL. */
  readonly urgency: string;
}

/** Separators the record script writes: ASCII unit and record separators. */
export const RECORD_FIELD = '\u001f';
export const RECORD_END = '\u001e';

/**
 * A dunst rule matching every notification that runs `script` with dunst's DUNST_* variables
 * (dunst 1.7+): the way a test reads what the server received and shows, not what was sent.
 */
export function recordingRule(script: string): string {
  return `\n[record_every_notification]\n    summary = "*"\n    script = ${script}\n`;
}

/** The record script: appends urgency, summary and body of each notification to `file`. */
export function recordScript(file: string): string {
  return `#!/bin/sh\nprintf '%s\\037%s\\037%s\\036' "$DUNST_URGENCY" "$DUNST_SUMMARY" "$DUNST_BODY" >> '${file}'\n`;
}

/** Parses what {@link recordScript} wrote. */
export function parseReceived(text: string): ReceivedNotification[] {
  return text
    .split(RECORD_END)
    .filter((record) => record !== '')
    .map((record) => {
      const [urgency = '', summary = '', body = ''] = record.split(RECORD_FIELD);
      return { urgency, summary, body };
    });
}
