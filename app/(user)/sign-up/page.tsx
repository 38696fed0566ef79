import Link from 'next/link';
import { redirect } from 'next/navigation';
import { currentUser } from '../../../server/auth/session';
import { SignUpForm } from './_components/sign-up-form';

export const dynamic = 'force-dynamic';

/** Create an account: name, email and a password; signed in straight after. */
export default async function SignUpPage() {
  if (await currentUser()) redirect('/');
  return (
    <main className="auth-page">
      <section className="card auth-card" aria-labelledby="sign-up-title">
        <h1 id="sign-up-title">Create your Tributary account</h1>
        <p className="muted">Link your banks and see all your money in one place.</p>
        <SignUpForm />
        <p className="auth-links">
          <span>Already have an account? <Link href="/sign-in">Sign in</Link></span>
        </p>
      </section>
    </main>
  );
}
