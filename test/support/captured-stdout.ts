import { vi } from 'vitest';

/**
 * Captures what the process writes to stdout (where the Powertools logger
 * writes its JSON lines), so tests can read the audit events and check that
 * no secret reached any log line.
 */
function captureStdout() {
  const lines: string[] = [];
  // Kept, not printed: the test reads them, and the runner's output stays
  // free of log lines.
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation(
    (chunk: string | Uint8Array) => {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      return true;
    },
  );
  return {
    lines,
    /** The parsed JSON log lines whose `event` is an audit event. */
    auditEvents(): Array<Record<string, unknown>> {
      return lines.filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((entry) => typeof entry.event === 'string' &&
          /^(credential|targets)\./.test(entry.event as string));
    },
    clear(): void {
      lines.length = 0;
    },
    restore(): void {
      spy.mockRestore();
    },
  };
}

export { captureStdout };
