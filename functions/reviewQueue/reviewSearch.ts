/**
 * Review-queue search (GET /v1/review-items?q=…): by review item id, application id, full personal ID or name,
 * always within the caller's province (domain/reviewSearch.ts says what a query asks for).
 *
 * Index design (cost first; one new GSI, issue 13): each item gets a few small search-key rows in its own partition
 * of the reviewItems table, written in the SAME transaction that creates the item (openReviewItem), so an item is
 * findable exactly when it exists:
 *   { itemId, sk: "SEARCH#<searchKey>", searchProvince, searchKey }
 *   searchKey  "APP#<applicationId>"      one
 *              "PID#<keyed hash>"          one per distinct personal ID (submitted, and the registry's if it differs):
 *                                          base64url(HMAC-SHA256(province key, personal ID)) — never the ID in clear
 *              "NAME#<word>"               one per distinct folded word of the submitted name and the registry's
 * GSI byProvinceSearch (pk searchProvince, sk searchKey) is KEYS_ONLY: a lookup reads only keys (≈ 100 bytes per
 * match), then the matching items by key. A review item id needs no index (it is the table's key).
 * A name query looks every word (≥ 2 letters) up by prefix, keeps the items every word found, and checks each
 * candidate's names again (so a stale or partial key never shows a wrong item).
 */
import { createHmac } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../adapters/dynamo';
import { searchKeyFor } from '../adapters/secrets';
import { config } from '../shared/config';
import { vietnamDate } from '../shared/clock';
import type { StaffPrincipal } from '../shared/http';
import { MIN_LOOKUP_TOKEN, nameMatches, nameSearchTokens, parseSearchQuery, type SearchKind, type SearchQuery } from '../domain/reviewSearch';
import type { RegistryPerson, ReviewReasonCode, ServiceName } from '../domain/types';
import {
  getItem,
  getItems,
  toStaffView,
  type ReviewItemRecord,
  type ReviewItemStaffView,
  type ReviewItemStatus,
  type TransactItem,
} from './reviewItemsRepository';

export const BY_PROVINCE_SEARCH = 'byProvinceSearch';
export const SEARCH_SK_PREFIX = 'SEARCH#';
/** Index entries read per name word at most: a very common word alone ("nguyen") is cut there. */
const MAX_MATCHES_PER_WORD = 1000;

/** The keyed hash a personal ID is stored and looked up by (per-province key). */
export async function personalIdSearchHash(provinceCode: string, personalId: string): Promise<string> {
  const key = await searchKeyFor(provinceCode);
  return createHmac('sha256', key).update(`${provinceCode}|${personalId}`, 'utf8').digest('base64url');
}

function registryPersonOf(item: Pick<ReviewItemRecord, 'registrySnapshot' | 'submitted'>): RegistryPerson | null {
  const snap = item.registrySnapshot as { personalId?: unknown; members?: RegistryPerson[] } | null;
  if (!snap || typeof snap !== 'object') return null;
  if (Array.isArray(snap.members)) return snap.members.find((m) => m.personalId === item.submitted.personalId) ?? null;
  return typeof snap.personalId === 'string' ? (snap as RegistryPerson) : null;
}

/** The names an item is found by: the submitted one and the registry's (a name-mismatch item by either). */
function namesOf(item: Pick<ReviewItemRecord, 'registrySnapshot' | 'submitted'>): string[] {
  return [item.submitted.fullName, registryPersonOf(item)?.fullName].filter((n): n is string => typeof n === 'string');
}

/** The search keys of an item (see above). */
export async function searchKeysOf(item: Pick<ReviewItemRecord, 'provinceCode' | 'applicationId' | 'submitted' | 'registrySnapshot'>): Promise<string[]> {
  const keys = new Set<string>([`APP#${item.applicationId.toUpperCase()}`]);
  const ids = new Set([item.submitted.personalId, registryPersonOf(item)?.personalId].filter((id): id is string => typeof id === 'string' && /^\d{12}$/.test(id)));
  for (const id of ids) keys.add(`PID#${await personalIdSearchHash(item.provinceCode, id)}`);
  for (const word of nameSearchTokens(namesOf(item))) keys.add(`NAME#${word}`);
  return [...keys];
}

/** Puts of an item's search-key rows, for the transaction that creates the item. */
export async function searchRowPuts(item: ReviewItemRecord): Promise<TransactItem[]> {
  const keys = await searchKeysOf(item);
  return keys.map((searchKey) => ({
    Put: {
      TableName: config.reviewItemsTable(),
      Item: { itemId: item.itemId, sk: `${SEARCH_SK_PREFIX}${searchKey}`, searchProvince: item.provinceCode, searchKey },
    },
  }));
}

