/** Calendar helpers on `YYYY-MM-DD` strings (UTC), the date format Plaid uses. */
const DAY_MS = 86_400_000;

export const DAY = DAY_MS;
export const toDay = (d: Date): string => d.toISOString().slice(0, 10);
export const dayToMs = (day: string): number => Date.parse(`${day}T00:00:00Z`);
export const addDays = (day: string, n: number): string => toDay(new Date(dayToMs(day) + n * DAY_MS));
export const dayOfMonth = (day: string): number => Number(day.slice(8, 10));
export const isDay = (s: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(dayToMs(s)) && toDay(new Date(dayToMs(s))) === s;
