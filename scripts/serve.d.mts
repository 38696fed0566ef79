import type { IncomingMessage, Server, ServerResponse } from 'node:http';

type NodeHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;
type Listener = (req: IncomingMessage, res: ServerResponse) => void;

export function frontListener(
  frontRoutes: () => Map<string, NodeHandler> | undefined,
  nextHandler: NodeHandler,
): Listener;

export interface DrainableFront {
  handle: Listener;
  inFlight(): number;
  drain(): Promise<void>;
}

export function drainable(listener: Listener, exempt?: () => string[]): DrainableFront;

/** What the front needs of the process container (server/process/container.ts). */
interface ProcessForFront {
  env?: { SHUTDOWN_GRACE_MS: number };
  log?: { info(fields: object, message: string): void };
  shutdown?: { stopJobs(graceMs: number): Promise<void>; close(): Promise<void> };
}

export function installGracefulStop(options: {
  server: Server;
  front: DrainableFront;
  proc?: () => ProcessForFront | undefined;
  closeNext?: () => Promise<void>;
  exit?: (code: number) => void;
}): (signal: NodeJS.Signals) => void;

export function serve(options: { dir: string; hostname: string; port: number }): Promise<Server>;
