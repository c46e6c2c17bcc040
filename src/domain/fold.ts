// Unicode case folding for case-insensitive matching (SQLite's NOCASE and LIKE
// fold ASCII only). NFKC first, so composed and decomposed forms (ü vs u+¨)
// match; upper-then-lower folds ß to ss the way full case folding does.
export function fold(s: string): string {
  return s.normalize('NFKC').toUpperCase().toLowerCase();
}
