/** files.csv: one row per embedding row, in the same order (RFC 4180 quoting). */
export function filesCsv(paths: readonly string[]): string {
  const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return `index,path\n${paths.map((p, i) => `${i},${quote(p)}`).join('\n')}\n`;
}
