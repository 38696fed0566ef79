import Link from 'next/link';

const links = [
  { key: 'users', href: '/support', label: 'Search' },
  { key: 'items', href: '/support/items', label: 'Items' },
  { key: 'webhooks', href: '/support/webhooks', label: 'Webhooks' },
  { key: 'syncs', href: '/support/syncs', label: 'Syncs' },
  { key: 'audit', href: '/support/audit', label: 'Audit log' },
  { key: 'institutions', href: '/support/institutions', label: 'Institutions' },
  { key: 'streams', href: '/support/streams', label: 'Streams' },
  { key: 'conversion', href: '/support/link-conversion', label: 'Link conversion' },
  { key: 'ops', href: '/support/ops', label: 'Operations' },
] as const;

export type SupportPage = (typeof links)[number]['key'];

export function SupportNav({ current }: { current: SupportPage }) {
  return (
    <nav aria-label="Support console" className="tabs">
      {links.map((l) => (
        <Link key={l.key} href={l.href} aria-current={l.key === current ? 'page' : undefined}>{l.label}</Link>
      ))}
    </nav>
  );
}
