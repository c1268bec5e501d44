/**
 * Counts, instead of printing, what the bench system process writes to stdout/stderr: the Powertools JSON log
 * lines of the handlers (what CloudWatch Logs would ingest from each Lambda), per `function_name`, and the
 * other lines (the local runtime's own warnings) apart. Import it first in bench/system.ts, before anything
 * can log. `benchStderr` still reaches the terminal (the bench system's own diagnostics).
 */
const originalStderr = process.stderr.write.bind(process.stderr);

export interface LogCounts {
  /** Bytes of JSON log lines, newline included (UTF-8). */
  bytes: number;
  lines: number;
  byFunction: Record<string, { bytes: number; lines: number }>;
  /** Lines that are not JSON log lines (the local runtime's messages): counted apart, not priced. */
  otherLines: number;
  otherSamples: string[];
}

let counts: LogCounts = fresh();
function fresh(): LogCounts {
  return { bytes: 0, lines: 0, byFunction: {}, otherLines: 0, otherSamples: [] };
}

let pending = '';
function capture(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
  const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
  const lines = (pending + text).split('\n');
  pending = lines.pop() ?? '';
  for (const line of lines) {
    if (line.length === 0) continue;
    if (line.startsWith('{')) {
      const bytes = Buffer.byteLength(line, 'utf8') + 1;
      const fn = /"function_name":"([^"]*)"/.exec(line)?.[1] ?? '(outside an invocation)';
      counts.bytes += bytes;
      counts.lines++;
      const entry = (counts.byFunction[fn] ??= { bytes: 0, lines: 0 });
      entry.bytes += bytes;
      entry.lines++;
    } else {
      counts.otherLines++;
      if (counts.otherSamples.length < 10) counts.otherSamples.push(line.slice(0, 300));
    }
  }
  const cb = typeof encoding === 'function' ? encoding : callback;
  if (typeof cb === 'function') queueMicrotask(() => (cb as () => void)());
  return true;
}

process.stdout.write = capture as typeof process.stdout.write;
process.stderr.write = capture as typeof process.stderr.write;

export const logCapture = {
  snapshot: (): LogCounts => JSON.parse(JSON.stringify(counts)) as LogCounts,
  reset: () => {
    counts = fresh();
  },
};

/** Writes to the real stderr (the bench system's own diagnostics). */
export function benchStderr(message: string): void {
  originalStderr(`[bench system] ${message}\n`);
}
