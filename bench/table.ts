/** One printed row: a label, its figure, and its ratio to the section's baseline. */
interface Row {
  label: string;
  value: string;
  ratio?: number;
  note?: string;
}

/**
 * Prints a section as a fixed-width table. Ratios are against a baseline
 * measured in the same run, so they hold on any machine; the absolute
 * figures only describe this one.
 */
function printSection(title: string, header: [string, string], rows: Row[]):
  void {
  const width = Math.max(header[0].length, ...rows.map((row) => row.label.length));
  const valueWidth = Math.max(header[1].length,
    ...rows.map((row) => row.value.length));
  const line = (label: string, value: string, ratio: string, note: string) =>
    `${label.padEnd(width)}  ${value.padStart(valueWidth)}  ${ratio.padStart(7)}` +
    (note ? `  ${note}` : '');

  process.stdout.write(`\n## ${title}\n\n`);
  process.stdout.write(`${line(header[0], header[1], 'ratio', '')}\n`);
  process.stdout.write(`${'-'.repeat(width + valueWidth + 11)}\n`);
  for (const row of rows) {
    const ratio = row.ratio === undefined ? '' : `${row.ratio.toFixed(2)}x`;
    process.stdout.write(`${line(row.label, row.value, ratio, row.note ?? '')}\n`);
  }
}

/** Microseconds as a short human figure. */
function micros(us: number): string {
  return us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(1)} us`;
}

export { micros, printSection };
export type { Row };
