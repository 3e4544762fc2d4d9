/** Prints rows as a Markdown table (the same text goes into bench/README.md). */
export function printTable(
  headers: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): void {
  const cells = rows.map((row) =>
    row.map((cell) => (typeof cell === 'number' ? format(cell) : cell)),
  );
  console.log(`| ${headers.join(' | ')} |`);
  console.log(`|${headers.map(() => ' --- ').join('|')}|`);
  for (const row of cells) console.log(`| ${row.join(' | ')} |`);
}

export function format(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(2);
}

export const ratio = (a: number, b: number): string => (b === 0 ? 'n/a' : `${(a / b).toFixed(2)}×`);
