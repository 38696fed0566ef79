'use client';

import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { authClient } from '../../../_components/auth-client';
import { FormError, SubmitButton } from '../../../_components/form-submit';

const MIN_PASSWORD = 8;

function messageFor(failure: { status?: number; code?: string }): string {
  if (failure.code === 'USER_ALREADY_EXISTS' || failure.code === 'USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL' || failure.status === 422) {
    return 'An account with this email already exists. Sign in instead, or reset your password if you have forgotten it.';
  }
  if (failure.code === 'INVALID_EMAIL') return 'That email address does not look complete. Check it and try again.';
  if (failure.code === 'PASSWORD_TOO_SHORT') return `Choose a password of at least ${MIN_PASSWORD} characters.`;
  if (failure.code === 'PASSWORD_TOO_LONG') return 'That password is too long. Choose a shorter one.';
  if (failure.status === 429) return 'Too many attempts from this device. Wait a minute and try again.';
  return 'We could not create your account just now. Please try again.';
}

export function SignUpForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const name = String(form.get('name') ?? '').trim();
    const email = String(form.get('email') ?? '').trim();
    const password = String(form.get('password') ?? '');
    const missing = [!name && 'your name', !email && 'your email', !password && 'a password'].filter(Boolean) as string[];
    if (missing.length > 0) {
      const list = missing.length > 1 ? `${missing.slice(0, -1).join(', ')} and ${missing.at(-1)}` : missing[0];
      setError(`Enter ${list} to create your account.`);
      return;
    }
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
      setError('That email address does not look complete. Check it and try again.');
      return;
    }
    if (password.length < MIN_PASSWORD) {
      setError(`Choose a password of at least ${MIN_PASSWORD} characters.`);
      return;
    }
    setPending(true);
    setError(null);
    const { error: failure } = await authClient.signUp.email({ name, email, password });
    if (failure) {
      setPending(false);
      setError(messageFor(failure));
      return;
    }
    router.replace('/dashboard');
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} method="post" className="stack" noValidate>
      <label>
        Your name
        <input name="name" autoComplete="name" required />
      </label>
      <label>
        Email
        <input name="email" type="email" autoComplete="email" required />
      </label>
      <label>
        Password
        <span className="field-hint">At least {MIN_PASSWORD} characters.</span>
        <input name="password" type="password" autoComplete="new-password" minLength={MIN_PASSWORD} required />
      </label>
      <FormError error={error} />
      <SubmitButton pending={pending} label="Create account" pendingLabel="Creating your account…" />
    </form>
  );
}
