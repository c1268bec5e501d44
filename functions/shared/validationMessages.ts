/**
 * Bilingual validation messages for the HTTP API (every issue of a 400 VALIDATION_FAILED).
 *
 * Each issue is answered as `{ path, message, messageVi, code }`:
 * - `message`: zod's message, in English, unchanged (a custom one from the schema or zod's default);
 * - `code`: zod's issue code (`invalid_type`, `too_small`, `too_big`, `invalid_format`, `invalid_value`,
 *   `invalid_union`, `unrecognized_keys`, `custom` …), stable for machines;
 * - `messageVi`: the Vietnamese of a custom message, declared once next to the English with `msg(en, vi)`;
 *   otherwise a Vietnamese text built from the issue code that names the field (and the limits).
 */
import type { z } from 'zod';

export interface ValidationIssue {
  /** Dotted path of the field ('' for the body / query string as a whole). */
  path: string;
  /** English, as zod reports it. */
  message: string;
  messageVi: string;
  /** zod's issue code. */
  code: string;
}

/** Where the validated data came from: names the field "trường" (body) or "tham số" (query string). */
export type IssueSource = 'body' | 'query';

type ZodIssue = z.core.$ZodIssue;

const vietnameseOf = new Map<string, string>();

/**
 * Declares a custom validation message in both languages: returns the English text (for zod) and registers
 * the Vietnamese one, which the 400 body reports as `messageVi`. Declaring the same English text with another
 * Vietnamese text is a programming error (thrown when the schema module loads).
 */
export function msg(en: string, vi: string): string {
  if (!en.trim() || !vi.trim() || en === vi) throw new Error(`Validation message needs distinct English and Vietnamese texts: "${en}"`);
  const known = vietnameseOf.get(en);
  if (known !== undefined && known !== vi) {
    throw new Error(`Validation message "${en}" is declared twice with different Vietnamese texts`);
  }
  vietnameseOf.set(en, vi);
  return en;
}

/** The Vietnamese registered for a custom English message, if any. */
export function vietnameseFor(en: string): string | undefined {
  return vietnameseOf.get(en);
}

const TYPE_VI: Record<string, string> = {
  string: 'chuỗi ký tự',
  number: 'số',
  int: 'số nguyên',
  bigint: 'số nguyên',
  boolean: 'giá trị true hoặc false',
  object: 'đối tượng JSON',
  array: 'mảng JSON',
  null: 'null',
  date: 'ngày',
};

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const joinPath = (path: PropertyKey[]) => path.map(String).join('.');
const listValues = (values: readonly unknown[]) => values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');

/** The value at `path` in the validated data (undefined when absent: JSON has no undefined). */
function valueAt(data: unknown, path: PropertyKey[]): unknown {
  let current = data;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || !Object.prototype.hasOwnProperty.call(current, key)) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** The literal values a union of literals / enums accepts, when every branch failed on one value. */
function unionValues(issue: Extract<ZodIssue, { code: 'invalid_union' }>): unknown[] | undefined {
  const values: unknown[] = [];
  for (const branch of issue.errors) {
    if (branch.length !== 1 || branch[0].code !== 'invalid_value' || branch[0].path.length > 0) return undefined;
    values.push(...branch[0].values);
  }
  return values.length > 0 ? values : undefined;
}

/** Vietnamese for an issue that has no declared custom message: what is wrong, naming the field. */
export function fallbackVietnamese(issue: ZodIssue, data: unknown, source: IssueSource = 'body'): string {
  const noun = source === 'query' ? 'tham số' : 'trường';
  const path = joinPath(issue.path);
  const field = path ? `${noun} ${path}` : source === 'query' ? 'chuỗi tham số truy vấn' : 'nội dung yêu cầu';
  const Field = capitalize(field);

  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => (path ? `${path}.${k}` : k));
    return `${capitalize(noun)} không được hỗ trợ: ${keys.join(', ')}`;
  }
  if (path && valueAt(data, issue.path) === undefined) return `Thiếu ${noun} bắt buộc ${path}`;

  switch (issue.code) {
    case 'invalid_type':
      return `${Field} phải là ${TYPE_VI[issue.expected] ?? issue.expected}`;
    case 'too_small': {
      const min = String(issue.minimum);
      if (issue.origin === 'string') {
        if (issue.exact) return `${Field} phải có đúng ${min} ký tự`;
        return Number(issue.minimum) <= 1 ? `${Field} không được để trống` : `${Field} phải có ít nhất ${min} ký tự`;
      }
      if (issue.origin === 'array' || issue.origin === 'set') return `${Field} phải có ít nhất ${min} phần tử`;
      return issue.inclusive === false ? `${Field} phải lớn hơn ${min}` : `${Field} phải lớn hơn hoặc bằng ${min}`;
    }
    case 'too_big': {
      const max = String(issue.maximum);
      if (issue.origin === 'string') {
        return issue.exact ? `${Field} phải có đúng ${max} ký tự` : `${Field} không được dài quá ${max} ký tự`;
      }
      if (issue.origin === 'array' || issue.origin === 'set') return `${Field} không được có quá ${max} phần tử`;
      return issue.inclusive === false ? `${Field} phải nhỏ hơn ${max}` : `${Field} phải nhỏ hơn hoặc bằng ${max}`;
    }
    case 'invalid_format':
      return issue.format === 'regex' ? `${Field} không đúng định dạng` : `${Field} không đúng định dạng ${issue.format}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `${Field} phải có giá trị ${listValues(issue.values)}`
        : `${Field} phải là một trong các giá trị: ${listValues(issue.values)}`;
    case 'invalid_union': {
      const values = unionValues(issue);
      return values ? `${Field} phải là một trong các giá trị: ${listValues(values)}` : `Giá trị của ${field} không hợp lệ`;
    }
    case 'not_multiple_of':
      return `${Field} phải là bội số của ${issue.divisor}`;
    case 'invalid_key':
      return `${Field} có khóa không hợp lệ`;
    case 'invalid_element':
      return `${Field} có phần tử không hợp lệ`;
    default:
      return `Giá trị của ${field} không hợp lệ`;
  }
}

/** The issues of a failed zod parse of `data`, as the 400 VALIDATION_FAILED body lists them. */
export function validationIssues(issues: readonly ZodIssue[], data: unknown, source: IssueSource = 'body'): ValidationIssue[] {
  return issues.map((issue) => ({
    path: joinPath(issue.path),
    message: issue.message,
    messageVi: vietnameseFor(issue.message) ?? fallbackVietnamese(issue, data, source),
    code: issue.code,
  }));
}

/**
 * Completes an issue that was built elsewhere from zod's path and message only (the zod issue itself is gone):
 * the Vietnamese of a declared message, else a generic text naming the field; the code `invalid_input`.
 * Keeps every 400 VALIDATION_FAILED the same shape whoever built it (shared/http.ts errorResult).
 */
export function completeIssue(issue: { path?: unknown; message?: unknown; messageVi?: unknown; code?: unknown }): ValidationIssue {
  const path = typeof issue.path === 'string' ? issue.path : '';
  const message = typeof issue.message === 'string' ? issue.message : '';
  const messageVi =
    typeof issue.messageVi === 'string' && issue.messageVi
      ? issue.messageVi
      : (vietnameseFor(message) ?? (path ? `Giá trị của trường ${path} không hợp lệ` : 'Nội dung yêu cầu không hợp lệ'));
  const code = typeof issue.code === 'string' && issue.code ? issue.code : 'invalid_input';
  return { ...issue, path, message, messageVi, code };
}
