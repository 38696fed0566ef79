import { createContext, type EmulatorOptions } from './core/context';
import { createControls, handleControl, type Controls } from './api/controls';
import { handlePlaid, json } from './api/handler';
import { plaidError } from './core/errors';
import { newRequestId } from './core/ids';
import { completeLink, describeLinkToken, linkAccountChoices, type CompleteLinkInput } from './core/link-completion';
import { createLinkBackend } from './link/core-backend';
import { createLinkRoutes } from './link/routes';
import { createPersister, loadState } from './core/persist';
import { scheduleRelease } from './core/pull';
import type { StateData } from './core/state';
import { resumeDeliveries, settleWebhooks } from './core/webhooks';

export type { EmulatorOptions } from './core/context';
export type { Controls } from './api/controls';
export type { Fault, FaultInput } from './core/faults';
export type { CompleteLinkInput, CompleteLinkResult, LinkTokenDescription } from './core/link-completion';

/**
 * The offline Plaid emulator as a fetch-style handler. Serve it alone (`cli.ts`,
 * `startEmulatorServer`) or mount it in the app (`mountPath: '/api/plaid-emulator'`).
 */
export interface Emulator {
  handle(req: Request): Promise<Response>;
  readonly state: StateData;
  controls: Controls;
  /** The Link stand-in's contract, bound to this emulator (see `core/link-completion.ts`). */
  link: {
    describeLinkToken(linkToken: string): ReturnType<typeof describeLinkToken>;
    linkAccountChoices(linkToken: string): ReturnType<typeof linkAccountChoices>;
    completeLink(input: CompleteLinkInput): ReturnType<typeof completeLink>;
  };
  /** Stops timers and webhook deliveries, and writes the state file. */
  close(): Promise<void>;
}

export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const log = options.log ?? (() => {});
  const loaded = options.persistPath ? loadState(options.persistPath, log) : null;
  const ctx = createContext(options, loaded ?? undefined);
  const persister = options.persistPath ? createPersister(options.persistPath, () => ctx.state) : null;
  if (persister) ctx.changed = () => persister.schedule();
  for (const item of Object.values(ctx.state.items)) scheduleRelease(ctx, item);
  resumeDeliveries(ctx);

  const controls = createControls(ctx);
  const linkUi = createLinkRoutes(createLinkBackend(ctx));
  const mount = ctx.opts.mountPath;

  async function handle(req: Request): Promise<Response> {
    let path = new URL(req.url).pathname;
    if (mount && (path === mount || path.startsWith(`${mount}/`))) path = path.slice(mount.length) || '/';
    if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
    if (path.startsWith('/emulator/')) return handleControl(controls, req, path.slice('/emulator'.length));
    if (req.method === 'POST' && !path.startsWith('/link/api/')) return handlePlaid(ctx, req, path);
    const ui = await linkUi(req, path);
    if (ui) return ui;
    const e = plaidError('NOT_FOUND', `no such endpoint: ${req.method} ${path}`);
    return json(e.status, e.toBody(newRequestId()));
  }

  return {
    handle,
    get state() {
      return ctx.state;
    },
    controls,
    link: {
      describeLinkToken: (t) => describeLinkToken(ctx, t),
      linkAccountChoices: (t) => linkAccountChoices(ctx, t),
      completeLink: (input) => completeLink(ctx, input),
    },
    async close() {
      if (ctx.closed) return;
      ctx.closed = true;
      ctx.clearTimers();
      ctx.abort.abort();
      await settleWebhooks(ctx);
      persister?.flush();
    },
  };
}
