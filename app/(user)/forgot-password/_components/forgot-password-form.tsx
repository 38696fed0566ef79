'use client';

import { type FormEvent, useState } from 'react';
import { authClient } from '../../../_components/auth-client';
import { FormError, SubmitButton } from '../../../_components/form-submit';

export function ForgotPasswordForm() {
  const [error, setError] = useState<string | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get('email') ?? '').trim();
    if (!email) return setError('Enter your email to get a reset link.');
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return setError('That email address does not look complete. Check it and try again.');
    setPending(true);
    setError(null);
    const { error: failure } = await authClient.requestPasswordReset({ email });
    setPending(false);
    if (failure) {
      setError(failure.status === 429 ? 'Too many requests from this device. Wait a minute and try again.' : 'We could not send the email just now. Please try again.');
      return;
    }
    setSentTo(email);
  }

  if (sentTo) {
    return (
      <p role="status" className="notice success">
        If {sentTo} has a Tributary account, an email with a link to choose a new password is on its way. The link works once, for one hour. Nothing arrived? Check your spam folder, or ask again.
      </p>
    );
  }
  return (
    <form onSubmit={onSubmit} method="post" className="stack" noValidate>
      <label>
        Email
        <input name="email" type="email" autoComplete="email" required />
      </label>
      <FormError error={error} />
      <SubmitButton pending={pending} label="Send reset link" pendingLabel="Sending…" />
    </form>
  );
}
