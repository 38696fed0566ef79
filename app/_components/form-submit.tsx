'use client';

import { useHydrated } from './use-hydrated';

/** A form's error sentence, announced to screen readers; nothing when there is none. */
export function FormError({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <p role="alert" className="error">
      {error}
    </p>
  );
}

/**
 * The submit button of a form handled in the browser: disabled while it is sending, and until the
 * page is live (a press before hydration would submit the bare HTML form and be lost).
 */
export function SubmitButton({ pending, label, pendingLabel }: { pending: boolean; label: string; pendingLabel: string }) {
  const hydrated = useHydrated();
  return (
    <button type="submit" disabled={pending || !hydrated}>
      {pending ? pendingLabel : label}
    </button>
  );
}
