/**
 * A small evaluator for the expression subset Inngest functions use here: paths into the context
 * (`event.data.itemId`, `async.data.id`), string/number/boolean/null literals, `==`, `!=`, `<`,
 * `<=`, `>`, `>=`, `&&`, `||`, `!` and parentheses. Anything else throws, so an unsupported
 * expression is loud rather than silently true.
 */
type Token = { kind: 'path' | 'op' | 'lit'; value: unknown };

const tokenPattern = /\s*(?:(&&|\|\||==|!=|<=|>=|<|>|!|\(|\))|('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|(-?\d+(?:\.\d+)?)|([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*|\[\d+\])*))/y;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  tokenPattern.lastIndex = 0;
  while (tokenPattern.lastIndex < source.length) {
    if (/^\s*$/.test(source.slice(tokenPattern.lastIndex))) break;
    const start = tokenPattern.lastIndex;
    const m = tokenPattern.exec(source);
    if (!m) throw new Error(`Unsupported expression "${source}" at ${start}`);
    if (m[1]) tokens.push({ kind: 'op', value: m[1] });
    else if (m[2]) tokens.push({ kind: 'lit', value: m[2].slice(1, -1).replace(/\\(.)/g, '$1') });
    else if (m[3]) tokens.push({ kind: 'lit', value: Number(m[3]) });
    else if (m[4] === 'true' || m[4] === 'false') tokens.push({ kind: 'lit', value: m[4] === 'true' });
    else if (m[4] === 'null') tokens.push({ kind: 'lit', value: null });
    else tokens.push({ kind: 'path', value: m[4] });
  }
  return tokens;
}

export function lookupPath(context: unknown, path: string): unknown {
  let current: unknown = context;
  for (const part of path.replace(/\[(\d+)\]/g, '.$1').split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function compare(op: string, a: unknown, b: unknown): boolean {
  switch (op) {
    case '==': return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
    case '!=': return JSON.stringify(a ?? null) !== JSON.stringify(b ?? null);
  }
  if (typeof a !== typeof b || (typeof a !== 'number' && typeof a !== 'string')) return false;
  const x = a as number | string;
  const y = b as number | string;
  return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
}

export function evaluate(source: string, context: Record<string, unknown>): unknown {
  const tokens = tokenize(source);
  let i = 0;
  const peek = () => tokens[i];
  const isOp = (v: string) => peek()?.kind === 'op' && peek()?.value === v;

  const primary = (): unknown => {
    const t = tokens[i++];
    if (!t) throw new Error(`Unexpected end of expression "${source}"`);
    if (t.kind === 'lit') return t.value;
    if (t.kind === 'path') return lookupPath(context, t.value as string);
    if (t.value === '!') return !primary();
    if (t.value === '(') {
      const v = or();
      if (!isOp(')')) throw new Error(`Missing ) in "${source}"`);
      i++;
      return v;
    }
    throw new Error(`Unexpected "${String(t.value)}" in "${source}"`);
  };
  const comparison = (): unknown => {
    const left = primary();
    const t = peek();
    if (t?.kind === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(t.value as string)) {
      i++;
      return compare(t.value as string, left, primary());
    }
    return left;
  };
  const and = (): unknown => {
    let v = comparison();
    while (isOp('&&')) {
      i++;
      const r = comparison();
      v = Boolean(v) && Boolean(r);
    }
    return v;
  };
  const or = (): unknown => {
    let v = and();
    while (isOp('||')) {
      i++;
      const r = and();
      v = Boolean(v) || Boolean(r);
    }
    return v;
  };

  const result = or();
  if (i !== tokens.length) throw new Error(`Unsupported expression "${source}"`);
  return result;
}

/** A concurrency or debounce key: the expression's value as a string ("" when absent). */
export function evaluateKey(source: string, context: Record<string, unknown>): string {
  const value = evaluate(source, context);
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
