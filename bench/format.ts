// Number formatting for the bench's console lines and tables, so every figure
// reads the same way wherever it is printed.

export function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

export function mib(bytes: number | undefined): string {
  return bytes === undefined ? 'n/a' : `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}

export function perSecond(n: number): string {
  return fmt(Math.round(n));
}
