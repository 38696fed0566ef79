/**
 * Inngest's HTTP execution protocol (v2), spoken to the app's own serve() handler in-process.
 * Source of truth: inngest/components/InngestCommHandler.js (`runStep`) and helpers/functions.js.
 */
export type ServeHandler = (request: Request) => Promise<Response> | Response;

export type MemoizedStep = { type: 'data'; data: unknown } | { type: 'error'; error: unknown };

export interface SerializedError {
  name?: string;
  message?: string;
  stack?: string;
  [key: string]: unknown;
}

/** One op from a 206 answer. */
export interface Op {
  id: string;
  op: string;
  name?: string;
  displayName?: string;
  opts?: Record<string, unknown>;
  data?: unknown;
  error?: SerializedError;
}

export type Outcome =
  | { kind: 'completed'; output: unknown }
  | { kind: 'ops'; ops: Op[]; retriable: boolean; retryAfter: string | null }
  | { kind: 'error'; error: SerializedError; retriable: boolean; retryAfter: string | null };

export interface CallInput {
  functionId: string;
  stepId: string; // 'step' to run the function, or a planned step's id
  runId: string;
  event: unknown;
  events: unknown[];
  steps: Record<string, MemoizedStep>;
  stack: string[];
  attempt: number;
  maxAttempts: number;
}

export const baseUrl = 'http://127.0.0.1/api/inngest';

export async function callFunction(handler: ServeHandler, input: CallInput): Promise<Outcome> {
  const url = `${baseUrl}?fnId=${encodeURIComponent(input.functionId)}&stepId=${encodeURIComponent(input.stepId)}`;
  const body = {
    version: 2,
    event: input.event,
    events: input.events,
    steps: input.steps,
    // ctx.fn_id is left out on purpose: it would switch the SDK to checkpointing against an API.
    ctx: {
      run_id: input.runId,
      attempt: input.attempt,
      max_attempts: input.maxAttempts,
      disable_immediate_execution: false,
      use_api: false,
      stack: { stack: input.stack, current: input.stack.length },
    },
  };
  const response = await handler(
    new Request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  );
  const text = await response.text();
  const parsed: unknown = text ? safeJson(text) : null;
  const noRetry = response.headers.get('x-inngest-no-retry') === 'true';
  const retryAfter = response.headers.get('retry-after');
  if (response.status === 200) return { kind: 'completed', output: parsed };
  if (response.status === 206) {
    const ops = (Array.isArray(parsed) ? parsed : [parsed]) as Op[];
    return { kind: 'ops', ops, retriable: !noRetry, retryAfter };
  }
  const error: SerializedError =
    parsed && typeof parsed === 'object' ? (parsed as SerializedError) : { name: 'Error', message: text || `HTTP ${response.status}` };
  return { kind: 'error', error, retriable: !noRetry, retryAfter };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Raw function configuration as the SDK reports it when Inngest syncs the app. */
export interface RawFunctionConfig {
  id: string;
  name?: string;
  triggers: Array<{ event?: string; expression?: string; cron?: string }>;
  steps: Record<string, { retries?: { attempts?: number } }>;
  concurrency?: number | { limit: number; key?: string; scope?: string } | Array<{ limit: number; key?: string; scope?: string }>;
  debounce?: { key?: string; period: string; timeout?: string };
  [option: string]: unknown;
}

/**
 * Asks the serve handler for its functions the way Inngest does when it syncs an app (an in-band
 * sync PUT), so the runner sees exactly the configuration Inngest Cloud would.
 */
export async function discoverFunctions(handler: ServeHandler): Promise<RawFunctionConfig[]> {
  const response = await handler(
    new Request(baseUrl, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-inngest-sync-kind': 'in_band' },
      body: JSON.stringify({ url: baseUrl }),
    }),
  );
  const body = (await response.json()) as { functions?: RawFunctionConfig[] };
  if (response.status !== 200 || !Array.isArray(body.functions)) {
    throw new Error(`Inngest serve handler refused the in-band sync (HTTP ${response.status}); is the client in dev mode?`);
  }
  return body.functions;
}
