import type { Row } from './run-query.js';

// Logs Insights returns up to 10,000 rows; cells are cut, not wrapped, so
// a row stays one line.
const maxCellWidth = 60;

/**
 * The rows as a plain text table: a header, a rule, one line per row,
 * columns in the order the fields first appear. Missing fields print as
 * empty cells; an empty result says so instead of printing a bare header.
 */
function resultsTable(rows: Row[]): string {
  if (rows.length === 0) return 'No matching audit events.\n';
  const columns: string[] = [];
  for (const row of rows) {
    for (const field of Object.keys(row)) {
      if (!columns.includes(field)) columns.push(field);
    }
  }
  const cells = rows.map((row) => columns.map((column) =>
    cell(row[column] ?? '')));
  const widths = columns.map((column, index) => Math.max(column.length,
    ...cells.map((line) => (line[index] ?? '').length)));

  const format = (values: string[]) => values
    .map((value, index) => value.padEnd(widths[index] ?? 0))
    .join('  ')
    .trimEnd();
  return [
    format(columns),
    format(widths.map((width) => '-'.repeat(width))),
    ...cells.map(format),
  ].join('\n') + '\n';
}

function cell(value: string): string {
  const flat = value.replace(/[\r\n\t]+/g, ' ');
  return flat.length > maxCellWidth
    ? `${flat.slice(0, maxCellWidth - 3)}...` : flat;
}

export { resultsTable };
