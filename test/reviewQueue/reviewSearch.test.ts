/**
 * Review-queue search (GET /v1/review-items?q=…, functions/reviewQueue/reviewSearch.ts) on DynamoDB Local: each key
 * kind finds its item, never another province's; the personal ID is stored only as a keyed hash; bad queries are 400
 * with stable codes. Items are opened with the queue's own openReviewItem (the search keys go in its transaction).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { useLocalTables } from '../support/tables';
import { handler } from '../../functions/api/reviewItems';
import { dynamo } from '../../functions/adapters/dynamo';
import { applicationsRepository } from '../../functions/adapters/applicationsRepository';
import { nowIso } from '../../functions/shared/clock';
import { openReviewItem } from '../../functions/reviewQueue/reviewQueue';
import { nameTokens, parseSearchQuery } from '../../functions/domain/reviewSearch';
import { personalIdSearchHash } from '../../functions/reviewQueue/reviewSearch';

const claims = (province: string, user: string) => ({
  sub: user, 'cognito:username': user, name: `Cán bộ ${user}`, 'custom:province': province, 'cognito:groups': 'staff',
});
const staff79 = claims('79', 'staff.79.1');
const staff01 = claims('01', 'staff.01.1');

async function search(q: string, who = staff79, extra: Record<string, string> = {}) {
  const event = {
    httpMethod: 'GET', path: '/v1/review-items', resource: '/v1/review-items', body: null, isBase64Encoded: false,
    headers: {}, multiValueHeaders: {}, queryStringParameters: { q, ...extra }, multiValueQueryStringParameters: null,
    pathParameters: null, stageVariables: null,
    requestContext: { requestId: randomUUID(), authorizer: { claims: who } },
  } as unknown as APIGatewayProxyEvent;
  const res = (await handler(event, {} as Context)) as APIGatewayProxyResult;
  return { status: res.statusCode, body: JSON.parse(res.body) };
}

const ids = (body: { items: { itemId: string }[] }) => body.items.map((i) => i.itemId).sort();

async function openItem(provinceCode: string, personalId: string, fullName: string, registryName = fullName) {
  const applicationId = `HR-${randomUUID().replace(/-/g, '').slice(0, 24).toUpperCase()}`;
  const at = nowIso();
  await applicationsRepository.create({
    applicationId, service: 'HOUSEHOLD_RENEWAL', provinceCode, status: 'VERIFYING', request: {}, createdAt: at, updatedAt: at, timeline: [], version: 1,
  });
  const { itemId } = await openReviewItem({
    applicationId, service: 'HOUSEHOLD_RENEWAL', provinceCode, checkKind: 'PERSON', subjectRole: 'HEAD_OF_HOUSEHOLD',
    subject: { personalId, fullName, dateOfBirth: '1985-03-14', sex: 'MALE' },
    reasonCode: 'NAME_MISMATCH',
    registrySnapshot: { personalId, fullName: registryName, dateOfBirth: '1985-03-14', sex: 'MALE' },
    reviewTimeoutSeconds: 3600,
    taskToken: `task-token-${randomUUID()}`,
  });
  return { itemId, applicationId, personalId };
}

let an: Awaited<ReturnType<typeof openItem>>;
let binh: Awaited<ReturnType<typeof openItem>>;
let hanoiSamePerson: Awaited<ReturnType<typeof openItem>>;
let hanoiNamesake: Awaited<ReturnType<typeof openItem>>;

beforeAll(async () => {
  await useLocalTables('review-search');
  process.env.PROVINCE_CODE = '79';
  an = await openItem('79', '079085001234', 'Nguyen Van An', 'Nguyễn Văn An');
  binh = await openItem('79', '079190004321', 'Trần Thị Bình');
  // Another province: the same person and a namesake must never be found from province 79.
  hanoiSamePerson = await openItem('01', '079085001234', 'Nguyễn Văn An');
  hanoiNamesake = await openItem('01', '001090007777', 'Trần Thị Bình');
});

describe('search query (pure)', () => {
  it('folds names: NFD, marks stripped, đ → d, lower case, split on non-letters', () => {
    expect(nameTokens('Đặng  Thị-Ánh   Nguyệt')).toEqual(['dang', 'thi', 'anh', 'nguyet']);
    expect(nameTokens('NGUYỄN VĂN AN')).toEqual(nameTokens('Nguyễn Văn An'.normalize('NFD')));
  });

  it('tells the kinds apart', () => {
    expect(parseSearchQuery(' rv-0123456789abcdefghjkmnpqrs ')).toEqual({ kind: 'REVIEW_ITEM_ID', itemId: 'RV-0123456789ABCDEFGHJKMNPQRS' });
    expect(parseSearchQuery('HR-01ABCDEFGH0123456789ABCD').kind).toBe('APPLICATION_ID');
    expect(parseSearchQuery('079 085 001 234')).toEqual({ kind: 'PERSONAL_ID', personalId: '079085001234' });
    expect(parseSearchQuery('Văn An')).toEqual({ kind: 'NAME', tokens: ['van', 'an'] });
  });
});

describe('GET /v1/review-items?q=', () => {
  it('finds an item by its review item id (any case); another province’s id finds nothing', async () => {
    const res = await search(an.itemId.toLowerCase());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ searchedBy: 'REVIEW_ITEM_ID', nextCursor: null, truncated: false });
    expect(ids(res.body)).toEqual([an.itemId]);
    expect((await search(hanoiSamePerson.itemId)).body.items).toEqual([]);
  });

  it('finds the items of an application id; not another province’s application', async () => {
    const res = await search(binh.applicationId);
    expect(res.body.searchedBy).toBe('APPLICATION_ID');
    expect(ids(res.body)).toEqual([binh.itemId]);
    expect((await search(hanoiNamesake.applicationId)).body.items).toEqual([]);
  });

  it('finds by the full personal ID (exact), masked in the answer; the same person in another province is not found', async () => {
    const res = await search('079085001234');
    expect(res.body.searchedBy).toBe('PERSONAL_ID');
    expect(ids(res.body)).toEqual([an.itemId]);
    expect(res.body.items[0].submitted.personalId).toBe('079******234');
    expect(JSON.stringify(res.body)).not.toContain('079085001234');
    // From province 01 the same ID finds only province 01's item.
    expect(ids((await search('079085001234', staff01)).body)).toEqual([hanoiSamePerson.itemId]);
  });

  it('finds by name, diacritics-insensitive and by word prefixes, by the submitted or the registry name; never another province', async () => {
    for (const q of ['nguyen van an', 'Nguyễn Văn An', 'NGUYEN AN', 'nguy an', 'Văn An']) {
      const res = await search(q);
      expect(res.body.searchedBy, q).toBe('NAME');
      expect(ids(res.body), q).toEqual([an.itemId]);
    }
    expect(ids((await search('tran thi binh')).body)).toEqual([binh.itemId]);
    expect(ids((await search('Bình')).body)).toEqual([binh.itemId]);
    expect(ids((await search('binh', staff01)).body)).toEqual([hanoiNamesake.itemId]);
    expect((await search('nguyen binh')).body.items).toEqual([]);
    // Status filter applies to the matches.
    expect((await search('binh', staff79, { status: 'APPROVED' })).body.items).toEqual([]);
  });

  it('400 with a stable code and a Vietnamese and English message for a query too short, too long, or a partial ID', async () => {
    const cases: [string, string][] = [
      ['a', 'SEARCH_QUERY_TOO_SHORT'],
      ['  ', 'SEARCH_QUERY_TOO_SHORT'],
      ['a b c', 'SEARCH_QUERY_TOO_SHORT'],
      ['x'.repeat(101), 'SEARCH_QUERY_TOO_LONG'],
      ['07908500', 'SEARCH_PERSONAL_ID_INCOMPLETE'],
    ];
    for (const [q, code] of cases) {
      const res = await search(q);
      expect(res.status, q).toBe(400);
      expect(res.body.code, q).toBe(code);
      expect(res.body.message.vi, q).toMatch(/[ýựổđ]|Từ khóa|Cần|chữ số/u);
      expect(res.body.message.en, q).toMatch(/search|query|digits/i);
    }
  });

  it('stores no personal ID in clear: every search row holds the keyed hash, and only search rows are in the index', async () => {
    const rows: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await dynamo().send(new ScanCommand({ TableName: process.env.REVIEW_ITEMS_TABLE!, ExclusiveStartKey: startKey }));
      rows.push(...(out.Items ?? []));
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    const searchRows = rows.filter((r) => String(r.sk).startsWith('SEARCH#'));
    expect(searchRows.length).toBeGreaterThanOrEqual(4 * 5);
    for (const pid of ['079085001234', '079190004321', '001090007777']) {
      for (const row of searchRows) expect(JSON.stringify(row)).not.toContain(pid);
    }
    // The ID's key is its HMAC with the province's key: a different key per province.
    const hash79 = await personalIdSearchHash('79', '079085001234');
    const hash01 = await personalIdSearchHash('01', '079085001234');
    expect(hash79).not.toBe(hash01);
    expect(searchRows.filter((r) => r.searchKey === `PID#${hash79}`).map((r) => r.itemId)).toEqual([an.itemId]);
    expect(searchRows.filter((r) => r.searchKey === `PID#${hash01}`).map((r) => [r.itemId, r.searchProvince])).toEqual([[hanoiSamePerson.itemId, '01']]);
    // A search row carries only its keys.
    for (const row of searchRows) expect(Object.keys(row).sort()).toEqual(['itemId', 'searchKey', 'searchProvince', 'sk']);
  });
});
