/**
 * The staff console in a real browser: Debian chromium driven by playwright-core, against the whole local system
 * (DynamoDB Local, registry simulator, local Step Functions running the real ASL, the local API server serving
 * the console bundle at /console/). Applications are submitted through the public API with the demo heads, so
 * the review items are opened by the real workflow.
 *
 * Chromium is never downloaded: without /usr/bin/chromium (or CHROMIUM_PATH) these tests FAIL with the command
 * that installs it (CI installs it; see .ci/run).
 *
 * Artifacts: test-artifacts/console-queue.png, console-item.png, console-tablet.png (gitignored).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { buildConsole } from '../../console/build';
import { repoRoot, type LocalSystem } from '../../local/runtime';
import { apiClient, startTestSystem } from '../support/localSystem';
import { clickForFlash, flashOf, launchConsoleBrowser, type ConsoleBrowser } from '../support/consoleBrowser';

const ARTIFACTS = path.join(repoRoot, 'test-artifacts');

const HEAD_NOT_FOUND_VI = 'Không tồn tại thông tin chủ hộ trong cơ sở dữ liệu quốc gia về dân cư';

let system: LocalSystem;
let browser: ConsoleBrowser;
let api: ReturnType<typeof apiClient>;

interface Submitted {
  applicationId: string;
  itemId: string;
  personalId: string;
}
const apps: Record<'headNotFound' | 'diacritics' | 'idDob' | 'address', Submitted> = {} as never;

function scenario(name: string) {
  const s = system.seed.scenarios?.find((x) => x.name === name);
  if (!s) throw new Error(`demo scenario ${name} missing`);
  return s.submit as { personalId: string; fullName: string; dateOfBirth: string; sex?: string; periodMonths: number };
}

async function submit(head: { personalId: string; fullName: string; dateOfBirth: string; sex?: string }, periodMonths = 12): Promise<Submitted> {
  const res = await api.post('/v1/household-renewals', { head, periodMonths });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  const applicationId = res.body.applicationId as string;
  const app = await api.waitForStatus(applicationId, 'IN_REVIEW', 20_000);
  const opened = (app.timeline as { event: string; detail?: { reviewItemId?: string } }[]).find((e) => e.event === 'REVIEW_OPENED');
  const itemId = opened?.detail?.reviewItemId;
  if (!itemId) throw new Error(`no review item for ${applicationId}: ${JSON.stringify(app.timeline)}`);
  return { applicationId, itemId, personalId: head.personalId };
}

const newPage = (viewport?: { width: number; height: number }): Promise<Page> => browser.newPage(viewport);
const signIn = (page: Page, provinceCode: string, role: 'staff' | 'supervisor') => browser.signIn(page, provinceCode, role);
const openItem = (page: Page, itemId: string) => browser.openItem(page, itemId);

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const consoleDir = await buildConsole({ outDir: mkdtempSync(path.join(tmpdir(), 'console-dist-')) });
  system = await startTestSystem({ consoleDir });
  api = apiClient(system.apiUrl);
  browser = await launchConsoleBrowser(system.apiUrl);

  const [headNotFound, idDob, address, diacritics] = await Promise.all([
    submit(scenario('HEAD_NOT_FOUND')),
    submit(scenario('ID_DOB_INCONSISTENT')),
    submit(scenario('ADDRESS_MISMATCH')),
    // The registry has "Cao Văn Thắng": the name typed without diacritics differs only by them.
    submit({ personalId: '079069002284', fullName: 'Cao Van Thang', dateOfBirth: '1969-02-14', sex: 'MALE' }),
  ]);
  Object.assign(apps, { headNotFound, idDob, address, diacritics });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

describe('staff console (chromium)', () => {
  it('serves a small bundle at /console/ with no framework', async () => {
    const html = await fetch(`${system.apiUrl}/console/`).then((r) => r.text());
    expect(html).toContain('<script type="module" src="main.js">');
    const js = await fetch(`${system.apiUrl}/console/main.js`);
    expect(js.status).toBe(200);
    expect(Number(js.headers.get('content-length'))).toBeLessThan(120_000);
  });

  it('signs in with a dev identity and lists only its province queue, by due time, in Vietnamese', async () => {
    const page = await newPage();
    await signIn(page, '79', 'staff');
    await expect.poll(() => page.locator('table.queue tbody tr').count()).toBe(4);
    const ids = await page.locator('table.queue tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-item-id')));
    expect(new Set(ids)).toEqual(new Set(Object.values(apps).map((a) => a.itemId)));
    const headRow = page.locator(`tr[data-item-id="${apps.headNotFound.itemId}"]`);
    await expect.poll(() => headRow.locator('.reason a').textContent()).toBe(HEAD_NOT_FOUND_VI);
    await expect.poll(() => page.locator('[data-testid="count-OPEN"]').textContent()).toBe('4');
    // Due times ascend.
    const due = await page.locator('table.queue tbody tr time').evaluateAll((els) => els.map((e) => e.getAttribute('datetime')!));
    expect([...due].sort()).toEqual(due);
    // Filter by reason.
    await page.selectOption('#filter-reason', 'HEAD_OF_HOUSEHOLD_NOT_FOUND');
    await expect.poll(() => page.locator('table.queue tbody tr').count()).toBe(1);
    await page.selectOption('#filter-reason', '');
    await expect.poll(() => page.locator('table.queue tbody tr').count()).toBe(4);
    // A staff member (not a supervisor) gets no supervisor overview.
    expect(await page.locator('[data-testid="supervisor-panel"]').count()).toBe(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'console-queue.png'), fullPage: true });

    // Another province's officer sees none of these, and cannot open one.
    const other = await newPage();
    await signIn(other, '01', 'staff');
    await other.waitForSelector('[data-testid="queue-empty"]');
    await other.goto(`${system.apiUrl}/console/#/items/${apps.headNotFound.itemId}`);
    const f = await flashOf(other);
    expect(f.kind).toBe('error');
    expect(f.text).toContain('thuộc tỉnh, thành phố khác');
  });

  it('shows submitted vs registry with the diacritics-only difference, the personal ID masked until revealed (audited)', async () => {
    const page = await newPage();
    await signIn(page, '79', 'staff');
    await openItem(page, apps.diacritics.itemId);
    const nameRow = page.locator('tr[data-field="fullName"]');
    expect(await nameRow.getAttribute('class')).toContain('differs');
    expect(await nameRow.locator('td.submitted').textContent()).toBe('Cao Van Thang');
    expect(await nameRow.locator('td.registry').textContent()).toBe('Cao Văn Thắng');
    expect(await page.locator('[data-testid="note-fullName"]').textContent()).toBe('Chỉ khác dấu tiếng Việt');
    expect(await page.locator('tr[data-field="dateOfBirth"]').getAttribute('class')).toContain('match');
    expect(await page.locator('[data-testid="pid-submitted"]').textContent()).toBe('079******284');
    await expect.poll(() => page.locator('[data-testid="timeline"] li').count()).toBeGreaterThan(1);
    expect(await page.content()).not.toContain(apps.diacritics.personalId);
    await page.screenshot({ path: path.join(ARTIFACTS, 'console-item.png'), fullPage: true });

    await page.click('#reveal-button');
    await expect.poll(() => page.locator('[data-testid="pid-submitted"]').textContent()).toBe(apps.diacritics.personalId);
    await expect.poll(() => page.locator('[data-testid="audit"] tr[data-action="REVEALED_PERSONAL_ID"]').count()).toBe(1);
    expect(await page.locator('[data-testid="audit"] tr[data-action="REVEALED_PERSONAL_ID"]').textContent()).toContain('staff.79.1');
  });

  it('two officers race to claim one item: one wins, the other sees the conflict and the refreshed item', async () => {
    const a = await newPage();
    const b = await newPage();
    await Promise.all([signIn(a, '79', 'staff'), signIn(b, '79', 'supervisor')]);
    await Promise.all([openItem(a, apps.diacritics.itemId), openItem(b, apps.diacritics.itemId)]);
    await Promise.all([a.waitForSelector('#claim-button'), b.waitForSelector('#claim-button')]);
    await Promise.all([a.click('#claim-button'), b.click('#claim-button')]);
    const [fa, fb] = await Promise.all([flashOf(a), flashOf(b)]);
    const kinds = [fa.kind, fb.kind].sort();
    expect(kinds).toEqual(['conflict', 'success']);
    const [winner, loser, loserFlash] = fa.kind === 'success' ? [a, b, fb] : [b, a, fa];
    const winnerId = winner === a ? 'staff.79.1' : 'staff.79.2';
    expect(loserFlash.text).toMatch(/cán bộ khác nhận xử lý|vừa được thay đổi/);
    expect(loserFlash.text).toContain('Đã tải lại yêu cầu');
    await expect.poll(() => loser.locator('[data-testid="item-holder"]').textContent()).toBe(winnerId);
    expect(await loser.locator('#claim-button').count()).toBe(0);
    expect(await loser.locator('[data-testid="approve-form"]').count()).toBe(0);

    // The winner approves with the registry's spelling → the workflow continues to AWAITING_PAYMENT.
    await winner.waitForSelector('[data-testid="approve-form"]');
    await winner.locator('tr[data-field="fullName"] .link-button').click();
    expect(await winner.inputValue('#corr-fullName')).toBe('Cao Văn Thắng');
    await winner.fill('#evidence-note', 'Đối chiếu CCCD bản gốc: họ tên có dấu là Cao Văn Thắng');
    expect((await clickForFlash(winner, '#approve-button')).kind).toBe('success');
    await api.waitForStatus(apps.diacritics.applicationId, 'AWAITING_PAYMENT', 20_000);

    // The loser now tries to act on the stale page: a conflict, never an overwrite.
    await loser.reload();
    await loser.waitForSelector('[data-testid="decision"]');
    expect(await loser.locator('[data-testid="item-status"]').textContent()).toBe('Đã phê duyệt');
  });

  it('claim then approve with a corrected personal ID: the application continues to AWAITING_PAYMENT', async () => {
    const page = await newPage();
    await signIn(page, '79', 'staff');
    await openItem(page, apps.headNotFound.itemId);
    expect(await page.locator('[data-testid="item-reason"]').textContent()).toBe(HEAD_NOT_FOUND_VI);
    expect(await page.locator('tr[data-field="personalId"] td.registry').textContent()).toBe('Không có trong CSDLQG');
    expect((await clickForFlash(page, '#claim-button')).kind).toBe('success');
    await page.waitForSelector('[data-testid="approve-form"]');
    // An approval needs an evidence note (checked before anything is sent).
    await page.fill('#corr-personalId', '036075006183');
    expect((await clickForFlash(page, '#approve-button')).kind).toBe('error');
    await page.fill('#evidence-note', 'Đối chiếu CCCD bản gốc: công dân nhập nhầm hai số cuối');
    expect((await clickForFlash(page, '#approve-button')).kind).toBe('success');
    const app = await api.waitForStatus(apps.headNotFound.applicationId, 'AWAITING_PAYMENT', 20_000);
    expect(app.quote.total).toBe(2_322_540);
    await page.waitForSelector('[data-testid="decision"]');
    await expect.poll(() => page.locator('[data-testid="audit"] tr[data-action="APPROVED"]').count()).toBe(1);
    expect(await page.locator('[data-testid="audit"] tr[data-action="CLAIMED"]').count()).toBe(1);
  });

  it('reject with a reason: the application ends REJECTED with that reason', async () => {
    const page = await newPage();
    await signIn(page, '79', 'staff');
    await openItem(page, apps.idDob.itemId);
    expect((await clickForFlash(page, '#claim-button')).kind).toBe('success');
    await page.waitForSelector('[data-testid="reject-form"]');
    const reason = 'Ngày sinh kê khai không khớp giấy tờ; đề nghị công dân nộp lại hồ sơ';
    await page.fill('#reject-reason', reason);
    expect((await clickForFlash(page, '#reject-button')).kind).toBe('success');
    const app = await api.waitForStatus(apps.idDob.applicationId, 'REJECTED', 20_000);
    expect(app.reason.detail).toBe(reason);
    await page.waitForSelector('[data-testid="decision"]');
    expect(await page.locator('[data-testid="decision"]').textContent()).toContain(reason);
  });

  it('supervisor: overview counts, reassigns an item, exports the audit trail as CSV', async () => {
    const page = await newPage();
    await signIn(page, '79', 'supervisor');
    const panel = page.locator('[data-testid="supervisor-panel"]');
    await panel.waitFor();
    expect(await panel.locator('[data-testid="per-reason"] tr[data-reason="ADDRESS_MISMATCH"]').count()).toBe(1);
    expect(await panel.locator('[data-testid="oldest-open"]').textContent()).toContain(apps.address.itemId);
    await expect.poll(() => panel.locator('[data-testid="per-staff"] tr[data-staff="staff.79.1"]').count()).toBe(1);

    await openItem(page, apps.address.itemId);
    await page.fill('#reassign-to', 'staff.79.1');
    expect((await clickForFlash(page, '#reassign-button')).kind).toBe('success');
    await expect.poll(() => page.locator('[data-testid="item-holder"]').textContent()).toBe('staff.79.1');
    await expect.poll(() => page.locator('[data-testid="audit"] tr[data-action="REASSIGNED"]').count()).toBe(1);

    // A staff member sees no reassign form; the holder can release it back to the queue.
    const staff = await newPage();
    await signIn(staff, '79', 'staff');
    await openItem(staff, apps.address.itemId);
    expect(await staff.locator('[data-testid="reassign-form"]').count()).toBe(0);
    expect((await clickForFlash(staff, '#release-button')).kind).toBe('success');
    await expect.poll(() => staff.locator('[data-testid="item-status"]').textContent()).toBe('Chờ xử lý');

    await page.click('#back-link');
    await page.waitForSelector('#export-csv');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(download.suggestedFilename()).toMatch(/^review-audit-79-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('"at","itemId","applicationId","service","reasonCode","action","by","before","after","detail"');
    for (const action of ['OPENED', 'CLAIMED', 'APPROVED', 'REJECTED', 'REASSIGNED', 'RELEASED', 'REVEALED_PERSONAL_ID']) {
      expect(lines.some((l) => l.includes(`"${action}"`)), action).toBe(true);
    }
    expect(csv).not.toContain(apps.headNotFound.personalId);
    expect(csv).not.toContain('036075006183');
  });

  it('is keyboard accessible, switches to English, and fits a tablet width', async () => {
    const page = await newPage({ width: 768, height: 1024 });
    await page.goto(`${system.apiUrl}/console/`);
    // Sign in with the keyboard only.
    await page.focus('#signin-province');
    await page.keyboard.press('Tab'); // the role radio group (staff is checked)
    await page.keyboard.press('Tab'); // the sign-in button
    await page.keyboard.press('Enter');
    await page.waitForSelector('table.queue');
    let reached = false;
    for (let i = 0; i < 60 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.classList.contains('item-link') ?? false);
    }
    expect(reached).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="comparison"]');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('view-title');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'console-tablet.png'), fullPage: true });

    await page.click('#lang-toggle');
    await page.click('#back-link');
    await expect.poll(() => page.locator('#view-title').textContent()).toContain('Review queue');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
  });

  it('never received an unmasked personal ID except from an audited reveal, and never a task token', () => {
    const ids = [...Object.values(apps).map((a) => a.personalId), '036075006183'];
    const leaks = browser.apiBodies.filter((r) => !r.url.endsWith('/reveal') && ids.some((id) => r.body.includes(id)));
    expect(leaks.map((l) => l.url)).toEqual([]);
    expect(browser.apiBodies.some((r) => /taskToken/i.test(r.body))).toBe(false);
    expect(browser.apiBodies.length).toBeGreaterThan(20);
  });
});
