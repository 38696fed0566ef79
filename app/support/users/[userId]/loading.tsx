export default function Loading() {
  return (
    <main className="page" aria-busy="true">
      <p className="muted" role="status">Loading the user…</p>
    </main>
  );
}
