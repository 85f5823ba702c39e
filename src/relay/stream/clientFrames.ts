/**
 * What a client sends on its stream, read the way the webhooks are: bytes → text → JSON → the
 * protocol's strict schema. Each refusal names what was wrong (the field, the type), so a client's
 * author can fix it; nothing of a refused frame goes further.
 */
import { clientFrameSchema, type ClientFrame } from '../../core/protocol.js';

export type ReadClientFrame =
  | { readonly ok: true; readonly frame: ClientFrame }
  | { readonly ok: false; readonly ref: string | null; readonly message: string };

const KNOWN_TYPES = clientFrameSchema.options.map((option) => option.shape.type.value);

/** Parses one message from a client; `isBinary` as ws reports it. */
export function readClientFrame(data: Buffer, isBinary: boolean): ReadClientFrame {
  if (isBinary) return refuse(null, 'binary frames are not accepted: send a JSON text frame');
  let json: unknown;
  try {
    // ws has already refused text frames that are not UTF-8 (close 1007).
    json = JSON.parse(data.toString('utf8'));
  } catch (error) {
    return refuse(null, `the frame is not JSON: ${(error as Error).message}`);
  }
  const ref = refOf(json);
  const type = (json as { type?: unknown } | null)?.type;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return refuse(ref, 'the frame must be a JSON object with a type');
  if (typeof type !== 'string' || !(KNOWN_TYPES as readonly string[]).includes(type)) {
    return refuse(ref, `unknown frame type ${JSON.stringify(typeof type === 'string' ? type.slice(0, 50) : type ?? null)}: a client may send ${KNOWN_TYPES.map((known) => `'${known}'`).join(', ')}`);
  }
  const parsed = clientFrameSchema.safeParse(json);
  if (parsed.success) return { ok: true, frame: parsed.data };
  const issue = parsed.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const fields = issue.keys.map((key) => `'${key.slice(0, 50)}'`).join(', ');
    return refuse(ref, `field ${fields} not allowed in an ${type} frame: the relay fills in the name, repository and branch itself`);
  }
  return refuse(ref, `field '${issue.path.join('.') || 'frame'}': ${issue.message}`);
}

/** The client's ref, echoed in the error frame when it is one the protocol allows. */
function refOf(json: unknown): string | null {
  const ref = (json as { ref?: unknown } | null)?.ref;
  return typeof ref === 'string' && ref.length <= 64 ? ref : null;
}

function refuse(ref: string | null, message: string): ReadClientFrame {
  return { ok: false, ref, message: message.slice(0, 500) };
}
