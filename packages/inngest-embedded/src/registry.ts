import type { EventInput } from './intake';

/** What the event endpoint needs from a runner. */
export interface EventSink {
  send(events: EventInput | EventInput[]): Promise<{ ids: string[] }>;
}

// On globalThis: Next can load this module more than once (instrumentation and route bundles).
const holder = globalThis as unknown as { __inngestEmbeddedRunners?: Map<string, EventSink> };
const runners = (holder.__inngestEmbeddedRunners ??= new Map());

/** The started runner that receives `inngest.send` for the client with this id. */
export function activeRunner(clientId: string): EventSink | undefined {
  return runners.get(clientId);
}

export function registerRunner(clientId: string, runner: EventSink): void {
  runners.set(clientId, runner);
}

export function unregisterRunner(clientId: string, runner: EventSink): void {
  if (runners.get(clientId) === runner) runners.delete(clientId);
}

/**
 * A `fetch` for the Inngest client in embedded mode: the SDK's event API (`POST /e/<key>`) is
 * answered in-process by the started runner; nothing goes on the network. With no runner
 * started, sending fails loudly (503) rather than dropping the events.
 */
export function createEmbeddedFetch(clientId: string): typeof fetch {
  return async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    if (method !== 'POST' || !/\/e\/[^/]+$/.test(url.pathname)) {
      return Response.json({ status: 404, error: `The embedded Inngest runner does not serve ${method} ${url.pathname}` }, { status: 404 });
    }
    const runner = activeRunner(clientId);
    if (!runner) {
      return Response.json({ status: 503, error: 'The embedded Inngest runner is not started' }, { status: 503 });
    }
    const body = init?.body ?? (input instanceof Request ? await input.text() : '[]');
    try {
      const { ids } = await runner.send(JSON.parse(String(body)) as EventInput[]);
      return Response.json({ ids, status: 200 });
    } catch (err) {
      return Response.json({ status: 500, error: err instanceof Error ? err.message : String(err) }, { status: 500 });
    }
  };
}
