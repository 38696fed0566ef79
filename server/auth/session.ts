import { headers } from 'next/headers';
import { getDb } from '../../db/client';
import { auth } from './index';
import { loadSessionUser } from '../trpc/context';

/** The signed-in user of the current request (server components), or null. */
export async function currentUser() {
  const h = await headers();
  const found = await auth().api.getSession({ headers: h });
  return found ? loadSessionUser(getDb().db, found.user.id) : null;
}
