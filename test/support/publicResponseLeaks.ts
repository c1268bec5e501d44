/**
 * Nothing internal in an answer (issue 11): finds, anywhere in a response body, a `verify` key (the rule data's
 * verification flag), a note about sources ("domain.md", "Reading of", "(verify)"), and English legal words
 * inside a Vietnamese text (any `vi` string). Returns one line per leak: its JSON path and what was found.
 */
const SOURCE_NOTES = /domain\.md|\bReading of\b|\(verify\)/i;
/** English legal words a Vietnamese text must not contain (its citations are Vietnamese: "Điều 70 Luật …"). */
const ENGLISH_LEGAL_IN_VI = /\b(Law|Art\.|Article|Decree|Circular|Resolution|Decision|verify)\b/;

export function findInternalLeaks(body: unknown, path = '$'): string[] {
  const leaks: string[] = [];
  const visit = (value: unknown, at: string, key: string | null) => {
    if (typeof value === 'string') {
      if (SOURCE_NOTES.test(value)) leaks.push(`${at}: source note ${JSON.stringify(SOURCE_NOTES.exec(value)![0])} in ${JSON.stringify(value.slice(0, 160))}`);
      if (key === 'vi' && ENGLISH_LEGAL_IN_VI.test(value)) {
        leaks.push(`${at}: English legal word ${JSON.stringify(ENGLISH_LEGAL_IN_VI.exec(value)![0])} in a Vietnamese text ${JSON.stringify(value.slice(0, 160))}`);
      }
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, `${at}[${i}]`, key));
      return;
    }
    if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) {
        if (k === 'verify') leaks.push(`${at}.${k}: verification flag`);
        visit(v, `${at}.${k}`, k);
      }
    }
  };
  visit(body, path, null);
  return leaks;
}

/** Throws when an answer leaks something internal (used by the e2e client on every response). */
export function assertNoInternalLeaks(method: string, path: string, body: unknown): void {
  const leaks = findInternalLeaks(body);
  if (leaks.length > 0) throw new Error(`${method} ${path} answer leaks internal text:\n  ${leaks.slice(0, 10).join('\n  ')}`);
}
