/** Liveness: the process is up and serving. Deliberately touches nothing else. */
export function GET() {
  return Response.json({ ok: true });
}
