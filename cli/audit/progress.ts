/** Where the command writes: a stream, and whether a person watches it. */
interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
}

interface QueryProgress {
  /** Shows the latest status; called after every poll. */
  update(status: string, elapsedMs: number, recordsScanned: number): void;
  /** Replaces the indicator with a one-line summary. */
  done(summary: string): void;
}

const frames = ['|', '/', '-', '\\'];

/**
 * The wait indicator on stderr, so stdout stays the table or the JSON. On a
 * terminal one line is redrawn with a spinner, the status, the time and the
 * records scanned so far; elsewhere (CI, a pipe) a line per change of
 * status, so logs stay readable.
 */
function queryProgress(stream: Output, label: string): QueryProgress {
  let frame = 0;
  let lastStatus = '';
  return {
    update(status, elapsedMs, recordsScanned) {
      const seconds = (elapsedMs / 1000).toFixed(1);
      const scanned = recordsScanned.toLocaleString('en-US');
      if (stream.isTTY) {
        const spinner = frames[frame++ % frames.length];
        stream.write(`\r\x1b[K${spinner} ${label}: ${status}, ${seconds} s, ` +
          `${scanned} records scanned`);
      } else if (status !== lastStatus) {
        stream.write(`${label}: ${status} (${seconds} s, ${scanned} records ` +
          'scanned)\n');
      }
      lastStatus = status;
    },
    done(summary) {
      stream.write(stream.isTTY ? `\r\x1b[K${summary}\n` : `${summary}\n`);
    },
  };
}

export { queryProgress };
export type { Output, QueryProgress };
