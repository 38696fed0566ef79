/** Why a body could not be read within its limits. */
export class BodyLimitError extends Error {
  constructor(readonly status: 408 | 413, message: string) {
    super(message);
  }
}

/**
 * Reads a request body up to `maxBytes`, giving up after `timeoutMs` in all: an oversized or
 * trickling (slow-loris) body is cut off instead of holding the endpoint.
 */
export async function readBodyWithLimits(req: Request, maxBytes: number, timeoutMs: number): Promise<Uint8Array> {
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw new BodyLimitError(413, 'body too large');
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BodyLimitError(408, 'body took too long')), timeoutMs);
  });
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), deadline]);
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) throw new BodyLimitError(413, 'body too large');
      chunks.push(value);
    }
  } catch (err) {
    await reader.cancel().catch(() => undefined);
    throw err;
  } finally {
    clearTimeout(timer);
  }
  return Buffer.concat(chunks);
}
