'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useCallback, useState } from 'react';
import { type PlaidLinkError, type PlaidLinkOnEventMetadata, type PlaidLinkOnExitMetadata, type PlaidLinkOnSuccessMetadata, usePlaidLink } from 'react-plaid-link';
import { useTRPC } from '../../_trpc/client';
import { errorCode, errorText } from '../error-text';

/** What a Link session is for: a new bank, or repairing / updating an existing connection. */
export type LinkTarget = { kind: 'new' } | { kind: 'update'; itemId: string };
/** `itemId`: the bank the message is about (a duplicate link points to the one already there). */
export interface LinkMessage { tone: 'error' | 'success' | 'info'; text: string; itemId?: string }

/** The link token is kept for the OAuth return page only (sessionStorage: this tab, this visit). */
export const LINK_STORAGE_KEY = 'tributary.link';
export function rememberLinkSession(token: string, target: LinkTarget) {
  sessionStorage.setItem(LINK_STORAGE_KEY, JSON.stringify({ token, target }));
}
export function recallLinkSession(): { token: string; target: LinkTarget } | null {
  try {
    const raw = sessionStorage.getItem(LINK_STORAGE_KEY);
    return raw ? (JSON.parse(raw) as { token: string; target: LinkTarget }) : null;
  } catch {
    return null;
  }
}

const eventMeta = (m: PlaidLinkOnEventMetadata) => ({
  link_session_id: m.link_session_id, request_id: m.request_id, institution_id: m.institution_id, institution_name: m.institution_name,
  error_code: m.error_code, error_type: m.error_type, error_message: m.error_message, exit_status: m.exit_status,
  view_name: m.view_name, mfa_type: m.mfa_type, is_update_mode: m.is_update_mode, timestamp: m.timestamp,
});

/** Link errors in words, when Plaid gave no display_message. */
function linkErrorText(error: PlaidLinkError, institution: string | undefined): string {
  const bank = institution ?? 'your bank';
  const base = error.display_message
    ?? ({
      INVALID_CREDENTIALS: `The username or password for ${bank} was not right.`,
      ITEM_LOCKED: `${bank} has locked this account after too many attempts. Unlock it with your bank, then try again.`,
      INSTITUTION_DOWN: `${bank} is not answering right now. Please try again later.`,
      INSTITUTION_NOT_RESPONDING: `${bank} is not answering right now. Please try again later.`,
      RATE_LIMIT_EXCEEDED: 'Too many attempts. Please wait a minute and try again.',
    } as Record<string, string>)[error.error_code]
    ?? `Connecting ${bank} did not work. Please try again, or choose another bank.`;
  return `${base} Nothing was linked.`;
}

/**
 * Plaid Link with Tributary's callbacks: onSuccess links the bank (or completes an update), every
 * event and exit is recorded for support, and failures become a message a person can act on.
 */
export function useLinkFlow(opts: { token: string | null; target: LinkTarget; receivedRedirectUri?: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [message, setMessage] = useState<LinkMessage | null>(null);
  const record = useMutation(trpc.link.recordEvent.mutationOptions());
  const link = useMutation(trpc.items.link.mutationOptions());
  const complete = useMutation(trpc.items.completeUpdate.mutationOptions());
  const { target } = opts;

  const onSuccess = useCallback(
    async (publicToken: string | null, metadata: PlaidLinkOnSuccessMetadata) => {
      sessionStorage.removeItem(LINK_STORAGE_KEY);
      record.mutate({ kind: 'success', metadata: { link_session_id: metadata.link_session_id, institution: metadata.institution } });
      const bank = metadata.institution?.name ?? 'Your bank';
      try {
        if (target.kind === 'new') {
          if (!publicToken) throw new Error('Plaid Link finished without a public token');
          const accounts = metadata.accounts.map((a) => ({ id: a.id, name: a.name, mask: a.mask, type: a.type, subtype: a.subtype ?? null }));
          const linkMetadata = { institution: metadata.institution, accounts, link_session_id: metadata.link_session_id };
          // A bank already linked: one plain message, and nothing is exchanged or said to be connecting.
          const { duplicate } = await queryClient.fetchQuery({ ...trpc.items.checkDuplicate.queryOptions({ metadata: linkMetadata }), staleTime: 0 });
          if (duplicate) {
            setMessage({ tone: 'info', text: `${duplicate.institutionName ?? bank} is already linked to your account. Nothing new was added, and your existing connection is unchanged.`, itemId: duplicate.itemId });
            return;
          }
          setMessage({ tone: 'info', text: `Connecting ${bank}…` });
          await link.mutateAsync({ publicToken, metadata: linkMetadata });
          router.push('/dashboard');
        } else {
          const done = await complete.mutateAsync({ itemId: target.itemId });
          setMessage(done.item.status === 'ERROR'
            ? { tone: 'error', text: `${bank} still needs attention: ${done.item.errorMessage ?? 'please try again.'}` }
            : { tone: 'success', text: `${bank} is up to date.` });
        }
        router.refresh();
      } catch (err) {
        // A bank linked twice is not a failure: the existing connection stays, and nothing new was added.
        if (errorCode(err) === 'CONFLICT') setMessage({ tone: 'info', text: errorText(err) });
        else setMessage({ tone: 'error', text: `We could not finish connecting ${bank}. ${errorText(err)}` });
      }
    },
    [target, record, link, complete, router, queryClient, trpc],
  );

  const onExit = useCallback(
    (error: PlaidLinkError | null, metadata: PlaidLinkOnExitMetadata) => {
      record.mutate({
        kind: 'exit',
        metadata: { link_session_id: metadata.link_session_id, request_id: metadata.request_id, institution: metadata.institution, status: metadata.status },
        error: error ? { error_code: error.error_code, error_type: error.error_type, display_message: error.display_message } : null,
      });
      setMessage(error ? { tone: 'error', text: linkErrorText(error, metadata.institution?.name) } : null);
    },
    [record],
  );

  const onEvent = useCallback(
    (eventName: string, metadata: PlaidLinkOnEventMetadata) => record.mutate({ kind: 'event', eventName, metadata: eventMeta(metadata) }),
    [record],
  );

  const plaid = usePlaidLink({ token: opts.token, receivedRedirectUri: opts.receivedRedirectUri, onSuccess, onExit, onEvent });
  return { ...plaid, message, setMessage, busy: link.isPending || complete.isPending };
}
