export default function Loading() {
  return (
    <main className="page" aria-busy="true">
      <h1>Transactions</h1>
      <p className="muted" role="status">Loading your transactions…</p>
    </main>
  );
}
