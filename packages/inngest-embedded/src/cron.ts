/**
 * Standard 5-field cron expressions (minute hour day-of-month month day-of-week), evaluated in UTC.
 * Supports `*`, lists, ranges, steps (`*\/15`, `1-10/2`), month and weekday names, 7 = Sunday, and
 * an optional `TZ=UTC ` prefix. Other time zones are rejected rather than silently shifted.
 */
export interface CronSchedule {
  minutes: Set<number>;
  hours: Set<number>;
  daysOfMonth: Set<number>;
  months: Set<number>;
  daysOfWeek: Set<number>;
  domRestricted: boolean;
  dowRestricted: boolean;
}

const monthNames = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const dayNames = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const macros: Record<string, string> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};

function parseField(field: string, min: number, max: number, names: string[] = [], nameBase = 0): Set<number> {
  const values = new Set<number>();
  const value = (token: string): number => {
    const named = names.indexOf(token.toUpperCase());
    const n = named >= 0 ? named + nameBase : Number(token);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`cron value "${token}" is out of range ${min}-${max}`);
    return n;
  };
  for (const part of field.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`cron step "${stepText}" is invalid`);
    let lo = min;
    let hi = max;
    if (range !== '*') {
      const [a = '', b] = range.split('-');
      lo = value(a);
      hi = b === undefined ? (stepText === undefined ? lo : max) : value(b);
    }
    if (lo > hi) throw new Error(`cron range "${range}" is reversed`);
    for (let n = lo; n <= hi; n += step) values.add(n);
  }
  return values;
}

export function parseCron(expression: string): CronSchedule {
  let text = expression.trim();
  const tz = /^(?:CRON_)?TZ=(\S+)\s+/.exec(text);
  if (tz) {
    if (tz[1] !== 'UTC' && tz[1] !== 'Etc/UTC') throw new Error(`cron time zone ${tz[1]} is not supported (UTC only)`);
    text = text.slice(tz[0].length);
  }
  text = macros[text] ?? text;
  const fields = text.split(/\s+/);
  if (fields.length !== 5) throw new Error(`cron "${expression}" must have 5 fields`);
  const [minute, hour, dom, month, dow] = fields as [string, string, string, string, string];
  const daysOfWeek = parseField(dow, 0, 7, dayNames);
  if (daysOfWeek.delete(7)) daysOfWeek.add(0);
  return {
    minutes: parseField(minute, 0, 59),
    hours: parseField(hour, 0, 23),
    daysOfMonth: parseField(dom, 1, 31),
    months: parseField(month, 1, 12, monthNames, 1),
    daysOfWeek,
    domRestricted: !dom.startsWith('*'),
    dowRestricted: !dow.startsWith('*'),
  };
}

function dayMatches(s: CronSchedule, d: Date): boolean {
  const dom = s.daysOfMonth.has(d.getUTCDate());
  const dow = s.daysOfWeek.has(d.getUTCDay());
  // Classic cron: when both day fields are restricted, either may match.
  if (s.domRestricted && s.dowRestricted) return dom || dow;
  return dom && dow;
}

/** The first fire time strictly after `afterMs`. */
export function nextCronTime(expression: string | CronSchedule, afterMs: number): number {
  const s = typeof expression === 'string' ? parseCron(expression) : expression;
  const d = new Date(Math.floor(afterMs / 60_000) * 60_000 + 60_000);
  for (let guard = 0; guard < 200_000; guard++) {
    if (!s.months.has(d.getUTCMonth() + 1)) {
      d.setUTCMonth(d.getUTCMonth() + 1, 1);
      d.setUTCHours(0, 0, 0, 0);
    } else if (!dayMatches(s, d)) {
      d.setUTCDate(d.getUTCDate() + 1);
      d.setUTCHours(0, 0, 0, 0);
    } else if (!s.hours.has(d.getUTCHours())) {
      d.setUTCHours(d.getUTCHours() + 1, 0, 0, 0);
    } else if (!s.minutes.has(d.getUTCMinutes())) {
      d.setUTCMinutes(d.getUTCMinutes() + 1, 0, 0);
    } else {
      return d.getTime();
    }
  }
  throw new Error(`cron "${typeof expression === 'string' ? expression : 'schedule'}" never fires`);
}
