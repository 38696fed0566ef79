import { randomInt, randomUUID } from 'node:crypto';

/** Identifier formats Plaid uses; tests and the app's validators rely on these shapes. */
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomAlnum(length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += ALNUM[randomInt(ALNUM.length)];
  return s;
}

export const newRequestId = (): string => randomAlnum(15);
export const newLinkToken = (): string => `link-sandbox-${randomUUID()}`;
export const newPublicToken = (): string => `public-sandbox-${randomUUID()}`;
export const newAccessToken = (): string => `access-sandbox-${randomUUID()}`;
export const newLinkSessionId = (): string => randomUUID();

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
export const LINK_TOKEN_RE = new RegExp(`^link-(sandbox|development|production)-${UUID}$`);
export const PUBLIC_TOKEN_RE = new RegExp(`^public-(sandbox|development|production)-${UUID}$`);
export const ACCESS_TOKEN_RE = new RegExp(`^access-(sandbox|development|production)-${UUID}$`);
export const ITEM_ID_LENGTH = 37;
