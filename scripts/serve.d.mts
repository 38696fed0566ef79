import type { IncomingMessage, Server, ServerResponse } from 'node:http';

type NodeHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export function frontListener(
  frontRoutes: () => Map<string, NodeHandler> | undefined,
  nextHandler: NodeHandler,
): (req: IncomingMessage, res: ServerResponse) => void;

export function serve(options: { dir: string; hostname: string; port: number }): Promise<Server>;
