/**
 * Every kind of review item the demo data produces, resolved from the staff console in chromium: for each demo
 * scenario of the three services that stops IN_REVIEW, the application is submitted through the public API (the
 * real workflow opens the item), then a province-79 officer finds it in the queue under its Vietnamese reason,
 * opens it, claims it, types the scenario's corrections, writes the evidence note and approves it — all on the
 * page — and the application continues to the stop the demo states (amounts to the đồng), whose amounts the
 * item's page then explains (artifacts, gitignored: test-artifacts/console-amounts-<scenario>.png).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { buildConsole } from '../../console/build';
import { repoRoot, type LocalSystem } from '../../local/runtime';
import { loadSeedFile, type SeedScenario } from '../../local/seed/seedFormat';
import { reviewReasonLabel } from '../../functions/domain/reviewReasons';
import type { ReviewReasonCode } from '../../functions/domain/types';
import { apiClient, startTestSystem } from '../support/localSystem';
import { DEMO_NOW, requestBody, SUBMIT_PATHS } from '../support/serviceScenarios';
import { clickForFlash, launchConsoleBrowser, type ConsoleBrowser } from '../support/consoleBrowser';

const ARTIFACTS = path.join(repoRoot, 'test-artifacts');

const FIELD_VI: Record<string, string> = { personalId: 'Số định danh cá nhân', fullName: 'Họ và tên', dateOfBirth: 'Ngày sinh', sex: 'Giới tính' };

let system: LocalSystem;
let browser: ConsoleBrowser;
let api: ReturnType<typeof apiClient>;
let page: Page;
const opened = new Map<string, { applicationId: string; itemId: string }>();

const reviewScenarios = (): SeedScenario[] => system.seed.scenarios.filter((s) => s.outcome?.status === 'IN_REVIEW');

async function submitToReview(s: SeedScenario) {
  const path =
    s.service === 'HOUSEHOLD_RENEWAL' ? '/v1/household-renewals' : SUBMIT_PATHS[s.service as keyof typeof SUBMIT_PATHS];
  const { periodMonths, ...head } = s.submit;
  const body = s.service === 'HOUSEHOLD_RENEWAL' ? { head, periodMonths } : requestBody(s);
  const res = await api.post(path, body);
  expect(res.status, `${s.name}: ${JSON.stringify(res.body)}`).toBe(202);
  const applicationId = res.body.applicationId as string;
  const app = await api.waitForStatus(applicationId, 'IN_REVIEW', 20_000);
  const event = (app.timeline as { event: string; detail?: { reviewItemId?: string } }[]).find((e) => e.event === 'REVIEW_OPENED');
  if (!event?.detail?.reviewItemId) throw new Error(`${s.name}: no review item in ${JSON.stringify(app.timeline)}`);
  opened.set(s.name, { applicationId, itemId: event.detail.reviewItemId });
}

beforeAll(async () => {
  const consoleDir = await buildConsole({ outDir: mkdtempSync(path.join(tmpdir(), 'console-dist-')) });
  system = await startTestSystem({ consoleDir, now: DEMO_NOW });
  api = apiClient(system.apiUrl);
  browser = await launchConsoleBrowser(system.apiUrl);
  await Promise.all(reviewScenarios().map(submitToReview));
  page = await browser.newPage();
  await browser.signIn(page, '79', 'staff');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

describe('every demo review item is resolved from the console', () => {
  it('the demo opens review items of every kind, for all three services', () => {
    const kinds = new Set(reviewScenarios().map((s) => s.outcome!.reasonCode));
    expect([...kinds].sort()).toEqual(
      [
        'ADDRESS_MISMATCH', 'CHILD_UNDER_6_UNREGISTERED', 'HEAD_OF_HOUSEHOLD_NOT_FOUND', 'HOUSEHOLD_NOT_FOUND',
        'ID_INCONSISTENT_WITH_DATE_OF_BIRTH', 'NAME_MISMATCH', 'REGISTRY_UNAVAILABLE',
      ].sort(),
    );
    expect(new Set(reviewScenarios().map((s) => s.service))).toEqual(new Set(['HOUSEHOLD_RENEWAL', 'UNEMPLOYMENT_HISTORY', 'LUMP_SUM_WITHDRAWAL']));
    for (const s of reviewScenarios()) expect(s.outcome!.afterApproval, `${s.name} states where an approval leads`).toBeDefined();
  });

  it('the queue lists every one of them under its Vietnamese reason', async () => {
    await page.goto(`${system.apiUrl}/console/`);
    await expect.poll(() => page.locator('table.queue tbody tr').count()).toBe(opened.size);
    for (const s of reviewScenarios()) {
      const row = page.locator(`tr[data-item-id="${opened.get(s.name)!.itemId}"]`);
      expect(await row.locator('.reason a').textContent(), s.name).toBe(reviewReasonLabel(s.outcome!.reasonCode as ReviewReasonCode).vi);
    }
  });

  // One test per scenario, in the seed's order (the demo seed is static data, read when the file is collected).
  const names = loadSeedFile(fileURLToPath(new URL('../../local/seed/demo.json', import.meta.url)))
    .scenarios.filter((s) => s.outcome?.status === 'IN_REVIEW')
    .map((s) => s.name);

  it.each(names)('%s: claim, correct, approve on the page → the stated stop', async (name) => {
    const s = reviewScenarios().find((x) => x.name === name)!;
    const after = s.outcome!.afterApproval!;
    const { applicationId, itemId } = opened.get(name)!;
    await browser.openItem(page, itemId);
    expect(await page.locator('[data-testid="item-reason"]').textContent()).toBe(reviewReasonLabel(s.outcome!.reasonCode as ReviewReasonCode).vi);
    expect((await clickForFlash(page, '#claim-button')).kind).toBe('success');
    await page.waitForSelector('[data-testid="approve-form"]');
    for (const [field, value] of Object.entries(after.corrections)) {
      if (field === 'sex') await page.selectOption('#corr-sex', String(value));
      else await page.fill(`#corr-${field}`, String(value));
    }
    await page.fill('#evidence-note', `Đã xác minh với Công an Thành phố (${name})`);
    // The registry answers again before the officer approves a "registry unavailable" item.
    if (s.outcome!.reasonCode === 'REGISTRY_UNAVAILABLE') system.setRegistryFaults({ timeoutIds: [] });
    expect((await clickForFlash(page, '#approve-button')).kind).toBe('success');
    await page.waitForSelector('[data-testid="decision"]');
    expect(await page.locator('[data-testid="item-status"]').textContent()).toBe('Đã phê duyệt');

    const app = await api.waitForStatus(applicationId, after.status, 20_000);
    if (after.total !== undefined) expect(app.quote.total).toBe(after.total);
    if (after.billableMembers !== undefined) expect(app.quote.members).toHaveLength(after.billableMembers);
    if (after.excludedMembers !== undefined) expect(app.quote.excluded).toHaveLength(after.excludedMembers);
    if (after.eligible !== undefined) expect(app.result.eligible).toBe(after.eligible);
    if (after.estimatedMonthlyBenefit !== undefined) expect(app.result.estimatedMonthlyBenefit).toBe(after.estimatedMonthlyBenefit);
    if (after.totalUiMonths !== undefined) expect(app.result.totalUiMonths).toBe(after.totalUiMonths);
    if (after.amount !== undefined) expect(app.result.amount).toBe(after.amount);
    // The item's page explains the amounts the application now has, in words (Vietnamese by default) and steps.
    const expected: [string, string][] = [];
    const vnd = (n: number) => `${String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.')} đồng`;
    if (after.total !== undefined) expected.push(['HOUSEHOLD_TOTAL', ` ${vnd(after.total)}.`]);
    if (after.amount !== undefined) expected.push(['LUMP_SUM', `Số tiền được hưởng: ${vnd(after.amount)}`]);
    if (after.estimatedMonthlyBenefit) expected.push(['UNEMPLOYMENT_BENEFIT', `Trợ cấp thất nghiệp ước tính: ${vnd(after.estimatedMonthlyBenefit)} mỗi tháng`]);
    if (expected.length) {
      await browser.openItem(page, itemId);
      await page.waitForSelector('[data-testid="amounts"]');
      for (const [kind, text] of expected) {
        expect(await page.locator(`[data-testid="amount-${kind}"] [data-testid="explanation"]`).textContent(), `${name} ${kind}`).toContain(text);
        expect(await page.locator(`[data-testid="amount-${kind}"] tr[data-step="RESULT"]`).count()).toBe(1);
      }
      if (after.total !== undefined) {
        expect(await page.locator('[data-testid="amount-HOUSEHOLD_MEMBER"]').count()).toBe(after.billableMembers ?? (await page.locator('[data-testid="amount-HOUSEHOLD_MEMBER"]').count()));
        expect(await page.locator('[data-testid="amount-HOUSEHOLD_MEMBER"] [data-testid="explanation"]').first().textContent()).toMatch(/mức lương cơ sở áp dụng tại ngày thanh toán .* Nghị định số/);
      }
      expect(await page.locator('[data-testid="amounts"]').textContent()).not.toMatch(/verify|domain\.md/i);
      await page.locator('[data-testid="amounts"] details').first().evaluate((d) => d.setAttribute('open', ''));
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.locator('[data-testid="amounts"]').screenshot({ path: path.join(ARTIFACTS, `console-amounts-${name}.png`) });
    }
    // The decision is on the item's audit trail with the officer's id.
    const approved = page.locator('[data-testid="audit"] tr[data-action="APPROVED"]');
    await expect.poll(() => approved.count()).toBe(1);
    const text = (await approved.textContent())!;
    expect(text).toContain('staff.79.1');
    // In words: the identity before → after (personal IDs masked, dates dd/mm/yyyy), never keys or JSON.
    expect(text).toContain('Trạng thái: Đang xử lý → Đã phê duyệt');
    expect(text).not.toMatch(/[{}"]|identity|corrections|evidenceNote|status:/);
    for (const [field, value] of Object.entries(after.corrections)) {
      const shown =
        field === 'personalId' ? `${String(value).slice(0, 3)}******${String(value).slice(-3)}`
        : field === 'dateOfBirth' ? String(value).split('-').reverse().join('/')
        : field === 'sex' ? (value === 'MALE' ? 'Nam' : 'Nữ')
        : String(value);
      expect(text, field).toContain(`${FIELD_VI[field]}: `);
      expect(text, field).toContain(`→ ${shown}`);
    }
  });

  it('leaves the queue with nothing open', async () => {
    await page.goto(`${system.apiUrl}/console/`);
    await page.waitForSelector('[data-testid="queue-empty"]');
    await expect.poll(() => page.locator('[data-testid="count-OPEN"]').textContent()).toBe('0');
    await expect.poll(() => page.locator('[data-testid="count-APPROVED"]').textContent()).toBe(String(opened.size));
  });
});
