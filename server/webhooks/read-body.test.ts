import { describe, expect, it } from 'vitest';
import { BodyLimitError, readBodyWithLimits } from './read-body';

function streamingRequest(chunks: Uint8Array[], gapMs: number, headers: Record<string, string> = {}) {
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (i >= chunks.length) return controller.close();
      await new Promise((r) => setTimeout(r, gapMs));
      controller.enqueue(chunks[i++]!);
    },
  });
  return new Request('http://127.0.0.1/api/webhooks/plaid', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);
}

describe('readBodyWithLimits', () => {
  it('reads a normal body whole', async () => {
    const body = await readBodyWithLimits(new Request('http://x/', { method: 'POST', body: '{"a":1}' }), 1024, 1000);
    expect(Buffer.from(body).toString()).toBe('{"a":1}');
  });

  it('refuses a declared oversized body at once with 413', async () => {
    const req = new Request('http://x/', { method: 'POST', body: 'x'.repeat(10), headers: { 'content-length': '999999' } });
    await expect(readBodyWithLimits(req, 1024, 1000)).rejects.toMatchObject({ status: 413 });
  });

  it('cuts off a streamed body that grows past the limit with 413', async () => {
    const req = streamingRequest(Array.from({ length: 10 }, () => new Uint8Array(300)), 1);
    await expect(readBodyWithLimits(req, 1024, 5000)).rejects.toMatchObject({ status: 413 });
  });

  it('gives up on a trickling (slow-loris) body with 408 within its time budget', async () => {
    const req = streamingRequest(Array.from({ length: 100 }, () => new Uint8Array([32])), 50);
    const started = Date.now();
    const error = await readBodyWithLimits(req, 1024, 300).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BodyLimitError);
    expect((error as BodyLimitError).status).toBe(408);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('cuts a read at once with 503 when its signal aborts (the route\'s cap on bodies in flight)', async () => {
    const req = streamingRequest(Array.from({ length: 100 }, () => new Uint8Array([32])), 50);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    await expect(readBodyWithLimits(req, 1024, 5000, { signal: controller.signal })).rejects.toMatchObject({ status: 503 });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('answers 400, not an unexpected error, when the client goes away mid-body', async () => {
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await new Promise((r) => setTimeout(r, 10));
        if (sent++ < 3) controller.enqueue(new Uint8Array([32]));
        else controller.error(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
      },
    });
    const req = new Request('http://x/', { method: 'POST', body, duplex: 'half' } as RequestInit);
    await expect(readBodyWithLimits(req, 1024, 5000)).rejects.toMatchObject({ status: 400 });
  });
});
