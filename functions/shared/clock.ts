/**
 * The one source of "now". `CLOCK_OFFSET_MS` shifts the clock (the local runtime's `--now` sets it so dated
 * rules can be tried); it is configuration, not a local branch: a staging stack may set it too.
 */
export function now(): Date {
  const offset = Number(process.env.CLOCK_OFFSET_MS ?? 0);
  return new Date(Date.now() + (Number.isFinite(offset) ? offset : 0));
}

export function nowIso(): string {
  return now().toISOString();
}

const VN_OFFSET_MS = 7 * 60 * 60 * 1000; // Asia/Ho_Chi_Minh is UTC+7 all year (no daylight saving).

/** The Asia/Ho_Chi_Minh calendar date (YYYY-MM-DD) of an instant. */
export function vietnamDate(instant: Date = now()): string {
  return new Date(instant.getTime() + VN_OFFSET_MS).toISOString().slice(0, 10);
}

export function addSeconds(instant: Date, seconds: number): Date {
  return new Date(instant.getTime() + seconds * 1000);
}
