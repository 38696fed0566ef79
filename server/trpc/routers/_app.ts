import { createCallerFactory, router } from '../init';
import { accountsRouter } from './accounts';
import { institutionsRouter } from './institutions';
import { itemsRouter } from './items';
import { linkRouter } from './link';
import { meRouter } from './me';
import { supportRouter } from './support';
import { transactionsRouter } from './transactions';

export const appRouter = router({
  me: meRouter,
  link: linkRouter,
  items: itemsRouter,
  accounts: accountsRouter,
  transactions: transactionsRouter,
  institutions: institutionsRouter,
  support: supportRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
