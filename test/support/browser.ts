/// <reference lib="dom" />
import { readFileSync } from 'fs';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { TestStack } from './test-stack';

/** Debian's chromium (the Makefile installs it); no browser is ever downloaded. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
}

/** Serves the in-process test stack (API + the built web app) on a free loopback port. */
export async function serve(stack: TestStack): Promise<string> {
  await stack.api.listen(0, '127.0.0.1');
  const { port } = stack.api.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

export async function newContext(browser: Browser, baseURL: string, locale = 'en-GB'): Promise<BrowserContext> {
  // bypassCSP only lets the tests inject axe-core; the app itself runs under the API's CSP.
  return browser.newContext({ baseURL, locale, viewport: { width: 1280, height: 900 }, bypassCSP: true });
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/sign-in');
  await page.locator('input[type=email]').fill(email);
  await page.locator('input[type=password]').fill(password);
  await page.locator('form button[type=submit]').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
  await page.getByTestId('who').waitFor();
}

const AXE = readFileSync(path.join(require.resolve('axe-core'), '..', 'axe.min.js'), 'utf8');

/** axe-core's serious and critical violations on the page as it is now (WCAG 2.1 A and AA rules). */
export async function axeViolations(page: Page): Promise<{ id: string; impact: string; nodes: string[] }[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE });
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<any> } }).axe;
    return axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
  });
  return (result.violations as { id: string; impact: string; nodes: { target: string[] }[] }[])
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
}

export async function missingKeys(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __ctapMissingKeys?: string[] }).__ctapMissingKeys ?? []);
}
