/** Audited actions in words, for the audit log and the item timeline. */
const actionWords: Record<string, string> = {
  'float.create': 'Created a float',
  'float.settle': 'Settled a float',
  'item.force_remove': 'Force-removed the bank',
  'item.hygiene_remove': 'Removed the bank (inactive or broken too long)',
  'item.reconnect': 'Reconnected the bank through Link',
  'item.remine': 'Asked for a re-mine',
  'item.remove': 'Removed the bank',
  'item.republish_snapshot': 'Re-published to the streams',
  'item.reset_login': 'Reset the bank login (sandbox)',
  'item.set_main_account': 'Changed the main account',
};

/** What was done, in words ("item.set_main_account" → "Changed the main account"). */
export function auditAction(action: string): string {
  const known = actionWords[action];
  if (known) return known;
  const s = action.replace(/[._]/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}
