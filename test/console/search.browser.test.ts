/**
 * The console's search box and the people in it, in chromium against the whole local system: an officer finds an
 * item by application id, by full personal ID and by name typed without diacritics — the right item and never
 * another province's (one opened for province 01 with the same person); queue rows show the citizen's name and
 * masked ID; officers appear by name in the item and its audit trail. Review items are opened by the real workflow
 * (public API submissions), the other province's by the queue's own openReviewItem.
 *
 * Artifacts (gitignored): test-artifacts/console-search.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { buildConsole } from '../../console/build';
import { repoRoot, type LocalSystem } from '../../local/runtime';
import { devIdentities } from '../../local/devIdentities';
import { applicationsRepository } from '../../functions/adapters/applicationsRepository';
import { nowIso } from '../../functions/shared/clock';
import { openReviewItem } from '../../functions/reviewQueue/reviewQueue';
import { handler as escalateOverdueReviews } from '../../functions/steps/escalateOverdueReviews';
import { apiClient, startTestSystem } from '../support/localSystem';
import { flashOf, launchConsoleBrowser, type ConsoleBrowser } from '../support/consoleBrowser';

const ARTIFACTS = path.join(repoRoot, 'test-artifacts');
const who = (staffId: string) => `${devIdentities().find((d) => d.staffId === staffId)!.name} (${staffId})`;

let system: LocalSystem;
let startOffset = 0;
let browser: ConsoleBrowser;
let api: ReturnType<typeof apiClient>;

interface Opened {
  applicationId: string;
  itemId: string;
}
let thang: Opened;
let headNotFound: Opened & { fullName: string; personalId: string };
let hanoiThang: Opened;

const THANG_ID = '079069002284';

async function submit(head: { personalId: string; fullName: string; dateOfBirth: string; sex?: string }): Promise<Opened> {
  const res = await api.post('/v1/household-renewals', { head, periodMonths: 12 });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  const applicationId = res.body.applicationId as string;
  const app = await api.waitForStatus(applicationId, 'IN_REVIEW', 20_000);
  const opened = (app.timeline as { event: string; detail?: { reviewItemId?: string } }[]).find((e) => e.event === 'REVIEW_OPENED');
  return { applicationId, itemId: opened!.detail!.reviewItemId! };
}

/** The same person's item in province 01 (its own queue): province 79 must never find it. */
async function openInHanoi(): Promise<Opened> {
  const applicationId = `HR-${randomUUID().replace(/-/g, '').slice(0, 26).toUpperCase()}`;
  const at = nowIso();
  await applicationsRepository.create({
    applicationId, service: 'HOUSEHOLD_RENEWAL', provinceCode: '01', status: 'VERIFYING', request: {}, createdAt: at, updatedAt: at, timeline: [], version: 1,
  });
  const { itemId } = await openReviewItem({
    applicationId, service: 'HOUSEHOLD_RENEWAL', provinceCode: '01', checkKind: 'PERSON', subjectRole: 'HEAD_OF_HOUSEHOLD',
    subject: { personalId: THANG_ID, fullName: 'Cao Văn Thắng', dateOfBirth: '1969-02-14', sex: 'MALE' },
    reasonCode: 'NAME_MISMATCH',
    registrySnapshot: { personalId: THANG_ID, fullName: 'Cao Văn Thắng', dateOfBirth: '1969-02-14', sex: 'MALE' },
    reviewTimeoutSeconds: 3600,
    taskToken: `hanoi-${randomUUID()}`,
  });
  return { applicationId, itemId };
}

async function search(page: Page, q: string): Promise<string[]> {
  await page.fill('#queue-search', q);
  await page.click('#queue-search-button');
  await page.waitForFunction(() => {
    const s = document.querySelector('[data-testid="search-summary"]')?.textContent ?? '';
    return s !== '' && s !== 'Đang tìm…';
  });
  return page.locator('[data-testid="search-results"] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-item-id')!));
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const consoleDir = await buildConsole({ outDir: mkdtempSync(path.join(tmpdir(), 'console-dist-')) });
  system = await startTestSystem({ consoleDir });
  api = apiClient(system.apiUrl);
  browser = await launchConsoleBrowser(system.apiUrl);
  startOffset = Number(process.env.CLOCK_OFFSET_MS ?? 0);
  const head = system.seed.scenarios!.find((s) => s.name === 'HEAD_NOT_FOUND')!.submit as { personalId: string; fullName: string; dateOfBirth: string; sex?: string };
  const [a, b] = await Promise.all([
    // The registry has "Cao Văn Thắng": typed without diacritics.
    submit({ personalId: THANG_ID, fullName: 'Cao Van Thang', dateOfBirth: '1969-02-14', sex: 'MALE' }),
    submit({ personalId: head.personalId, fullName: head.fullName, dateOfBirth: head.dateOfBirth, sex: head.sex }),
  ]);
  thang = a;
  headNotFound = { ...b, fullName: head.fullName, personalId: head.personalId };
  hanoiThang = await openInHanoi();
}, 120_000);

afterAll(async () => {
  process.env.CLOCK_OFFSET_MS = String(startOffset);
  await browser?.close();
  await system?.stop();
});

