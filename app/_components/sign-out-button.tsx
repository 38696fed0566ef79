'use client';

import { useRouter } from 'next/navigation';
import { authClient } from './auth-client';
import { useHydrated } from './use-hydrated';

/** Signs out. Disabled until the page's script runs, so a click never lands on a button that does nothing. */
export function SignOutButton() {
  const router = useRouter();
  const hydrated = useHydrated();
  return (
    <button
      type="button"
      className="secondary"
      disabled={!hydrated}
      onClick={async () => {
        await authClient.signOut();
        router.replace('/sign-in');
        router.refresh();
      }}
    >
      Sign out
    </button>
  );
}
