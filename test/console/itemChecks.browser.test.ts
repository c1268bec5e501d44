/**
 * The item view states what was checked, and counts its deadline in working time (issue 12 items 1 and 5), in
 * chromium against the whole local system, whose clock starts on the eve of Tết Đinh Mùi (Wednesday 3/2/2027
 * 10:00 Vietnam time; Tết days off 4–5/2 and 8–10/2, functions/domain/rules/publicHolidays.ts):
 *   - an ID-vs-date-of-birth pre-check item: every field "not checked" (the registry was never asked) and the date
 *     of birth says how the ID's digits contradict it; never "not in the registry";
 *   - a household-not-found item: the head's fields verified in the earlier step, only the household not found;
 *   - a registry-timeout item: not checked, registry unreachable at the time it was tried;
 *   - the deadline after the holiday (Wed 3/3/2027 10:00, 120 working hours), with the working time left, which
 *     does not run down during Tết.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { buildConsole } from '../../console/build';
import type { LocalSystem } from '../../local/runtime';
import { apiClient, startTestSystem } from '../support/localSystem';
import { launchConsoleBrowser, type ConsoleBrowser } from '../support/consoleBrowser';

const EVE_OF_TET = '2027-02-03T10:00:00+07:00';

let system: LocalSystem;
let browser: ConsoleBrowser;
let api: ReturnType<typeof apiClient>;
let page: Page;
const items: Record<string, string> = {};
const startOffset = () => Number(process.env.CLOCK_OFFSET_MS ?? 0);
let baseOffset = 0;

function scenario(name: string) {
  const s = system.seed.scenarios?.find((x) => x.name === name);
  if (!s) throw new Error(`demo scenario ${name} missing`);
  const { periodMonths, ...head } = s.submit as { periodMonths: number; personalId: string };
  return { head, periodMonths };
}

async function submitToReview(name: string): Promise<string> {
  const res = await api.post('/v1/household-renewals', scenario(name));
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  const app = await api.waitForStatus(res.body.applicationId as string, 'IN_REVIEW', 30_000);
  const opened = (app.timeline as { event: string; detail?: { reviewItemId?: string } }[]).find((e) => e.event === 'REVIEW_OPENED');
  if (!opened?.detail?.reviewItemId) throw new Error(`${name}: no review item`);
  return opened.detail.reviewItemId;
}

const text = (testId: string) => page.locator(`[data-testid="${testId}"]`).textContent();
const row = (field: string) => page.locator(`table.comparison tr[data-field="${field}"]`);

beforeAll(async () => {
  const consoleDir = await buildConsole({ outDir: mkdtempSync(path.join(tmpdir(), 'console-dist-')) });
  system = await startTestSystem({ consoleDir, now: EVE_OF_TET });
  baseOffset = startOffset();
  api = apiClient(system.apiUrl);
  browser = await launchConsoleBrowser(system.apiUrl);
  const names = ['ID_DOB_INCONSISTENT', 'HOUSEHOLD_NOT_FOUND', 'REGISTRY_TIMEOUT'];
  const ids = await Promise.all(names.map(submitToReview));
  names.forEach((n, i) => (items[n] = ids[i]));
  page = await browser.newPage();
  await browser.signIn(page, '79', 'staff');
}, 120_000);

afterAll(async () => {
  process.env.CLOCK_OFFSET_MS = String(baseOffset);
  await browser?.close();
  await system?.stop();
});

describe('the item view states what was checked', () => {
  it('a pre-check item: not checked against the registry, and the date of birth says digit by digit why', async () => {
    await browser.openItem(page, items.ID_DOB_INCONSISTENT);
    expect(await text('item-reason')).toBe('Số định danh cá nhân không phù hợp với năm sinh kê khai');
    expect(await row('dateOfBirth').getAttribute('data-outcome')).toBe('INCONSISTENT');
    expect(await text('outcome-dateOfBirth')).toBe('✗ Không phù hợp với số định danh');
    expect(await text('why-dateOfBirth')).toBe(
      'Chữ số thứ 5–6 của số định danh cho năm sinh 1987 (chữ số thứ 4 là 0: sinh trong các năm 1900–1999); ngày sinh kê khai 21/05/1978 cho năm sinh 1978',
    );
    for (const field of ['personalId', 'fullName', 'sex']) {
      expect(await row(field).getAttribute('data-outcome'), field).toBe('NOT_CHECKED');
      expect(await row(field).locator('td.registry').textContent(), field).toBe('Chưa đối chiếu');
      expect(await text(`why-${field}`), field).toBe(
        'Chưa đối chiếu với CSDLQG về dân cư: kiểm tra sơ bộ số định danh không đạt nên hệ thống chưa gửi yêu cầu tra cứu',
      );
    }
    const table = (await page.locator('[data-testid="comparison"]').textContent())!;
    expect(table).not.toContain('Không có trong CSDLQG');
    expect(table).not.toContain('✗ Khác');
    // Still masked: first and last three digits only.
    expect(await text('pid-submitted')).toBe('080******356');
    // English too.
    await page.click('#lang-toggle');
    await expect.poll(() => text('why-dateOfBirth')).toBe(
      'Digits 5–6 of the ID say 1987 (digit 4 is 0: born 1900–1999); the declared date of birth 21/05/1978 says 1978',
    );
    await page.click('#lang-toggle');
    await expect.poll(() => text('outcome-dateOfBirth')).toBe('✗ Không phù hợp với số định danh');
  });

  it('household not found where the head was verified: the head verified, only the household not found', async () => {
    await browser.openItem(page, items.HOUSEHOLD_NOT_FOUND);
    for (const field of ['personalId', 'fullName', 'dateOfBirth', 'sex']) {
      expect(await row(field).getAttribute('data-outcome'), field).toBe('VERIFIED_EARLIER');
      expect(await text(`outcome-${field}`), field).toBe('✓ Đã xác minh');
    }
    expect(await text('why-fullName')).toBe('Chủ hộ đã được xác minh với CSDLQG về dân cư ở bước trước');
    expect(await row('household').getAttribute('data-outcome')).toBe('NOT_FOUND');
    expect(await text('why-household')).toBe('CSDLQG về dân cư trả lời: không có hộ gia đình nào do người này làm chủ hộ');
  });

  it('registry unreachable: not checked, with the time it was tried (Vietnam time)', async () => {
    await browser.openItem(page, items.REGISTRY_TIMEOUT);
    expect(await row('personalId').getAttribute('data-outcome')).toBe('NOT_CHECKED');
    expect(await text('why-personalId')).toMatch(/^Chưa đối chiếu: không kết nối được CSDLQG về dân cư lúc 10:0\d ngày 03\/02\/2027/);
    expect((await page.locator('[data-testid="comparison"]').textContent())!).not.toContain('Không có trong CSDLQG');
  });
});

describe('review deadlines in working time across Tết', () => {
  it('opened on the eve of Tết: target and deadline after the holiday, 72 and 120 working hours left', async () => {
    await browser.openItem(page, items.ID_DOB_INCONSISTENT);
    // Tue 23/2 and Wed 3/3/2027 10:00 (in calendar hours the deadline would have been 8/2, during Tết).
    expect(await text('item-target')).toContain('23/02/2027');
    expect(await text('item-deadline')).toContain('03/03/2027');
    expect(await text('item-target-left')).toBe(' — còn 72 giờ làm việc');
    expect(await text('item-deadline-left')).toBe(' — còn 120 giờ làm việc');
    expect(await text('deadline-basis')).toContain('Tính theo thời gian làm việc: 72 giờ làm việc đến hạn xử lý, 120 giờ làm việc đến hết hạn xét duyệt');
    expect(await text('item-status')).toBe('Chờ xử lý');
  });

  it('the API: the deadline the workflow waits for is the working-time one, as the item and the timeline state it', async () => {
    const res = await api.get(`/v1/review-items/${items.ID_DOB_INCONSISTENT}`, 'dev-staff-79');
    expect(res.status).toBe(200);
    expect(res.body.reviewWindow).toEqual({ basis: 'WORKING_TIME', missingHolidayYear: null });
    // Planned when the review opened (a few seconds after 10:00): 120 working hours later, the same time of day.
    expect(res.body.dueAt).toMatch(/^2027-03-03T03:00:\d{2}\.\d{3}Z$/);
    const app = await api.get(`/v1/applications/${res.body.applicationId}`);
    const opened = (app.body.timeline as { event: string; detail?: { dueAt?: string } }[]).find((e) => e.event === 'REVIEW_OPENED');
    expect(opened?.detail?.dueAt).toBe(res.body.dueAt);
  });

  it('during Tết the working time left does not run down: on Sunday 7/2 only the afternoon of 3/2 is spent', async () => {
    // + 4 days: Sunday 7/2/2027 10:00, in the middle of the holiday.
    process.env.CLOCK_OFFSET_MS = String(baseOffset + 4 * 24 * 3_600_000);
    try {
      await browser.openItem(page, items.ID_DOB_INCONSISTENT);
      await expect.poll(() => text('item-deadline-left')).toBe(' — còn 114 giờ 30 phút làm việc');
      expect(await text('item-target-left')).toBe(' — còn 66 giờ 30 phút làm việc');
      expect(await page.locator('[data-testid="past-deadline"]').count()).toBe(0);
    } finally {
      process.env.CLOCK_OFFSET_MS = String(baseOffset);
    }
  });

  it('past the deadline: one status, "Đã hết hạn xét duyệt", never beside "Chờ xử lý"', async () => {
    // Thu 4/3/2027: the day after the deadline.
    process.env.CLOCK_OFFSET_MS = String(baseOffset + 29 * 24 * 3_600_000);
    try {
      await browser.openItem(page, items.HOUSEHOLD_NOT_FOUND);
      await expect.poll(() => page.locator('[data-testid="past-deadline"]').count()).toBe(1);
      const badges = (await page.locator('.item-header .badges').textContent())!;
      expect(badges).toContain('Đã hết hạn xét duyệt');
      expect(badges).not.toContain('Chờ xử lý');
      expect(badges).not.toContain('Quá hạn');
      expect(await page.locator('[data-testid="item-deadline-left"]').count()).toBe(0);
      await page.click('#back-link');
      const queueRow = page.locator(`tr[data-item-id="${items.HOUSEHOLD_NOT_FOUND}"]`);
      await expect.poll(() => queueRow.getAttribute('data-past-deadline')).toBe('true');
      expect(await queueRow.locator('[data-testid="row-status"]').textContent()).toBe('Đã hết hạn xét duyệt');
      expect((await queueRow.textContent())!).not.toContain('Chờ xử lý');
    } finally {
      process.env.CLOCK_OFFSET_MS = String(baseOffset);
    }
  });
});
