import { redirect } from 'next/navigation';
import { currentUser } from '../server/auth/session';

/** Home: support staff land on their console, everyone else on their dashboard (sign-in guards both). */
export default async function Home() {
  const user = await currentUser();
  redirect(user?.role === 'support' ? '/support' : '/dashboard');
}
