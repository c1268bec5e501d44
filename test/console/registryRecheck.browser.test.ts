/**
 * The supervisors' registry re-check in the staff console (chromium, against the whole local system): the
 * registry simulator is taken down (fault injection), three applications land in review as REGISTRY_UNAVAILABLE;
 * once it is back, a supervisor re-checks one item from its page and the rest with the queue's bulk button. The
 * items whose check passes resume (their applications go on to payment, no officer involved); the one whose head
 * the registry does not know stays open with that new reason. Officers see neither button.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildConsole } from '../../console/build';
import type { LocalSystem } from '../../local/runtime';
import { apiClient, startTestSystem } from '../support/localSystem';
import { clickForFlash, launchConsoleBrowser, type ConsoleBrowser } from '../support/consoleBrowser';

let system: LocalSystem;
let browser: ConsoleBrowser;
let api: ReturnType<typeof apiClient>;
const apps: Record<'clean' | 'worked' | 'unknown', { applicationId: string; itemId: string }> = {} as never;

function body(name: string) {
  const { periodMonths, ...head } = system.seed.scenarios!.find((s) => s.name === name)!.submit as Record<string, unknown>;
  return { head, periodMonths };
}

async function submitToReview(name: string) {
  const res = await api.post('/v1/household-renewals', body(name));
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  const applicationId = res.body.applicationId as string;
  const app = await api.waitForStatus(applicationId, 'IN_REVIEW', 20_000);
  const opened = (app.timeline as { event: string; detail?: { reviewItemId?: string } }[]).find((e) => e.event === 'REVIEW_OPENED');
  return { applicationId, itemId: opened!.detail!.reviewItemId! };
}

beforeAll(async () => {
  const consoleDir = await buildConsole({ outDir: mkdtempSync(path.join(tmpdir(), 'console-dist-')) });
  system = await startTestSystem({ consoleDir, now: '2026-11-22T09:00:00+07:00' });
  api = apiClient(system.apiUrl);
  browser = await launchConsoleBrowser(system.apiUrl);
  system.setRegistryFaults({ errorRate: 1 });
  const [clean, worked, unknown] = await Promise.all([submitToReview('CLEAN'), submitToReview('WORKED_EXAMPLE'), submitToReview('HEAD_NOT_FOUND')]);
  Object.assign(apps, { clean, worked, unknown });
  system.setRegistryFaults({ errorRate: 0 });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

describe('registry re-check after an outage (chromium)', () => {
  it('officers get no re-check button', async () => {
    const page = await browser.newPage();
    await browser.signIn(page, '79', 'staff');
    await page.waitForSelector('table.queue tbody tr');
    expect(await page.locator('#bulk-recheck-registry').count()).toBe(0);
    await browser.openItem(page, apps.clean.itemId);
    expect(await page.locator('#recheck-registry-button').count()).toBe(0);
  });

  it('a supervisor re-checks one item, then the rest in bulk: the passing ones resume, the other keeps its new reason', async () => {
    const page = await browser.newPage();
    await browser.signIn(page, '79', 'supervisor');
    await browser.openItem(page, apps.worked.itemId);
    const one = await clickForFlash(page, '#recheck-registry-button');
    expect(one).toEqual({ kind: 'success', text: 'CSDLQG đã xác minh: hồ sơ được tiếp tục xử lý.' });
    await api.waitForStatus(apps.worked.applicationId, 'AWAITING_PAYMENT', 20_000);

    await page.goto(`${system.apiUrl}/console/#/`);
    await page.waitForSelector('#bulk-recheck-registry');
    await page.click('#bulk-recheck-registry');
    await expect
      .poll(() => page.locator('[data-testid="bulk-recheck-status"]').textContent())
      .toBe('Đã kiểm tra 2 yêu cầu: 1 hồ sơ được tiếp tục, 1 có lý do mới, 0 vẫn chờ CSDLQG.');

    const clean = await api.waitForStatus(apps.clean.applicationId, 'AWAITING_PAYMENT', 20_000);
    expect(clean.quote.total).toBeGreaterThan(0);
    expect((await api.get(`/v1/applications/${apps.unknown.applicationId}`)).body.status).toBe('IN_REVIEW');

    // The queue shows the item left with its new reason; the resumed ones are no longer active.
    const row = page.locator(`tr[data-item-id="${apps.unknown.itemId}"]`);
    await expect.poll(() => row.locator('.reason a').textContent()).toBe('Không tồn tại thông tin chủ hộ trong cơ sở dữ liệu quốc gia về dân cư');
    await expect.poll(() => page.locator(`tr[data-item-id="${apps.clean.itemId}"]`).count()).toBe(0);
    // Its page has no re-check button any more (the registry answered).
    await browser.openItem(page, apps.unknown.itemId);
    expect(await page.locator('#recheck-registry-button').count()).toBe(0);
    // No task token ever reached the browser.
    expect(browser.apiBodies.some((b) => /taskToken/i.test(b.body))).toBe(false);
  });
});
