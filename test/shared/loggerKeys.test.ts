/**
 * Powertools drops (with a warning) a log attribute named like one of its own keys, so a line that passes
 * `service` loses it: the application's service goes as `applicationService`, and no log call in functions/
 * passes a reserved key (a static scan of every logger.* call's object literal).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const RESERVED = ['service', 'level', 'message', 'timestamp', 'xray_trace_id', 'cold_start', 'function_arn', 'function_name', 'function_memory_size', 'function_request_id', 'sampling_rate'];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('log attributes', () => {
  it('no logger call in functions/ passes a key Powertools reserves', () => {
    const offending: string[] = [];
    const call = /logger\.(?:debug|info|warn|error|critical)\(\s*(?:'[^']*'|"[^"]*"|`[^`]*`)\s*,\s*\{([^}]*)\}/g;
    for (const file of files('functions')) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(call)) {
        const keys = [...m[1]!.matchAll(/(?:^|,)\s*([A-Za-z_]+)\s*(?=[:,]|$)/g)].map((k) => k[1]!);
        for (const k of keys) if (RESERVED.includes(k)) offending.push(`${file}: ${k}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
