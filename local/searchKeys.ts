/**
 * The review-search keys of the local system (in AWS: one Secrets Manager secret per province stack): one key per
 * province, as the JSON SEARCH_KEY_SECRET accepts (functions/adapters/secrets.ts searchKeyFor). Local only.
 */
import { provinces } from '../functions/shared/provinces';

export function localSearchKeysEnv(): string {
  return JSON.stringify(Object.fromEntries(provinces.map((p) => [p.code, `local-review-search-key-${p.code}-not-for-aws`])));
}
