/** Build titles for every provider: commit subjects, cut rather than refused when they run long. */

/** A notification shows a line, so a novel is cut here, not refused. */
const MAX_TITLE_LENGTH = 500;

/** `text` cut to the title length with an ellipsis; null stays null. */
export function commitTitle(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  return text.length <= MAX_TITLE_LENGTH ? text : `${text.slice(0, MAX_TITLE_LENGTH - 1)}…`;
}

/** The first line of a commit message, or null when it has none. */
export function commitSubject(message: string | null | undefined): string | null {
  const line = message?.split('\n', 1)[0]?.trim();
  return line ? line : null;
}
