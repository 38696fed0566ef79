'use client';

import Link from 'next/link';
import { type FormEvent, useState } from 'react';
import { authClient } from '../../../_components/auth-client';
import { FormError, SubmitButton } from '../../../_components/form-submit';

const MIN_PASSWORD = 8;

export function ResetPasswordForm({ token }: { token: string }) {
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get('password') ?? '');
    const again = String(form.get('again') ?? '');
    if (!password) return setError('Enter a new password.');
    if (password.length < MIN_PASSWORD) return setError(`Choose a password of at least ${MIN_PASSWORD} characters.`);
    if (password !== again) return setError('The two passwords are not the same. Type the new password twice.');
    setPending(true);
    setError(null);
    const { error: failure } = await authClient.resetPassword({ newPassword: password, token });
    setPending(false);
    if (failure) {
      setError(
        failure.code === 'INVALID_TOKEN'
          ? 'This reset link has expired or was already used. Ask for a new link from the sign-in page.'
          : 'We could not change your password just now. Please try again.',
      );
      return;
    }
    setDone(true);
  }

  if (done) {
    return (
      <div className="stack">
        <p role="status" className="notice success">Your password is changed. Sign in with the new one; any other devices were signed out.</p>
        <p><Link href="/sign-in" className="button-link">Sign in</Link></p>
      </div>
    );
  }
  return (
    <form onSubmit={onSubmit} method="post" className="stack" noValidate>
      <label>
        New password
        <span className="field-hint">At least {MIN_PASSWORD} characters.</span>
        <input name="password" type="password" autoComplete="new-password" minLength={MIN_PASSWORD} required />
      </label>
      <label>
        New password again
        <input name="again" type="password" autoComplete="new-password" required />
      </label>
      <FormError error={error} />
      <SubmitButton pending={pending} label="Save new password" pendingLabel="Saving…" />
    </form>
  );
}
