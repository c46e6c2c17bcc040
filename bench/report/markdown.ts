// A markdown table on stdout, ready to paste into docs/performance.md.

export function printTable(headers: readonly string[], rows: readonly (readonly string[])[]): void {
  const line = (cells: readonly string[]): string => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
  console.log(line(headers));
  console.log(line(headers.map(() => '---')));
  for (const row of rows) console.log(line(row));
}