/** Item ids of the province's keys equal to `key` (exact) or starting with it (prefix), at most `max`. */
async function lookup(provinceCode: string, key: string, mode: 'exact' | 'prefix', max: number): Promise<{ ids: string[]; cut: boolean }> {
  const ids: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await dynamo().send(
      new QueryCommand({
        TableName: config.reviewItemsTable(),
        IndexName: BY_PROVINCE_SEARCH,
        KeyConditionExpression: mode === 'exact' ? 'searchProvince = :pc AND searchKey = :k' : 'searchProvince = :pc AND begins_with(searchKey, :k)',
        ExpressionAttributeValues: { ':pc': provinceCode, ':k': key },
        Limit: Math.min(500, max - ids.length + 1),
        ExclusiveStartKey: startKey,
      }),
    );
    for (const row of out.Items ?? []) ids.push(String(row.itemId));
    startKey = out.LastEvaluatedKey;
  } while (startKey && ids.length <= max);
  return { ids: [...new Set(ids)].slice(0, max), cut: ids.length > max || startKey !== undefined };
}

export interface SearchFilters {
  status?: ReviewItemStatus;
  reason?: ReviewReasonCode;
  service?: ServiceName;
  limit?: number;
}

export interface SearchResult {
  items: ReviewItemStaffView[];
  /** Searches are not paged: the best `limit` matches, newest first. */
  nextCursor: null;
  searchedBy: SearchKind;
  /** More items matched than are returned (narrow the query). */
  truncated: boolean;
}

async function candidates(provinceCode: string, query: SearchQuery): Promise<{ ids: string[]; cut: boolean }> {
  switch (query.kind) {
    case 'REVIEW_ITEM_ID':
      return { ids: [query.itemId], cut: false };
    case 'APPLICATION_ID':
      return lookup(provinceCode, `APP#${query.applicationId}`, 'exact', MAX_MATCHES_PER_WORD);
    case 'PERSONAL_ID':
      return lookup(provinceCode, `PID#${await personalIdSearchHash(provinceCode, query.personalId)}`, 'exact', MAX_MATCHES_PER_WORD);
    case 'NAME': {
      const words = query.tokens.filter((t) => t.length >= MIN_LOOKUP_TOKEN);
      const found = await Promise.all(words.map((w) => lookup(provinceCode, `NAME#${w}`, 'prefix', MAX_MATCHES_PER_WORD)));
      // Words whose matches were all read narrow exactly; a cut word narrows only when no word was read in full.
      const complete = found.filter((f) => !f.cut);
      const sets = (complete.length ? complete : found).map((f) => new Set(f.ids));
      const [first, ...rest] = sets.sort((a, b) => a.size - b.size);
      return { ids: [...first].filter((id) => rest.every((s) => s.has(id))), cut: complete.length === 0 };
    }
  }
}

/**
 * The caller's province's items matching `q` (items of another province are never found: every key lookup is
 * within the province, and each item read is checked again). Filters status / reason / service apply to the matches.
 */
export async function searchReviewItems(principal: StaffPrincipal, q: string, filters: SearchFilters = {}): Promise<SearchResult> {
  const query = parseSearchQuery(q);
  const limit = Math.min(Math.max(Math.trunc(filters.limit ?? 20), 1), 100);
  const found = await candidates(principal.provinceCode, query);
  let items: ReviewItemRecord[] = [];
  if (query.kind === 'REVIEW_ITEM_ID') {
    const item = await getItem(query.itemId);
    items = item ? [item] : [];
  } else {
    // Newest ids are not knowable from keys: read up to 100 candidates (an id list is ordered by the index).
    for (let i = 0; i < found.ids.length && i < 300; i += 100) items.push(...(await getItems(found.ids.slice(i, i + 100))));
  }
  const matches = items
    .filter((item) => item.provinceCode === principal.provinceCode)
    .filter((item) => query.kind !== 'NAME' || nameMatches(query.tokens, namesOf(item)))
    .filter((item) => (!filters.status || item.status === filters.status) && (!filters.reason || item.reasonCode === filters.reason) && (!filters.service || item.service === filters.service))
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  const today = vietnamDate();
  return {
    items: matches.slice(0, limit).map((item) => toStaffView(item, { today })),
    nextCursor: null,
    searchedBy: query.kind,
    truncated: found.cut || matches.length > limit || found.ids.length > 300,
  };
}
