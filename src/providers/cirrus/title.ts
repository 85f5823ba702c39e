/** Titles are commit subjects; a notification shows a line, so a novel is cut here, not refused. */
const MAX_TITLE_LENGTH = 500;

export function commitTitle(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  return text.length <= MAX_TITLE_LENGTH ? text : `${text.slice(0, MAX_TITLE_LENGTH - 1)}…`;
}
