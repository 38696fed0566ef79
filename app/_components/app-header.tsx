import Link from 'next/link';
import type { SessionUser } from '../../server/trpc/context';
import { MainMenu } from './main-menu';

export function AppHeader({ user }: { user: SessionUser }) {
  const links = [
    { href: '/dashboard', label: 'Dashboard' },
    { href: '/items', label: 'Banks' },
    { href: '/transactions', label: 'Transactions' },
    { href: '/link', label: 'Link a bank' },
    ...(user.role === 'support' ? [{ href: '/support', label: 'Support' }] : []),
  ];
  return (
    <header className="app-header">
      <Link href={user.role === 'support' ? '/support' : '/dashboard'} className="brand">
        Tributary
      </Link>
      <MainMenu links={links} email={user.email} />
    </header>
  );
}
