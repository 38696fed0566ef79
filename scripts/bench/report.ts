/**
 * One figure of a benchmark, printed as a `RESULT {json}` line that `npm run bench` collects
 * into its table (and that a person reading the bench's own output can skip).
 */
export function result(bench: string, figure: string, value: string | number, note = ''): void {
  console.log(`RESULT ${JSON.stringify({ bench, figure, value, note })}`);
}
