import { forbidden, redirect } from 'next/navigation';
import { currentUser } from './session';

/** For server components: the signed-in user, or a redirect to sign-in that comes back here. */
export async function requireUser(returnTo: string) {
  const user = await currentUser();
  if (!user) redirect(`/sign-in?next=${encodeURIComponent(returnTo)}`);
  return user;
}

/** For server components of the support console: support role, else the 403 page. */
export async function requireSupport(returnTo: string) {
  const user = await requireUser(returnTo);
  if (user.role !== 'support') forbidden();
  return user;
}
