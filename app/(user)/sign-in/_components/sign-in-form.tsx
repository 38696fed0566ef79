'use client';

import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { authClient } from '../../../_components/auth-client';

function messageFor(status: number | undefined, message: string | undefined): string {
  if (status === 429) return message ?? 'Too many sign-in attempts. Wait a few minutes and try again.';
  if (status === 401 || status === 400) return 'That email and password do not match an account. Check them and try again.';
  return 'We could not sign you in just now. Please try again.';
}

export function SignInForm({ next }: { next: string }) {
  const router = useRouter();
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
      setError(messageFor(failure.status, failure.message));
      return;
    }
    router.replace(next);
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="stack" noValidate>
      <label>
        Email
        <input name="email" type="email" autoComplete="email" required />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
