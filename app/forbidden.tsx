import Link from 'next/link';

export default function Forbidden() {
  return (
    <main className="auth-page">
      <section className="card auth-card">
        <h1>This page is for support staff</h1>
        <p>Your account does not have access to it. Everything about your own money is on your dashboard.</p>
        <p>
          <Link href="/dashboard">Back to your dashboard</Link>
        </p>
      </section>
    </main>
  );
}
