'use client';

import Link from 'next/link';
import { type FormEvent, useState } from 'react';
import { authClient } from '../../../_components/auth-client';
import { FormError, SubmitButton } from '../../../_components/form-submit';

const inWords = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
const tries = (n: number) => `${inWords[n] ?? String(n)} more ${n === 1 ? 'try' : 'tries'}`;
const minutes = (n: number) => `${inWords[n] ?? String(n)} minute${n === 1 ? '' : 's'}`;

interface SignInFailure { status?: number; message?: string; attemptsLeft?: unknown; lockMinutes?: unknown }

/** The sentence a person reads after a failed sign-in (from the 3rd failure on, with the tries left before the lock). */
function messageFor(failure: SignInFailure): string {
  if (failure.status === 429) return failure.message ?? 'Too many sign-in attempts. Wait a few minutes and try again.';
  if (failure.status === 401 || failure.status === 400) {
    const mismatch = 'That email and password do not match an account. Check them and try again.';
    if (typeof failure.attemptsLeft !== 'number' || typeof failure.lockMinutes !== 'number') return mismatch;
    const lock = minutes(failure.lockMinutes);
    if (failure.attemptsLeft === 0) return `That email and password do not match an account. Sign-in for this email is now paused for ${lock} to keep the account safe; you can reset your password meanwhile.`;
    return `${mismatch} You have ${tries(failure.attemptsLeft)} before sign-in for this email is paused for ${lock}.`;
  }
  return 'We could not sign you in just now. Please try again.';
}

export function SignInForm({ next }: { next: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get('email') ?? '').trim();
    const password = String(form.get('password') ?? '');
    // Say what is missing rather than sending an empty form that would read as a wrong password.
    const missing = [!email && 'your email', !password && 'your password'].filter(Boolean);
    if (missing.length > 0) {
      setError(`Enter ${missing.join(' and ')} to sign in.`);
      return;
    }
    setPending(true);
    setError(null);
    const { error: failure } = await authClient.signIn.email({ email, password });
    if (failure) {
      setPending(false);
      setError(messageFor(failure as SignInFailure));
      return;
    }
    // One full navigation: `next` may be a single-use page (an email's button, /n/...) that a
    // client transition followed by a refresh would render twice, spending the link on the first.
    window.location.assign(next);
  }

  return (
    <form onSubmit={onSubmit} method="post" className="stack" noValidate>
      <label>
        Email
        <input name="email" type="email" autoComplete="email" required />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      <FormError error={error} />
      <SubmitButton pending={pending} label="Sign in" pendingLabel="Signing in…" />
      <p className="auth-links">
        <Link href="/forgot-password">Forgot your password?</Link>
        <span>New here? <Link href="/sign-up">Create an account</Link></span>
      </p>
    </form>
  );
}
