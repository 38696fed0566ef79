/** Why a body could not be read within its limits. */
export class BodyLimitError extends Error {
  constructor(readonly status: 400 | 408 | 413 | 503, message: string) {
    super(message);
  }
}

export interface BodyReadOptions {
  /** Aborting it cuts the read at once with 503 (the route's cap on bodies in flight uses it). */
  signal?: AbortSignal;
}

/**
 * After giving up on a body, how long the answer (sent with `Connection: close`) gets to reach the
 * client before the stream is cancelled. Under Next the request stream is the socket's, and
 * cancelling it destroys the socket: the client would see a reset instead of its 408/413/503.
 */
const CANCEL_GRACE_MS = 1000;

/**
 * Reads a request body up to `maxBytes`, giving up after `timeoutMs` in all: an oversized or
 * trickling (slow-loris) body is cut off instead of holding the endpoint.
 */
export async function readBodyWithLimits(req: Request, maxBytes: number, timeoutMs: number, options: BodyReadOptions = {}): Promise<Uint8Array> {
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw new BodyLimitError(413, `body too large (limit ${maxBytes} bytes)`);
  if (options.signal?.aborted) throw new BodyLimitError(503, 'too many webhook bodies in flight');
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const cut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BodyLimitError(408, `body not received within ${timeoutMs} ms`)), timeoutMs);
    onAbort = () => reject(new BodyLimitError(503, 'too many webhook bodies in flight; the longest-running read was cut'));
    options.signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), cut]);
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) throw new BodyLimitError(413, `body too large (limit ${maxBytes} bytes)`);
      chunks.push(value);
    }
  } catch (err) {
    setTimeout(() => void reader.cancel().catch(() => undefined), CANCEL_GRACE_MS).unref();
    // Anything else is the request stream failing: the client went away mid-body.
    throw err instanceof BodyLimitError ? err : new BodyLimitError(400, 'the connection closed before the body arrived');
  } finally {
    clearTimeout(timer);
    if (onAbort) options.signal?.removeEventListener('abort', onAbort);
  }
  return Buffer.concat(chunks);
}
