import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../../server/trpc/routers/_app';

export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type ItemWithAccounts = RouterOutputs['items']['list'][number];
export type AccountView = RouterOutputs['accounts']['cached'][number];
export type SyncStatus = RouterOutputs['items']['syncStatus'][number];
