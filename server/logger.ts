import pino from 'pino';
import { env } from './env';
import { processContainer } from './process/container';

/**
 * Paths pino blanks wherever they appear in a log object. The crypto layer keeps secrets out of
 * logs by construction; this list is the second line of defence.
 */
export const redactPaths = [
  'access_token', '*.access_token', '*.*.access_token', 'accessToken', '*.accessToken', '*.*.accessToken',
  'public_token', '*.public_token', 'publicToken', '*.publicToken', '*.*.publicToken',
  'link_token', '*.link_token',
  'secret', '*.secret', 'client_id', '*.client_id',
  'account', '*.account', 'routing', '*.routing', 'wire_routing', '*.wire_routing',
  'accountNumber', '*.accountNumber', 'routingNumber', '*.routingNumber',
  'numbers', '*.numbers', 'password', '*.password',
  'headers.authorization', 'headers.cookie', 'headers["plaid-secret"]', 'headers["x-service-key"]',
  'req.headers.authorization', 'req.headers.cookie',
];

export type Logger = pino.Logger;

export function createLogger(options: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? env().LOG_LEVEL,
      base: { service: 'tributary' },
      redact: { paths: redactPaths, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}

export function logger(): Logger {
  const c = processContainer();
  c.log ??= createLogger();
  return c.log;
}
