/**
 * The staff console in Debian's chromium, driven by playwright-core, for the browser tests: launch (never a
 * downloaded browser), pages that record every API body they receive, sign-in with a dev identity, opening an
 * item, and reading the message area.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface ConsoleBrowser {
  /** A new browser context (its own sign-in) at a laptop width unless told. */
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  signIn(page: Page, provinceCode: string, role: 'staff' | 'supervisor'): Promise<void>;
  openItem(page: Page, itemId: string): Promise<void>;
  /** Every API response body the pages received, by URL (to prove what never reached the browser). */
  readonly apiBodies: { url: string; body: string }[];
  close(): Promise<void>;
}

/** Starts chromium for a local system at `baseUrl`; fails with the install command when chromium is missing. */
export async function launchConsoleBrowser(baseUrl: string): Promise<ConsoleBrowser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Debian chromium is not installed at ${CHROMIUM}. Install it with \`apt-get update && apt-get install -y chromium\` ` +
        '(or set CHROMIUM_PATH); browsers are never downloaded by the tests.',
    );
  }
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  const contexts: BrowserContext[] = [];
  const apiBodies: { url: string; body: string }[] = [];
  return {
    apiBodies,
    async newPage(viewport = { width: 1366, height: 900 }) {
      const context = await browser.newContext({ viewport, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', acceptDownloads: true });
      contexts.push(context);
      const page = await context.newPage();
      page.on('response', async (res) => {
        if (!res.url().includes('/v1/')) return;
        try {
          apiBodies.push({ url: res.url(), body: await res.text() });
        } catch {
          /* body gone (navigation) */
        }
      });
      return page;
    },
    async signIn(page, provinceCode, role) {
      await page.goto(`${baseUrl}/console/`);
      await page.selectOption('#signin-province', provinceCode);
      await page.check(`#role-${role}`);
      await page.click('#signin-button');
      await page.waitForSelector('[data-testid="whoami"]');
    },
    async openItem(page, itemId) {
      await page.goto(`${baseUrl}/console/#/items/${itemId}`);
      await page.waitForSelector('[data-testid="comparison"]');
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
    },
  };
}

export async function flashOf(page: Page): Promise<{ kind: string | null; text: string }> {
  const el = page.locator('#flash[data-kind]');
  await el.waitFor({ state: 'visible' });
  return { kind: await el.getAttribute('data-kind'), text: (await el.textContent()) ?? '' };
}

/** Clears the message area, clicks, and returns the message the click produced. */
export async function clickForFlash(page: Page, selector: string): Promise<{ kind: string | null; text: string }> {
  await page.evaluate(() => {
    const f = document.getElementById('flash')!;
    f.hidden = true;
    f.removeAttribute('data-kind');
  });
  await page.click(selector);
  return flashOf(page);
}
