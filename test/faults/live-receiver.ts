import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ReceiveResult } from '../../server/webhooks/receive';

/**
 * What the endpoint does with one delivery attempt:
 * - `receive`: hand it to the real receiver and answer with its status;
 * - `down`: answer 500 without looking at it (the app is down or restarting);
 * - `lost-answer`: receive and store it, then answer 500 anyway (the 200 never reached Plaid),
 *   so Plaid retries a webhook we already hold: the realistic duplicate.
 */
export type AttemptPolicy = 'receive' | 'down' | 'lost-answer';

export interface Attempt {
  body: string;
  json: { webhook_type?: string; webhook_code?: string; item_id?: string };
  /** 0 for the first time these exact bytes arrive, 1 for the next, ... */
  seen: number;
}

export type Receive = (rawBody: Uint8Array, headers: Headers) => Promise<ReceiveResult>;

/**
 * A webhook endpoint on 127.0.0.1 in front of `receivePlaidWebhook`, whose behaviour per attempt
 * a test chooses. Counts what it answered so the fault figures can say what was injected.
 */
export async function startLiveReceiver() {
  let receive: Receive | null = null;
  let policy: (a: Attempt) => AttemptPolicy = () => 'receive';
  const seen = new Map<string, number>();
  const counts = { attempts: 0, down: 0, lostAnswers: 0, received: 0 };
  /** What reached the receiver, signature included (for replaying the very same bytes). */
  const accepted: Array<{ body: string; signature: string }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void answer(Buffer.concat(chunks), req.headers).then(
        (status) => res.writeHead(status).end(),
        () => res.writeHead(500).end(),
      );
    });
  });

  async function answer(raw: Buffer, headers: IncomingHttpHeaders): Promise<number> {
    const body = raw.toString('utf8');
    const n = seen.get(body) ?? 0;
    seen.set(body, n + 1);
    counts.attempts++;
    const choice = policy({ body, json: JSON.parse(body) as Attempt['json'], seen: n });
    if (choice === 'down' || !receive) {
      counts.down++;
      return 500;
    }
    const h = new Headers();
    for (const [k, v] of Object.entries(headers)) if (typeof v === 'string') h.set(k, v);
    const result = await receive(raw, h);
    counts.received++;
    accepted.push({ body, signature: h.get('plaid-verification') ?? '' });
    if (choice === 'lost-answer') {
      counts.lostAnswers++;
      return 500;
    }
    return result.status;
  }

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/plaid`,
    counts,
    accepted,
    attach(fn: Receive) {
      receive = fn;
    },
    setPolicy(fn: (a: Attempt) => AttemptPolicy) {
      policy = fn;
    },
    reset() {
      policy = () => 'receive';
      seen.clear();
      accepted.length = 0;
      Object.assign(counts, { attempts: 0, down: 0, lostAnswers: 0, received: 0 });
    },
    close: () => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); }),
  };
}
export type LiveReceiver = Awaited<ReturnType<typeof startLiveReceiver>>;
