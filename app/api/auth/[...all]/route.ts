import { toNextJsHandler } from 'better-auth/next-js';
import { auth } from '../../../../server/auth';

// Built per request, not at import: `next build` imports route modules and must not open the database.
export const GET = (req: Request) => toNextJsHandler(auth()).GET(req);
export const POST = (req: Request) => toNextJsHandler(auth()).POST(req);
