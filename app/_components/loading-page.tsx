import { currentUser } from '../../server/auth/session';
import { AppHeader } from './app-header';

/** A page's loading state with the header and menu kept in place (the header does not vanish while data loads). */
export async function LoadingPage({ title, text }: { title: string; text: string }) {
  const user = await currentUser();
  return (
    <>
      {user && <AppHeader user={user} />}
      <main className="page" aria-busy="true">
        <h1>{title}</h1>
        <p className="muted" role="status">{text}</p>
      </main>
    </>
  );
}
