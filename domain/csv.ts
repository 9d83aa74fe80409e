// CSV as spreadsheets read it: UTF-8 with a BOM, CRLF line ends, RFC 4180 quoting, formulas
// defused. Used by the register export (client/export.ts) and the published register.csv.

/** One field, quoted when it has a comma, a quote or a line break (RFC 4180), defused if it looks like a formula. */
export function csvField(value: string | number | boolean | null | undefined): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rows to a CSV document: BOM, CRLF after every record (the last included). */
export function toCsv(records: (string | number | boolean | null | undefined)[][]): string {
  return '\uFEFF' + records.map((r) => r.map(csvField).join(',') + '\r\n').join('');
}
