import { createHash, randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { base64url, type CryptoKey, generateKeyPair, type KeyObject, SignJWT } from 'jose';

/**
 * Test support for the webhook endpoint under attack: raw-socket attackers (slow-loris,
 * oversized bodies) that record how each connection ended, forged signatures, and latency figures.
 */

export interface AttackConnection {
  kind: 'slow-loris' | 'oversized-declared' | 'oversized-streamed';
  openedAt: number;
  closedAt: number | null;
  /** The status line the server answered with, if one arrived before the socket closed. */
  status: number | null;
  /** False when the test itself closed it (still open when the attack ended). */
  closedByServer: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Keeps `concurrency` attacking connections of one kind open until stop(), opening a new one
 * `reconnectMs` after each is cut. stop() closes what is still open and returns every connection.
 */
export function runAttackers(port: number, kind: AttackConnection['kind'], concurrency: number, reconnectMs = 100) {
  const all: AttackConnection[] = [];
  const open = new Map<Socket, AttackConnection>();
  let running = true;

  const once = () =>
    new Promise<void>((resolve) => {
      const c: AttackConnection = { kind, openedAt: performance.now(), closedAt: null, status: null, closedByServer: true };
      all.push(c);
      const socket = connect(port, '127.0.0.1');
      open.set(socket, c);
      socket.setNoDelay(true);
      let stopFeeding = () => {};
      socket.on('connect', () => {
        stopFeeding = feed(kind, socket);
      });
      socket.on('data', (d: Buffer) => {
        const m = /^HTTP\/1\.1 (\d{3})/.exec(d.toString('latin1'));
        if (m && c.status === null) c.status = Number(m[1]);
      });
      socket.on('error', () => undefined); // a reset or EPIPE is the server cutting us off
      socket.on('close', () => {
        stopFeeding();
        open.delete(socket);
        c.closedAt = performance.now();
        resolve();
      });
    });

  const loops = Array.from({ length: concurrency }, async () => {
    while (running) {
      await once();
      if (running) await sleep(reconnectMs);
    }
  });

  return {
    all,
    openNow: () => open.size,
    async stop(): Promise<AttackConnection[]> {
      running = false;
      for (const [socket, c] of open) {
        c.closedByServer = false;
        socket.destroy();
      }
      await Promise.all(loops);
      return all;
    },
  };
}

function requestHead(extra: string[]): string {
  return ['POST /api/webhooks/plaid HTTP/1.1', 'Host: 127.0.0.1', 'Content-Type: application/json', 'Plaid-Verification: eyJhbGciOiJFUzI1NiJ9.e30.x', ...extra, '', ''].join('\r\n');
}

/** Starts writing what an attacker of this kind writes; returns how to stop. */
function feed(kind: AttackConnection['kind'], socket: Socket): () => void {
  if (kind === 'slow-loris') {
    // A plausible small body, one byte every 200 ms: it would take 800 s to arrive.
    socket.write(requestHead(['Content-Length: 4000']));
    const timer = setInterval(() => socket.write(' '), 200);
    return () => clearInterval(timer);
  }
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let stopped = false;
  const pump = async (frame: (b: Buffer) => string | Buffer) => {
    for (let sent = 0; !stopped && sent < 4 * 1024 * 1024; sent += chunk.length) {
      if (!socket.write(frame(chunk))) await new Promise((r) => socket.once('drain', r));
      await sleep(1);
    }
  };
  if (kind === 'oversized-declared') {
    // Says 10 MB up front, then sends as fast as the server takes it.
    socket.write(requestHead([`Content-Length: ${10 * 1024 * 1024}`]));
    void pump((b) => b).catch(() => undefined);
  } else {
    // No length: chunked, megabytes of it; only counting the bytes can stop this one.
    socket.write(requestHead(['Transfer-Encoding: chunked']));
    void pump((b) => Buffer.concat([Buffer.from(`${b.length.toString(16)}\r\n`), b, Buffer.from('\r\n')])).catch(() => undefined);
  }
  return () => {
    stopped = true;
  };
}

/** Signs a body the way Plaid does (ES256, iat now, SHA-256 of the exact bytes). */
export async function signWebhook(body: string, key: { kid: string; privateKey: CryptoKey | KeyObject | Uint8Array }, alg = 'ES256') {
  return new SignJWT({ request_body_sha256: createHash('sha256').update(body).digest('hex') })
    .setProtectedHeader({ alg, kid: key.kid, typ: 'JWT' })
    .setIssuedAt()
    .sign(key.privateKey);
}

/**
 * Forged Plaid-Verification headers for `body`, cycling through: another key under the real kid,
 * HS256 keyed with the public key's text, alg none, and an ES256 signature under an unknown kid
 * (which costs a key lookup at Plaid).
 */
export async function forgedSignatures(body: string, realKid: string, count: number): Promise<Array<{ kind: string; jwt: string }>> {
  const attacker = await generateKeyPair('ES256');
  const out: Array<{ kind: string; jwt: string }> = [];
  for (let i = 0; i < count; i++) {
    switch (i % 4) {
      case 0:
        out.push({ kind: 'wrong key', jwt: await signWebhook(body, { kid: realKid, privateKey: attacker.privateKey }) });
        break;
      case 1:
        out.push({ kind: 'HS256', jwt: await signWebhook(body, { kid: realKid, privateKey: new TextEncoder().encode(realKid.repeat(4)) }, 'HS256') });
        break;
      case 2: {
        const header = base64url.encode(JSON.stringify({ alg: 'none', kid: realKid, typ: 'JWT' }));
        const payload = base64url.encode(JSON.stringify({ iat: Math.floor(Date.now() / 1000), request_body_sha256: createHash('sha256').update(body).digest('hex') }));
        out.push({ kind: 'alg none', jwt: `${header}.${payload}.` });
        break;
      }
      default:
        out.push({ kind: 'unknown kid', jwt: await signWebhook(body, { kid: randomUUID(), privateKey: attacker.privateKey }) });
    }
  }
  return out;
}

export interface Timed { status: number; ms: number }

/** Times one request to completion (body read); a network error is status 0. */
export async function timed(send: () => Promise<Response>): Promise<Timed> {
  const start = performance.now();
  try {
    const res = await send();
    await res.arrayBuffer();
    return { status: res.status, ms: performance.now() - start };
  } catch {
    return { status: 0, ms: performance.now() - start };
  }
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function statusCounts(statuses: ReadonlyArray<number | null>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of statuses) counts[String(s ?? 'reset')] = (counts[String(s ?? 'reset')] ?? 0) + 1;
  return counts;
}
