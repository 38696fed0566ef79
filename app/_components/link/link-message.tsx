import Link from 'next/link';
import type { LinkMessage } from './use-link-flow';

export function LinkMessageView({ message }: { message: LinkMessage | null }) {
  if (!message) return <p className="visually-hidden" role="status" aria-live="polite" />;
  if (message.tone === 'error') return <p className="error" role="alert">{message.text}</p>;
  return (
    <p className={message.tone === 'success' ? 'notice success' : 'notice'} role="status">
      {message.text}
      {message.itemId && <> <Link href={`/items/${message.itemId}`}>See that bank</Link></>}
    </p>
  );
}