describe('console search and names (chromium)', () => {
  it('finds by application id, full personal ID and name without diacritics — only the province’s own item', async () => {
    const page = await browser.newPage();
    await browser.signIn(page, '79', 'staff');
    await page.waitForSelector('[data-testid="queue-table"]');

    // Queue rows: the citizen's name and masked ID.
    const row = page.locator(`table.queue tbody tr[data-item-id="${thang.itemId}"]`);
    expect(await row.locator('[data-testid="subject-name"]').textContent()).toBe('Cao Van Thang');
    expect(await row.locator('[data-testid="subject-id"]').textContent()).toBe('079******284');

    expect(await search(page, thang.applicationId.toLowerCase())).toEqual([thang.itemId]);
    expect(await search(page, headNotFound.applicationId)).toEqual([headNotFound.itemId]);
    // The other province's application id finds nothing here.
    expect(await search(page, hanoiThang.applicationId)).toEqual([]);
    expect(await page.locator('[data-testid="search-summary"]').textContent()).toBe(`Không tìm thấy yêu cầu nào phù hợp với “${hanoiThang.applicationId}”.`);

    // Full personal ID: the province's item only (province 01 has the same person), shown masked.
    expect(await search(page, THANG_ID)).toEqual([thang.itemId]);
    const found = page.locator(`[data-testid="search-results"] tr[data-item-id="${thang.itemId}"]`);
    expect(await found.locator('[data-testid="subject-id"]').textContent()).toBe('079******284');
    expect(await page.locator('[data-testid="search-panel"]').textContent()).not.toContain(THANG_ID);

    // Names: without diacritics, a word's start, the registry's spelling too.
    expect(await search(page, 'cao thang')).toEqual([thang.itemId]);
    expect(await search(page, 'Cao Văn Thắng')).toEqual([thang.itemId]);
    const words = headNotFound.fullName.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase().split(' ');
    expect(await search(page, `${words[0]} ${words[words.length - 1].slice(0, 3)}`)).toEqual([headNotFound.itemId]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'console-search.png'), fullPage: true });

    // Province 01's officer finds its own item with the same query, never 79's.
    const hanoi = await browser.newPage();
    await browser.signIn(hanoi, '01', 'staff');
    expect(await search(hanoi, 'cao thang')).toEqual([hanoiThang.itemId]);
    expect(await search(hanoi, thang.applicationId)).toEqual([]);

    // A result opens the item.
    await search(page, THANG_ID);
    await page.click(`#search-link-${thang.itemId}`);
    await page.waitForSelector('[data-testid="comparison"]');

    // A query the API refuses: its message, in Vietnamese.
    await page.goto(`${system.apiUrl}/console/#/queue`);
    await page.fill('#queue-search', '0790690');
    await page.click('#queue-search-button');
    const f = await flashOf(page);
    expect(f.kind).toBe('error');
    expect(f.text).toContain('Tìm theo số định danh cá nhân cần nhập đủ 12 chữ số');
  });

  it("shows officers by name: the holder, the queue's holder column and the audit trail", async () => {
    const page = await browser.newPage();
    await browser.signIn(page, '79', 'staff');
    await browser.openItem(page, headNotFound.itemId);
    await page.click('#claim-button');
    await expect.poll(() => page.locator('[data-testid="item-holder"]').textContent()).toBe(`${who('staff.79.1')} — bạn`);
    const claimed = page.locator('[data-testid="audit"] tr[data-action="CLAIMED"]');
    await expect.poll(() => claimed.count()).toBe(1);
    const text = (await claimed.textContent())!;
    expect(text).toContain(who('staff.79.1'));
    expect(text).toContain(`Người xử lý: — chưa ai nhận — → ${who('staff.79.1')}`);
    expect(await page.locator('[data-testid="audit"] tr[data-action="OPENED"]').textContent()).toContain('Hệ thống');

    // Another officer (a supervisor) sees the holder's name in the queue and in the item.
    const other = await browser.newPage();
    await browser.signIn(other, '79', 'supervisor');
    const row = other.locator(`table.queue tbody tr[data-item-id="${headNotFound.itemId}"]`);
    await expect.poll(() => row.locator('td.col-holder').textContent()).toBe(who('staff.79.1'));
    await browser.openItem(other, headNotFound.itemId);
    expect(await other.locator('[data-testid="item-holder"]').textContent()).toBe(who('staff.79.1'));
    expect(await other.locator('[data-testid="audit"] tr[data-action="CLAIMED"]').textContent()).toContain(who('staff.79.1'));

    // The audit CSV keeps the id and adds the name.
    const csv = await api.get(`/v1/review-audit.csv?from=2000-01-01&to=2000-01-02`, 'dev-supervisor-79');
    expect(csv.status).toBe(200);
    expect(String(csv.body)).toContain('"by","byName"');
  });

  it('escalation notifies the supervisors: a notice in their console (item id, reason, age), none for staff', async () => {
    // 14 days later the province's target (72 working hours: 9 working days) has passed, the deadline (120 working
    // hours) not yet: the scheduled job escalates (called directly here).
    process.env.CLOCK_OFFSET_MS = String(startOffset + 14 * 24 * 3_600_000);
    const summary = await escalateOverdueReviews({}, {});
    expect(summary.notices).toEqual([{ provinceCode: '79', items: 2, delivery: 'NO_TOPIC' }]);
    const page = await browser.newPage();
    await browser.signIn(page, '79', 'supervisor');
    const notice = page.locator(`[data-testid="notice"][data-item-id="${thang.itemId}"]`);
    await notice.waitFor();
    const text = (await notice.textContent())!;
    expect(text).toContain('Họ và tên kê khai không khớp');
    expect(text).toContain('đã mở 336 giờ');
    expect(text).not.toContain('Cao');
    expect(await page.locator('[data-testid="notice"]').count()).toBe(2);
    const staff = await browser.newPage();
    await browser.signIn(staff, '79', 'staff');
    await staff.waitForSelector('[data-testid="queue-table"]');
    expect(await staff.locator('[data-testid="notices-panel"]').count()).toBe(0);
  });
});
