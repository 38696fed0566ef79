import Link from 'next/link';
import { ForgotPasswordForm } from './_components/forgot-password-form';

export const dynamic = 'force-dynamic';

/** Asks for the email to send a reset link to; the answer is the same whether or not it has an account. */
export default function ForgotPasswordPage() {
  return (
    <main className="auth-page">
      <section className="card auth-card" aria-labelledby="forgot-title">
        <h1 id="forgot-title">Reset your password</h1>
        <p className="muted">Enter the email you sign in with. We&apos;ll send you a link to choose a new password.</p>
        <ForgotPasswordForm />
        <p className="auth-links">
          <Link href="/sign-in">Back to sign in</Link>
        </p>
      </section>
    </main>
  );
}
