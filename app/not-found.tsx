import Link from 'next/link';

export const metadata = { title: 'Not found · Tributary' };

/** The one not-found page (HTTP 404): an unknown address, or a bank or user that is not there or not yours. */
export default function NotFound() {
  return (
    <main className="auth-page">
      <section className="card auth-card">
        <h1>We could not find that page</h1>
        <p>The address may be mistyped, or what it pointed to was removed or belongs to someone else.</p>
        <p className="actions">
          <Link href="/dashboard" className="button-link">Go to your dashboard</Link>
          <Link href="/items" className="button-link secondary">See your banks</Link>
        </p>
      </section>
    </main>
  );
}
