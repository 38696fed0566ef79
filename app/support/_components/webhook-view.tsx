import { dateTime, humanize } from '../../_components/format';
import { verificationWords, webhookNoteWords } from '../../../server/support/webhook-words';

interface Webhook {
  id: string; webhookType: string | null; webhookCode: string | null; rawBody: string; verified: boolean;
  verificationError: string | null; state: string; error: string | null; receivedAt: string | Date;
}

const SKIP = new Set(['webhook_type', 'webhook_code', 'environment']);

/** One webhook as a person reads it: what it was, for which bank, its outcome, and the body's fields as a list. */
export function WebhookView({ w, bank }: { w: Webhook; bank: string }) {
  const fields = bodyFields(w.rawBody);
  return (
    <details className="webhook">
      <summary>
        <span className="webhook-when">{dateTime(w.receivedAt)}</span> <strong>{humanize(w.webhookType)} · {humanize(w.webhookCode)}</strong> · {bank} ·{' '}
        <span className={w.verified ? 'ok' : 'bad'}>{w.verified ? 'Verified' : 'Not verified'}</span> · {humanize(w.state)}
        {w.error && <> · <span className="bad">{webhookNoteWords(w.error)}</span></>}
      </summary>
      <dl className="kv">
        {fields.map(([k, v]) => (
          <div key={k}><dt>{humanize(k)}</dt><dd>{v}</dd></div>
        ))}
        {!w.verified && w.verificationError && <div><dt>Why not verified</dt><dd>{verificationWords(w.verificationError)}</dd></div>}
      </dl>
    </details>
  );
}

/** The body's fields flattened to "error → error code: ITEM_LOGIN_REQUIRED" pairs; unreadable bodies as one line. */
function bodyFields(raw: string): Array<[string, string]> {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return [['body', raw.slice(0, 500)]];
  }
  const out: Array<[string, string]> = [];
  const walk = (value: unknown, path: string) => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      if (value.every((v) => typeof v !== 'object')) out.push([path, value.join(', ') || 'none']);
      else value.forEach((v, i) => walk(v, `${path} ${i + 1}`));
    } else if (typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) if (!SKIP.has(k)) walk(v, path ? `${path} · ${k}` : k);
    } else out.push([path, String(value)]);
  };
  walk(body, '');
  return out;
}
