'use client';

import { useEffect, useState } from 'react';

/**
 * False in the server's HTML and until React has taken over the page. Forms that send a password
 * keep their button disabled until then: a press before that would submit the bare HTML form,
 * which is lost (and, as a GET, would put what was typed into the address).
 */
export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}
