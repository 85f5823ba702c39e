/**
 * Why a task failed, as far as its CI can say: the step or command that failed, the CI's reason,
 * the last lines of its log and the first failure annotation. Carried on a normalised task where
 * a delivery brings it (GitHub's `workflow_job` steps, GitLab's `build_failure_reason`), and
 * fetched from a provider's API for failures that notify (see failureDetailPort.ts).
 *
 * Every text here is the CI's or the build's own output, so it is hostile: it is kept raw but
 * bounded (a log tail is a few short lines, never a log), and cleaned where it is shown.
 */
import { z } from 'zod';

/** The bounds every detail is cut to before it enters the model (the schema refuses longer). */
export const FAILURE_DETAIL_LIMITS = {
  step: 200,
  reason: 200,
  logLine: 500,
  /** The end of a log is what says why; more is for the CI's own page. */
  logLines: 10,
  annotationMessage: 1000,
  path: 500,
} as const;

export const failureAnnotationSchema = z.object({
  message: z.string().max(FAILURE_DETAIL_LIMITS.annotationMessage),
  /** The file it points at, relative to the repository; null when it names none. */
  path: z.string().max(FAILURE_DETAIL_LIMITS.path).nullable(),
  line: z.number().int().nonnegative().nullable(),
});
export type FailureAnnotation = z.infer<typeof failureAnnotationSchema>;

export const failureDetailSchema = z.object({
  /** The step (GitHub) or command (Cirrus) that failed, as the CI names it; null when unknown. */
  step: z.string().max(FAILURE_DETAIL_LIMITS.step).nullable(),
  /** The CI's reason in its own words (GitLab: `script_failure`); null when it gives none. */
  reason: z.string().max(FAILURE_DETAIL_LIMITS.reason).nullable(),
  /** The last lines of the failed step's log, oldest first, raw; empty when unknown. */
  logTail: z.array(z.string().max(FAILURE_DETAIL_LIMITS.logLine)).max(FAILURE_DETAIL_LIMITS.logLines),
  /** The first failure annotation (GitHub's check-run annotations); null when none. */
  annotation: failureAnnotationSchema.nullable(),
});
export type FailureDetail = z.infer<typeof failureDetailSchema>;

/** A failed task and what its CI says about it: what the engine shows for a failed build. */
export const taskFailureSchema = z.object({
  taskId: z.string().min(1).max(200),
  taskName: z.string().max(1000),
  /** The task's page: where the whole log is. A web page, never another scheme. */
  taskUrl: z.url({ protocol: /^https?$/ }),
  detail: failureDetailSchema,
});
export type TaskFailure = z.infer<typeof taskFailureSchema>;

/** What a provider found, before it is cut to the bounds. */
export interface RawFailureDetail {
  readonly step?: string | null;
  readonly reason?: string | null;
  /** Lines, or chunks of lines (each is split at its line breaks). */
  readonly logTail?: readonly string[];
  readonly annotation?: { readonly message: string; readonly path?: string | null; readonly line?: number | null } | null;
}

/**
 * A provider's raw findings cut to {@link FAILURE_DETAIL_LIMITS}: however long a CI's answer, what
 * enters the model is bounded. Cutting may split an escape sequence or a surrogate pair; the
 * display cleaning that always follows removes what is left of either.
 */
export function boundFailureDetail(raw: RawFailureDetail): FailureDetail {
  const lines = (raw.logTail ?? []).flatMap((chunk) => chunk.split(/\r\n|\r|\n/));
  while (lines.length > 0 && lines.at(-1)!.trim() === '') lines.pop();
  const annotation = raw.annotation ?? null;
  return {
    step: cut(raw.step, FAILURE_DETAIL_LIMITS.step),
    reason: cut(raw.reason, FAILURE_DETAIL_LIMITS.reason),
    logTail: lines.slice(-FAILURE_DETAIL_LIMITS.logLines).map((line) => line.slice(0, FAILURE_DETAIL_LIMITS.logLine)),
    annotation:
      annotation === null
        ? null
        : {
            message: annotation.message.slice(0, FAILURE_DETAIL_LIMITS.annotationMessage),
            path: cut(annotation.path, FAILURE_DETAIL_LIMITS.path),
            line: annotation.line !== undefined && annotation.line !== null && Number.isSafeInteger(annotation.line) && annotation.line >= 0 ? annotation.line : null,
          },
  };
}

/** True when the detail says anything at all. */
export function saysAnything(detail: FailureDetail): boolean {
  return detail.step !== null || detail.reason !== null || detail.logTail.length > 0 || detail.annotation !== null;
}

function cut(text: string | null | undefined, max: number): string | null {
  if (text === null || text === undefined || text.trim() === '') return null;
  return text.slice(0, max);
}
