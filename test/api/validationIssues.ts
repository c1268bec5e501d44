/**
 * Assertions on the issues of a 400 VALIDATION_FAILED body: every issue is `{ path, message, messageVi, code }`,
 * `messageVi` a non-empty Vietnamese text other than the English `message`, `code` a zod-style machine code.
 */
import { expect } from 'vitest';

export interface Issue {
  path: string;
  message: string;
  messageVi: string;
  code: string;
}

/** Every issue of `body` is complete and bilingual; returns the issues. */
export function expectBilingualIssues(body: any): Issue[] {
  expect(body.code).toBe('VALIDATION_FAILED');
  const issues: Issue[] = body.details.issues;
  expect(issues.length).toBeGreaterThan(0);
  for (const issue of issues) {
    expect(Object.keys(issue).sort(), JSON.stringify(issue)).toEqual(['code', 'message', 'messageVi', 'path']);
    expect(issue.path).toEqual(expect.any(String));
    expect(issue.message.trim(), JSON.stringify(issue)).not.toBe('');
    expect(issue.messageVi.trim(), JSON.stringify(issue)).not.toBe('');
    expect(issue.messageVi, JSON.stringify(issue)).not.toBe(issue.message);
    expect(issue.code, JSON.stringify(issue)).toMatch(/^[a-z]+(_[a-z]+)*$/);
  }
  return issues;
}

/** `{ path, code, messageVi }` of each issue, for exact comparisons. */
export function viIssues(body: any): Omit<Issue, 'message'>[] {
  return expectBilingualIssues(body).map(({ path, code, messageVi }) => ({ path, code, messageVi }));
}
