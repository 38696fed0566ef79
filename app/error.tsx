'use client';

import Link from 'next/link';

/** The one error page: a sentence, a way to try again, never the error's own text. */
export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="auth-page">
      <section className="card auth-card">
        <h1>Something went wrong</h1>
        <p>This page could not be shown just now. Your banks and data are safe. Please try again in a moment.</p>
        <p className="actions">
          <button type="button" onClick={reset}>Try again</button>
          <Link href="/dashboard" className="button-link secondary">Go to your dashboard</Link>
        </p>
      </section>
    </main>
  );
}
