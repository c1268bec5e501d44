/**
 * The staff console in a real browser: Debian chromium driven by playwright-core, against the whole local system
 * (DynamoDB Local, registry simulator, local Step Functions running the real ASL, the local API server serving
 * the console bundle at /console/). Applications are submitted through the public API with the demo heads, so
 * the review items are opened by the real workflow.
 *
 * Chromium is never downloaded: without /usr/bin/chromium (or CHROMIUM_PATH) these tests FAIL with the command
 * that installs it (CI installs it; see .ci/run).
 *
 * Time-dependent views (overdue, escalated, past the review deadline) are reached by moving the system's clock
 * (CLOCK_OFFSET_MS, read on every call) for one item opened with a short review window, and by calling the
 * scheduled escalation handler directly (the test system runs no schedules).
 *
 * Artifacts (gitignored): test-artifacts/console-queue.png, console-item.png, console-tablet.png,
 * console-queue-tablet.png, console-approved.png, console-overdue.png, console-past-deadline.png, console-reveal.png,
 * console-reassign.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { buildConsole } from '../../console/build';
import { repoRoot, type LocalSystem } from '../../local/runtime';
import { handler as escalateOverdueReviews } from '../../functions/steps/escalateOverdueReviews';
import { apiClient, startTestSystem } from '../support/localSystem';
import { devIdentities } from '../../local/devIdentities';
import { clickForFlash, contrastRatio, flashOf, launchConsoleBrowser, type ConsoleBrowser } from '../support/consoleBrowser';

const ARTIFACTS = path.join(repoRoot, 'test-artifacts');

/** An officer as the console shows them: "<display name> (<staff id>)" (local/devIdentities.ts). */
const who = (staffId: string) => `${devIdentities().find((d) => d.staffId === staffId)!.name} (${staffId})`;

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
const signIn = (page: Page, provinceCode: string, role: 'staff' | 'supervisor', query?: string) => browser.signIn(page, provinceCode, role, query);
const openItem = (page: Page, itemId: string) => browser.openItem(page, itemId);
const rowCount = (page: Page) => page.locator('table.queue tbody tr').count();
const rowIds = (page: Page) => page.locator('table.queue tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-item-id')!));
const activeId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

/** Moves the system's clock (every handler reads CLOCK_OFFSET_MS on each call) by `ms` from where it started. */
const baseOffset = () => Number(process.env.CLOCK_OFFSET_MS ?? 0);
let startOffset = 0;
function shiftClock(ms: number): void {
  process.env.CLOCK_OFFSET_MS = String(startOffset + ms);
}

/** Presses "Tải thêm" until the list says it is complete; returns how many presses it took. */
async function loadAll(page: Page): Promise<number> {
  let presses = 0;
  while ((await page.locator('#load-more').count()) > 0 && presses < 10) {
    await page.click('#load-more');
    presses++;
    await page.waitForFunction(() => {
      const b = document.getElementById('load-more') as HTMLButtonElement | null;
      return !b || !b.disabled;
    });
  }
  return presses;
}

