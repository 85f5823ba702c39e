/** Turns a zod error into one line that names each bad field, for HTTP answers and CLI messages. */
import type { z } from 'zod';

const MAX_ISSUES = 5;

export function describeZodError(error: z.ZodError): string {
  const described = error.issues.slice(0, MAX_ISSUES).map((issue) => {
    const path = issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.');
    return `${path}: ${issue.message}`;
  });
  const more = error.issues.length - MAX_ISSUES;
  if (more > 0) described.push(`and ${more} more`);
  return described.join('; ');
}
