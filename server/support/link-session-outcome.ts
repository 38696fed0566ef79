/**
 * A Link session that reported neither onSuccess nor onExit this long after its last event is
 * over: the person closed the tab or lost the connection, and Link's public token (30 minutes)
 * could not be exchanged any more anyway.
 */
export const ABANDONED_AFTER_MS = 30 * 60_000;

export const isAbandoned = (lastEventAt: Date, now: Date) => now.getTime() - lastEventAt.getTime() >= ABANDONED_AFTER_MS;
