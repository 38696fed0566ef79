import Link from 'next/link';

export function SupportNav({ current }: { current: 'users' | 'institutions' | 'streams' }) {
  const links = [
    { key: 'users', href: '/support', label: 'Users' },
    { key: 'institutions', href: '/support/institutions', label: 'Institutions' },
    { key: 'streams', href: '/support/streams', label: 'Streams' },
  ] as const;
  return (
    <nav aria-label="Support console" className="tabs">
      {links.map((l) => (
        <Link key={l.key} href={l.href} aria-current={l.key === current ? 'page' : undefined}>{l.label}</Link>
      ))}
    </nav>
  );
}
