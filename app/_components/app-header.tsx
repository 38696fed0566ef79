import Link from 'next/link';
import type { SessionUser } from '../../server/trpc/context';
import { SignOutButton } from './sign-out-button';

export function AppHeader({ user }: { user: SessionUser }) {
  return (
    <header className="app-header">
      <Link href="/dashboard" className="brand">
        Tributary
      </Link>
      <nav aria-label="Main">
        <Link href="/dashboard">Dashboard</Link>
        <Link href="/items">Banks</Link>
        <Link href="/transactions">Transactions</Link>
        <Link href="/link">Link a bank</Link>
        {user.role === 'support' && <Link href="/support">Support</Link>}
      </nav>
      <div className="who">
        <span className="muted">{user.email}</span>
        <SignOutButton />
      </div>
    </header>
  );
}
