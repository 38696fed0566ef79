import Link from 'next/link';

export default function Forbidden() {
  return (
    <main className="auth-page">
      <section className="card auth-card">
        <h1>403 — Not allowed</h1>
        <p>This page is for Tributary support staff. Your account does not have access to it.</p>
        <p>
          <Link href="/dashboard">Back to your dashboard</Link>
        </p>
      </section>
    </main>
  );
}
