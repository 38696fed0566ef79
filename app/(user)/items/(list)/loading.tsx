export default function Loading() {
  return (
    <main className="page" aria-busy="true">
      <h1>Your banks</h1>
      <p className="muted" role="status">Loading your banks…</p>
    </main>
  );
}
