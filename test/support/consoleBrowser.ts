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
  /** Signs in with a dev identity; `query` is appended to /console/ (e.g. '?pageSize=2'). */
  signIn(page: Page, provinceCode: string, role: 'staff' | 'supervisor', query?: string): Promise<void>;
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
      // Fail a step well before the test's own timeout, so the error says which step.
      page.setDefaultTimeout(10_000);
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
    async signIn(page, provinceCode, role, query = '') {
      await page.goto(`${baseUrl}/console/${query}`);
      await page.selectOption('#signin-province', provinceCode);
      await page.check(`#role-${role}`);
      await page.click('#signin-button');
      await page.waitForSelector('[data-testid="whoami"]');
    },
    async openItem(page, itemId) {
      const url = `${baseUrl}/console/#/items/${itemId}`;
      // Already there: a goto to the same hash would not load the item again.
      if (page.url() === url) await page.reload();
      else await page.goto(url);
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

/** WCAG contrast ratio of two CSS colours (rgb()/rgba() as getComputedStyle returns them). */
export function contrastRatio(a: string, b: string): number {
  const lum = (css: string) => {
    const [r, g, bl] = (css.match(/[\d.]+/g) ?? ['0', '0', '0']).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
