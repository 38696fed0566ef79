import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, log: createLogger({ level: 'info', destination }) };
}

describe('logger', () => {
  it('redacts tokens, secrets and account numbers wherever they sit', () => {
    const { lines, log } = capture();
    log.info(
      {
        access_token: 'access-sandbox-1',
        request: { public_token: 'public-sandbox-2', secret: 'shh' },
        numbers: { ach: [{ account: '1111222233330000', routing: '011401533' }] },
        accountNumber: '9900009606',
        item_id: 'item-visible',
      },
      'linked',
    );
    const out = lines.join('');
    for (const secret of ['access-sandbox-1', 'public-sandbox-2', 'shh', '1111222233330000', '011401533', '9900009606']) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('item-visible');
    expect(out).toContain('[redacted]');
  });

  it('carries request, item and user identifiers from child loggers', () => {
    const { lines, log } = capture();
    log.child({ request_id: 'r-1', user_id: 'u-1' }).child({ item_id: 'i-1', link_session_id: 'ls-1' }).info('hello');
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ request_id: 'r-1', user_id: 'u-1', item_id: 'i-1', link_session_id: 'ls-1', msg: 'hello' });
  });
});