/** Text of the timeline and the audit trail must read as words, never as keys or JSON. */
const RAW = [/\{/, /"\w+":/, /\bsubjectRole\b/, /\bcheckKind\b/, /\breviewItemId\b/, /\bdueAt\b/, /\bstatus:/, /\bclaimedBy\b/, /HEAD_OF_HOUSEHOLD/, /IDENTITY_CHECK_STARTED/, /\(RECEIVED\)/, /\bidentity\b/];
function expectReadable(text: string, where: string): void {
  for (const pattern of RAW) expect(text, `${where}: ${pattern}`).not.toMatch(pattern);
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const consoleDir = await buildConsole({ outDir: mkdtempSync(path.join(tmpdir(), 'console-dist-')) });
  system = await startTestSystem({ consoleDir });
  api = apiClient(system.apiUrl);
  browser = await launchConsoleBrowser(system.apiUrl);
  startOffset = baseOffset();

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
  process.env.CLOCK_OFFSET_MS = String(startOffset);
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

  it('signs in with a dev identity and lists only its province queue, by review deadline, in Vietnamese', async () => {
    const page = await newPage();
    await signIn(page, '79', 'staff');
    await expect.poll(() => rowCount(page)).toBe(4);
    expect(new Set(await rowIds(page))).toEqual(new Set(Object.values(apps).map((a) => a.itemId)));
    const headRow = page.locator(`tr[data-item-id="${apps.headNotFound.itemId}"]`);
    await expect.poll(() => headRow.locator('.reason a').textContent()).toBe(HEAD_NOT_FOUND_VI);
    await expect.poll(() => page.locator('[data-testid="count-OPEN"]').textContent()).toBe('4');
    // Both times, each with its own name; the whole list is shown, so it may say "all".
    expect(await page.locator('table.queue th.col-target').textContent()).toBe('Hạn xử lý');
    expect(await page.locator('table.queue th.col-deadline').textContent()).toBe('Hết hạn xét duyệt');
    expect(await page.locator('[data-testid="queue-summary"]').textContent()).toBe('Đang hiện tất cả 4 yêu cầu phù hợp.');
    expect(await page.locator('[data-testid="queue-summary"]').getAttribute('aria-live')).toBe('polite');
    expect(await page.locator('table.queue').evaluate((t) => t.closest('[aria-live]'))).toBeNull();
    // Nothing is overdue yet: no row highlighted.
    expect(await page.locator('table.queue tr.overdue').count()).toBe(0);
    expect(await page.locator('[data-testid="count-overdue"]').textContent()).toBe('0');
    // Review deadlines ascend.
    const due = await page.locator('table.queue td.col-deadline time').evaluateAll((els) => els.map((e) => e.getAttribute('datetime')!));
    expect(due).toHaveLength(4);
    expect([...due].sort()).toEqual(due);
    // Filter by reason.
    await page.selectOption('#filter-reason', 'HEAD_OF_HOUSEHOLD_NOT_FOUND');
    await expect.poll(() => rowCount(page)).toBe(1);
    await page.selectOption('#filter-reason', '');
    await expect.poll(() => rowCount(page)).toBe(4);
    // A staff member (not a supervisor) gets no supervisor overview and no audit export (the API refuses it too).
    expect(await page.locator('[data-testid="supervisor-panel"]').count()).toBe(0);
    expect(await page.locator('[data-testid="export-panel"]').count()).toBe(0);
    expect(await page.locator('[data-testid="payments-panel"]').count()).toBe(0);
    const csv = await api.get('/v1/review-audit.csv?from=2020-01-01&to=2020-01-02', 'dev-staff-79');
    expect(csv.status).toBe(403);
    expect(csv.body.code).toBe('SUPERVISOR_ONLY');
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

  it('pages the queue: the first page, then "Tải thêm" with the same filters; the refresh keeps rows and focus', async () => {
    const page = await newPage();
    const queueUrls: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/v1/review-queue')) queueUrls.push(r.url());
    });
    await signIn(page, '79', 'staff', '?pageSize=3&refreshMs=1500');
    await expect.poll(() => rowCount(page)).toBe(3);
    await page.selectOption('#filter-service', 'HOUSEHOLD_RENEWAL');
    await expect.poll(() => queueUrls.some((u) => u.includes('service=HOUSEHOLD_RENEWAL'))).toBe(true);
    await expect.poll(() => rowCount(page)).toBe(3);
    // Three of four: no total is claimed, the per-status totals come from the stats.
    expect(await page.locator('[data-testid="queue-summary"]').textContent()).toBe('Đang hiện 3 yêu cầu đầu tiên; còn yêu cầu khác — bấm “Tải thêm”.');
    expect(await page.locator('[data-testid="count-OPEN"]').textContent()).toBe('4');
    const firstPage = await rowIds(page);
    await page.click('#load-more');
    await expect.poll(() => rowCount(page)).toBe(4);
    // Keyboard focus continues at the first row that was added.
    expect(await activeId(page)).toMatch(/^item-link-/);
    await loadAll(page);
    expect(await page.locator('#load-more').count()).toBe(0);
    const all = await rowIds(page);
    expect(all.slice(0, 3)).toEqual(firstPage);
    expect(new Set(all)).toEqual(new Set(Object.values(apps).map((a) => a.itemId)));
    const due = await page.locator('table.queue td.col-deadline time').evaluateAll((els) => els.map((e) => e.getAttribute('datetime')!));
    expect([...due].sort()).toEqual(due);
    expect(await page.locator('[data-testid="queue-summary"]').textContent()).toBe('Đang hiện tất cả 4 yêu cầu phù hợp.');
    const paged = queueUrls.filter((u) => u.includes('cursor='));
    expect(paged.length).toBeGreaterThan(0);
    for (const u of paged) {
      expect(u).toContain('service=HOUSEHOLD_RENEWAL');
      expect(u).toContain('limit=3');
    }

    // The periodic refresh (every 1.5 s here) keeps the four rows and the keyboard focus on the same link.
    const last = `item-link-${all[3]}`;
    await page.focus(`#${last}`);
    const seen = queueUrls.length;
    await expect.poll(() => queueUrls.length, { timeout: 8_000 }).toBeGreaterThan(seen + 1);
    await page.waitForFunction(() => document.getElementById('queue-list')?.getAttribute('aria-busy') === 'false');
    expect(await rowCount(page)).toBe(4);
    expect(await activeId(page)).toBe(last);
  });

  it('shows submitted vs registry with the diacritics-only difference, the personal ID masked until revealed for a stated purpose (audited)', async () => {
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
    expect(await page.locator('[data-testid="item-target"]').textContent()).toBeTruthy();
    expect(await page.locator('[data-testid="item-deadline"]').textContent()).toBeTruthy();
    // The timeline and the audit trail in words.
    await expect.poll(() => page.locator('[data-testid="timeline"] li').count()).toBeGreaterThan(1);
    const timeline = (await page.locator('[data-testid="timeline"]').textContent())!;
    expectReadable(timeline, 'timeline');
    expect(timeline).toContain('Tiếp nhận hồ sơ');
    expect(timeline).toContain('Người được xác minh: Chủ hộ');
    expect(timeline).toContain('Nội dung xác minh: Thông tin cá nhân');
    expect(timeline).toContain('Hết hạn xét duyệt: ');
    const opened = (await page.locator('[data-testid="audit"] tr[data-action="OPENED"]').textContent())!;
    expectReadable(opened, 'audit OPENED');
    expect(opened).toContain('Hệ thống');
    expect(opened).toContain('Trạng thái: — → Chờ xử lý');
    expect(await page.content()).not.toContain(apps.diacritics.personalId);
    await page.screenshot({ path: path.join(ARTIFACTS, 'console-item.png'), fullPage: true });

    // Reveal asks for a purpose first; without one nothing is sent.
    const reveals = () => browser.apiBodies.filter((b) => b.url.endsWith('/reveal')).length;
    const sent = reveals();
    await page.click('#reveal-button');
    await page.waitForSelector('#reveal-purpose', { state: 'visible' });
    expect(await activeId(page)).toBe('reveal-purpose');
    expect(await page.locator('label[for="reveal-purpose"]').textContent()).toContain('Mục đích xem số định danh');
    expect(await page.getAttribute('#reveal-button', 'aria-expanded')).toBe('true');
    expect((await clickForFlash(page, '#reveal-confirm')).kind).toBe('error');
    expect(reveals()).toBe(sent);
    await page.locator('.item-header').screenshot({ path: path.join(ARTIFACTS, 'console-reveal.png') });
    expect(await page.locator('[data-testid="pid-submitted"]').textContent()).toBe('079******284');
    const purpose = 'Đối chiếu với CCCD bản gốc công dân xuất trình tại quầy';
    await page.fill('#reveal-purpose', purpose);
    await page.click('#reveal-confirm');
    await expect.poll(() => page.locator('[data-testid="pid-submitted"]').textContent()).toBe(apps.diacritics.personalId);
    const row = page.locator('[data-testid="audit"] tr[data-action="REVEALED_PERSONAL_ID"]');
    await expect.poll(() => row.count()).toBe(1);
    const text = (await row.textContent())!;
    expect(text).toContain('staff.79.1');
    expect(text).toContain('Xem số định danh đầy đủ');
    expect(text).toContain(`Mục đích: ${purpose}`);
    expectReadable(text, 'audit REVEALED');
    // The API refuses a reveal without a purpose.
    const refused = await api.post(`/v1/review-items/${apps.diacritics.itemId}/reveal`, {}, 'dev-staff-79');
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('PURPOSE_REQUIRED');
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
    await expect.poll(() => loser.locator('[data-testid="item-holder"]').textContent()).toBe(who(winnerId));
    expect(await loser.locator('#claim-button').count()).toBe(0);
    expect(await loser.locator('[data-testid="approve-form"]').count()).toBe(0);

    // The winner approves with the registry's spelling → the workflow continues to AWAITING_PAYMENT.
    await winner.waitForSelector('[data-testid="approve-form"]');
    await winner.locator('tr[data-field="fullName"] .link-button').click();
    expect(await winner.inputValue('#corr-fullName')).toBe('Cao Văn Thắng');
    await winner.fill('#evidence-note', 'Đối chiếu CCCD bản gốc: họ tên có dấu là Cao Văn Thắng');
    expect((await clickForFlash(winner, '#approve-button')).kind).toBe('success');
    await api.waitForStatus(apps.diacritics.applicationId, 'AWAITING_PAYMENT', 20_000);

    // The approval reads as the identity before → after; the decided panel labels the corrections (read-only).
    await winner.waitForSelector('[data-testid="decision"]');
    const approved = winner.locator('[data-testid="audit"] tr[data-action="APPROVED"]');
    await expect.poll(() => approved.count()).toBe(1);
    const approvedText = (await approved.textContent())!;
    expect(approvedText).toContain('Họ và tên: Cao Van Thang → Cao Văn Thắng');
    expect(approvedText).toContain('Trạng thái: Đang xử lý → Đã phê duyệt');
    expect(approvedText).toContain('Căn cứ xác minh: Đối chiếu CCCD bản gốc');
    expectReadable(approvedText, 'audit APPROVED');
    const decision = (await winner.locator('[data-testid="decision"]').textContent())!;
    expect(decision).toContain('Thông tin đã hiệu chỉnh');
    expect(await winner.locator('[data-testid="decision-corrections"]').textContent()).toBe('Họ và tên: Cao Văn Thắng');
    expect(decision).not.toContain('bắt buộc');
    // The page does not poll an item: reopening it shows the workflow's next steps.
    await winner.reload();
    await winner.waitForSelector('[data-testid="timeline"]');
    expect(await winner.locator('[data-testid="timeline"]').textContent()).toContain('Chờ công dân thanh toán');
    const timeline = (await winner.locator('[data-testid="timeline"]').textContent())!;
    expectReadable(timeline, 'timeline after approval');
    expect(timeline).toContain('Quyết định: Phê duyệt');
    expect(timeline).toMatch(/Số tiền phải đóng: [\d.]+ ₫/);
    await winner.screenshot({ path: path.join(ARTIFACTS, 'console-approved.png'), fullPage: true });

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
    const approved = page.locator('[data-testid="audit"] tr[data-action="APPROVED"]');
    await expect.poll(() => approved.count()).toBe(1);
    expect(await page.locator('[data-testid="audit"] tr[data-action="CLAIMED"]').count()).toBe(1);
    // The corrected personal ID, masked on both sides.
    expect(await approved.textContent()).toMatch(/Số định danh cá nhân: \d{3}\*{6}\d{3} → 036\*{6}183/);
    expect(await page.locator('[data-testid="audit"] tr[data-action="CLAIMED"]').textContent()).toContain(`Người xử lý: — chưa ai nhận — → ${who('staff.79.1')}`);
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
    expect(app.reason.note).toBe(reason);
    await page.waitForSelector('[data-testid="decision"]');
    const decision = (await page.locator('[data-testid="decision"]').textContent())!;
    expect(decision).toContain(`Lý do từ chối${reason}`);
    expect(decision).not.toContain('bắt buộc');
  });

  it('decided lists show who decided and when, counted over the stats window', async () => {
    const page = await newPage();
    await signIn(page, '79', 'staff');
    await expect.poll(() => page.locator('[data-testid="count-APPROVED"]').textContent()).toBe('2');
    expect(await page.locator('#chip-APPROVED').textContent()).toContain('(30 ngày)');
    await page.click('#chip-APPROVED');
    await expect.poll(() => page.locator('table.queue.decided-list tbody tr').count()).toBe(2);
    expect(await page.locator('table.queue th.col-when').textContent()).toBe('Quyết định lúc');
    expect(await page.locator('table.queue th.col-age').count()).toBe(0);
    const row = page.locator(`tr[data-item-id="${apps.headNotFound.itemId}"]`);
    expect(await row.locator('[data-testid="decided-by"]').textContent()).toContain('staff.79.1');
    expect(await row.locator('td.col-when time').getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(await page.getAttribute('#chip-APPROVED', 'aria-pressed')).toBe('true');
    expect(await page.inputValue('#filter-status')).toBe('APPROVED');
    await page.click('#chip-REJECTED');
    await expect.poll(() => rowIds(page)).toEqual([apps.idDob.itemId]);
    expect(await page.locator('[data-testid="decided-by"]').textContent()).toContain('staff.79.1');
  });

  it('supervisor: overview counts, reassigns to a signed-in officer from a list, exports the audit trail as CSV', async () => {
    // The target officer signs in first: only officers known to the console can be chosen.
    const staff = await newPage();
    await signIn(staff, '79', 'staff');

    const page = await newPage();
    await signIn(page, '79', 'supervisor');
    const panel = page.locator('[data-testid="supervisor-panel"]');
    await panel.waitFor();
    expect(await panel.locator('[data-testid="per-reason"] tr[data-reason="ADDRESS_MISMATCH"]').count()).toBe(1);
    expect(await panel.locator('[data-testid="oldest-open"]').textContent()).toContain(apps.address.itemId);
    await expect.poll(() => panel.locator('[data-testid="per-staff"] tr[data-staff="staff.79.1"]').count()).toBe(1);

    await openItem(page, apps.address.itemId);
    const options = await page.locator('#reassign-to option').evaluateAll((os) => os.map((o) => ({ value: (o as HTMLOptionElement).value, text: o.textContent! })));
    const target = options.find((o) => o.value === 'staff.79.1');
    expect(target, JSON.stringify(options)).toBeDefined();
    expect(target!.text).toMatch(/^\S.+ \(staff\.79\.1\)$/);
    expect(options.some((o) => o.value === 'staff.79.2')).toBe(true);
    await page.selectOption('#reassign-to', 'staff.79.1');
    await page.locator('.item-header').screenshot({ path: path.join(ARTIFACTS, 'console-reassign.png') });
    expect((await clickForFlash(page, '#reassign-button')).kind).toBe('success');
    await expect.poll(() => page.locator('[data-testid="item-holder"]').textContent()).toBe(who('staff.79.1'));
    const reassigned = page.locator('[data-testid="audit"] tr[data-action="REASSIGNED"]');
    await expect.poll(() => reassigned.count()).toBe(1);
    expect(await reassigned.textContent()).toContain(`Người xử lý: — chưa ai nhận — → ${who('staff.79.1')}`);
    expectReadable((await page.locator('[data-testid="audit"]').textContent())!, 'audit');

    // An officer the province does not know (e.g. a stale list): a clear message, nothing changes.
    await page.locator('#reassign-to').evaluate((sel) => (sel as HTMLSelectElement).add(new Option('Cán bộ đã nghỉ (staff.79.9)', 'staff.79.9')));
    await page.selectOption('#reassign-to', 'staff.79.9');
    const unknown = await clickForFlash(page, '#reassign-button');
    expect(unknown.kind).toBe('error');
    expect(unknown.text).toContain('không có trong danh sách cán bộ của tỉnh');
    await expect.poll(() => page.locator('[data-testid="item-holder"]').textContent()).toBe(who('staff.79.1'));

    // A staff member sees no reassign form; the holder can release it back to the queue.
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
    expect(lines[0]).toBe('"at","atVietnam","itemId","applicationId","service","reasonCode","action","actionVi","by","byName","before","after","detail"');
    // The officer's id stays (audit) and the name is beside it.
    expect(lines.some((l) => l.includes(`"staff.79.1","${who('staff.79.1').replace(/ \(.*$/, '')}"`))).toBe(true);
    for (const action of ['OPENED', 'CLAIMED', 'APPROVED', 'REJECTED', 'REASSIGNED', 'RELEASED', 'REVEALED_PERSONAL_ID']) {
      expect(lines.some((l) => l.includes(`"${action}"`)), action).toBe(true);
    }
    expect(lines[1]).toMatch(/^"[^"]+","\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}"/);
    expect(csv).toContain('Đối chiếu với CCCD bản gốc công dân xuất trình tại quầy');
    expect(csv).not.toContain(apps.headNotFound.personalId);
    expect(csv).not.toContain('036075006183');
    expect(await page.locator('[data-testid="export-status"]').textContent()).toMatch(/^Đã xuất \d+ dòng nhật ký\.$/);

    // Payments: the refunds due (none in this province yet) and the day's reconciliation CSV.
    await expect.poll(() => page.locator('[data-testid="refunds-total"]').textContent()).toMatch(/^0 khoản, tổng 0/);
    const [reconciliation] = await Promise.all([page.waitForEvent('download'), page.click('#reconciliation-csv')]);
    expect(reconciliation.suggestedFilename()).toMatch(/^payments-reconciliation-79-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(readFileSync((await reconciliation.path())!, 'utf8').replace(/^\uFEFF/, '').split('\r\n')[0]).toContain('"gatewayReference"');
  });

  it('is keyboard accessible with a visible focus ring, switches to English, and fits a tablet width', async () => {
    const page = await newPage({ width: 768, height: 1024 });
    await page.goto(`${system.apiUrl}/console/`);
    // Sign in with the keyboard only.
    await page.focus('#signin-province');
    await page.keyboard.press('Tab'); // the role radio group (staff is checked)
    await page.keyboard.press('Tab'); // the sign-in button
    await page.keyboard.press('Enter');
    await page.waitForSelector('table.queue');
    // At tablet width the service column stays and nothing scrolls sideways.
    expect(await page.locator('table.queue th.col-service').isVisible()).toBe(true);
    expect(await page.locator('table.queue th.col-target').isVisible()).toBe(true);
    expect(await page.locator('table.queue th.col-deadline').isVisible()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    expect(await page.evaluate(() => {
      const wrap = document.querySelector('.table-wrap')!;
      return wrap.scrollWidth - wrap.clientWidth;
    })).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'console-queue-tablet.png'), fullPage: true });

    // The focus ring: ≥ 3:1 against the blue header and against the white page.
    const ring = () => page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const style = getComputedStyle(el);
      let bg = 'rgb(255, 255, 255)';
      for (let n: HTMLElement | null = el.parentElement; n; n = n.parentElement) {
        const c = getComputedStyle(n).backgroundColor;
        if (c && c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') {
          bg = c;
          break;
        }
      }
      return { id: el.id, inHeader: Boolean(el.closest('.app-header')), style: style.outlineStyle, width: parseFloat(style.outlineWidth), color: style.outlineColor, bg };
    });
    await page.keyboard.press('Shift+Tab');
    const header = await ring();
    expect(header.inHeader, JSON.stringify(header)).toBe(true);
    expect(header.style).toBe('solid');
    expect(header.width).toBeGreaterThanOrEqual(2);
    expect(contrastRatio(header.color, header.bg), JSON.stringify(header)).toBeGreaterThanOrEqual(3);
    let reached = false;
    for (let i = 0; i < 80 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.classList.contains('item-link') ?? false);
    }
    expect(reached).toBe(true);
    const link = await ring();
    expect(link.style).toBe('solid');
    expect(contrastRatio(link.color, 'rgb(255, 255, 255)'), JSON.stringify(link)).toBeGreaterThanOrEqual(3);
    expect(contrastRatio(link.color, link.bg), JSON.stringify(link)).toBeGreaterThanOrEqual(3);
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="comparison"]');
    expect(await activeId(page)).toBe('view-title');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'console-tablet.png'), fullPage: true });

    await page.click('#lang-toggle');
    await page.click('#back-link');
    await expect.poll(() => page.locator('#view-title').textContent()).toContain('Review queue');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.waitForSelector('table.queue');
    expect(await page.locator('table.queue th.col-target').textContent()).toBe('Target date');
    expect(await page.locator('table.queue th.col-deadline').textContent()).toBe('Review deadline');
    expect(await page.locator('#load-more').count()).toBe(0);
  });

  it('overdue and escalated: highlighted from `overdue`, the count chips filter the list; past the deadline no action is offered', async () => {
    // One item with a 10-minute review window: its target time is 6 minutes after it opened.
    process.env.REVIEW_TIMEOUT_SECONDS = '600';
    let short: Submitted;
    try {
      short = await submit(scenario('HOUSEHOLD_NOT_FOUND'));
    } finally {
      delete process.env.REVIEW_TIMEOUT_SECONDS;
    }
    const queueUrls: string[] = [];
    const page = await newPage();
    page.on('request', (r) => {
      if (r.url().includes('/v1/review-queue')) queueUrls.push(r.url());
    });
    try {
      // 6 min 40 s later: past the target (overdue), before the deadline.
      shiftClock(400_000);
      await signIn(page, '79', 'supervisor');
      await expect.poll(() => rowIds(page)).toEqual(expect.arrayContaining([short.itemId, apps.address.itemId]));
      await expect.poll(() => page.locator('[data-testid="count-overdue"]').textContent()).toBe('1');
      const activeCount = await rowCount(page);
      const shortRow = page.locator(`tr[data-item-id="${short.itemId}"]`);
      expect(await shortRow.getAttribute('class')).toContain('overdue');
      expect(await shortRow.locator('.badge-overdue').textContent()).toBe('Quá hạn');
      expect(await shortRow.getAttribute('data-past-deadline')).toBe('false');
      expect(await page.locator(`tr[data-item-id="${apps.address.itemId}"]`).getAttribute('class')).not.toContain('overdue');
      // The overdue chip is a filter.
      await page.click('#chip-overdue');
      await expect.poll(() => rowIds(page)).toEqual([short.itemId]);
      expect(queueUrls.at(-1)).toContain('overdue=true');
      expect(await page.getAttribute('#chip-overdue', 'aria-pressed')).toBe('true');
      expect(await page.isChecked('#filter-overdue')).toBe(true);
      // Focus stays on the chip that was pressed.
      expect(await activeId(page)).toBe('chip-overdue');
      await page.screenshot({ path: path.join(ARTIFACTS, 'console-overdue.png'), fullPage: true });
      await page.click('#chip-overdue');
      await expect.poll(() => rowCount(page)).toBe(activeCount);

      // The scheduled escalation flags it for supervisors; the escalated chip filters too.
      const summary = await escalateOverdueReviews();
      expect(summary.escalated).toBe(1);
      await page.click('#refresh-queue');
      await expect.poll(() => page.locator('[data-testid="count-escalated"]').textContent()).toBe('1');
      await page.click('#chip-escalated');
      await expect.poll(() => rowIds(page)).toEqual([short.itemId]);
      expect(queueUrls.at(-1)).toContain('escalated=true');
      expect(await page.isChecked('#filter-escalated')).toBe(true);
      expect(await shortRow.locator('.badge-escalated').count()).toBe(1);
      await openItem(page, short.itemId);
      const escalated = page.locator('[data-testid="audit"] tr[data-action="ESCALATED"]');
      await expect.poll(() => escalated.count()).toBe(1);
      const escalatedText = (await escalated.textContent())!;
      expect(escalatedText).toContain('Chuyển lãnh đạo: Không → Có');
      expect(escalatedText).toContain('Chuyển lãnh đạo (quá hạn xử lý)');
      expect(escalatedText).toContain('Hạn xử lý: ');
      expectReadable(escalatedText, 'audit ESCALATED');
      expect(await page.locator('#claim-button').count()).toBe(1);
      expect(await page.locator('[data-testid="reassign-form"]').count()).toBe(1);

      // 10 min 1 s later: past the review deadline. Nothing can be decided: no claim, no reassign, it says why.
      shiftClock(601_000);
      await openItem(page, short.itemId);
      expect(await page.locator('[data-testid="past-deadline"]').textContent()).toBe('Đã hết hạn xét duyệt');
      expect(await page.locator('[data-testid="past-deadline-note"]').textContent()).toContain('Đã hết hạn xét duyệt');
      expect(await page.locator('#claim-button').count()).toBe(0);
      expect(await page.locator('[data-testid="reassign-form"]').count()).toBe(0);
      expect(await page.locator('[data-testid="approve-form"]').count()).toBe(0);
      expect(await page.locator('[data-testid="decision-past-deadline"]').count()).toBe(1);
      // The reveal (audited) is still there for the record.
      expect(await page.locator('#reveal-button').count()).toBe(1);
      await page.screenshot({ path: path.join(ARTIFACTS, 'console-past-deadline.png'), fullPage: true });
      // The API refuses a claim too.
      const claim = await api.post(`/v1/review-items/${short.itemId}/claim`, {}, 'dev-staff-79');
      expect(claim.status, JSON.stringify(claim.body)).toBe(409);
      await page.click('#back-link');
      await page.waitForSelector('table.queue');
      const pastRow = page.locator(`tr[data-item-id="${short.itemId}"]`);
      await expect.poll(() => pastRow.getAttribute('data-past-deadline')).toBe('true');
      expect(await pastRow.locator('.badge-past-deadline').textContent()).toBe('Đã hết hạn xét duyệt');
      expect(await page.locator(`tr[data-item-id="${apps.address.itemId}"]`).getAttribute('data-past-deadline')).toBe('false');
    } finally {
      shiftClock(0);
    }
  });

  it('never received an unmasked personal ID except from an audited reveal, and never a task token', () => {
    const ids = [...Object.values(apps).map((a) => a.personalId), '036075006183'];
    const leaks = browser.apiBodies.filter((r) => !r.url.endsWith('/reveal') && ids.some((id) => r.body.includes(id)));
    expect(leaks.map((l) => l.url)).toEqual([]);
    expect(browser.apiBodies.some((r) => /taskToken/i.test(r.body))).toBe(false);
    expect(browser.apiBodies.length).toBeGreaterThan(20);
  });
});
