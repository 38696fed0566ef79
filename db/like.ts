/** An ILIKE pattern matching `text` anywhere, taken literally: `%`, `_` and `\` in it are escaped. */
export const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
