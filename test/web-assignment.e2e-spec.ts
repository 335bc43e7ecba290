/// <reference lib="dom" />
import { existsSync } from 'fs';
import * as path from 'path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEV_ACCOUNTS } from '../seeds/src/dev-accounts';
import { ACCOUNTS, actors, kenyanRequest, unique } from './api-fixtures';
import { axeViolations, launchBrowser, missingKeys, newContext, serve, signIn } from './support/browser';
import { useStack } from './support/test-stack';
import { webDistPath } from '../apps/api/src/web-app';

jest.setTimeout(300_000);
process.env.AUTH_RATE_LIMIT_PER_MINUTE = '1000';

const password = (email: string) => DEV_ACCOUNTS.find((a) => a.email === email)!.password;

/** Assignment in a real browser (chromium through playwright-core), against the real stack. */
describe('Web application: claiming and assigning a request', () => {
  if (!existsSync(path.join(webDistPath(), 'index.html')))
    throw new Error('apps/web/dist is missing: run `npm run build:web` (make test does) before the browser tests');
  const stack = useStack('web-assign');
  let browser: Browser;
  let baseURL: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    baseURL = await serve(stack);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
  });

  async function as(email: string, locale = 'en-GB'): Promise<Page> {
    const context = await newContext(browser, baseURL, locale);
    contexts.push(context);
    const page = await context.newPage();
    await signIn(page, email, password(email));
    return page;
  }

  /** Rows of the work queue's table, as "reference | assignee" for the references asked about. */
  async function queueRows(page: Page, filter: string, refs: string[]): Promise<string[]> {
    await page.goto(filter ? `/?assignee=${filter}` : '/');
    await page.getByRole('heading', { name: 'Requests awaiting your decision' }).waitFor();
    await page.waitForLoadState('networkidle');
    const rows = await page.locator('tbody tr').evaluateAll((trs) =>
      trs.map((tr) => {
        const cells = [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '');
        const assignee = tr.querySelector('[data-testid="row-assignee"]')?.textContent?.trim() ?? '';
        return `${cells[0]} | ${assignee}`;
      }),
    );
    return rows.filter((r) => refs.some((ref) => r.startsWith(`${ref} `)));
  }

  it('an officer takes a request from the request page; Mine and Unassigned follow; a supervisor reassigns it', async () => {
    const a = actors(stack);
    const mine = (await a.kenya.submit(kenyanRequest(`Browser claim ${unique()}`))).body.reference as string;
    const other = (await a.kenya.submit(kenyanRequest(`Browser other ${unique()}`))).body.reference as string;

    const officer = await as(ACCOUNTS.cted);
    await officer.goto(`/requests/${mine}`);
    const panel = officer.getByTestId('assignment');
    await panel.waitFor();
    expect(await officer.getByTestId('assignee').textContent()).toBe('Nobody yet');
    // Only what allowedActions says: an officer may claim, not assign.
    expect(await panel.getByRole('button', { name: 'Assign', exact: true }).count()).toBe(0);
    const [res] = await Promise.all([
      officer.waitForResponse((r) => r.url().endsWith('/actions/claim') && r.request().method() === 'POST'),
      panel.getByRole('button', { name: 'Take this request' }).click(),
    ]);
    expect(res.status()).toBe(200);
    await officer.getByTestId('assignee').getByText('CTED Officer').waitFor();
    await panel.getByRole('button', { name: 'Unassign' }).waitFor();
    // Claiming is not among the decisions' buttons.
    expect(await officer.getByRole('button', { name: 'Take this request' }).count()).toBe(0);
    expect(await axeViolations(officer)).toEqual([]);

    // The work queue: "Mine" has it with its assignee, "Unassigned" has the other one only.
    expect(await queueRows(officer, 'me', [mine, other])).toEqual([`${mine} | CTED Officer`]);
    expect(await queueRows(officer, 'unassigned', [mine, other])).toEqual([`${other} | —`]);
    await officer.goto('/');
    await officer.getByTestId('queue-filter').getByText('Mine').click();
    await officer.waitForURL(/assignee=me/);
    await officer.getByRole('link', { name: mine }).waitFor();
    expect(await officer.getByRole('link', { name: other }).count()).toBe(0);

    // The supervisor reassigns it to the second officer, from the same page.
    const supervisor = await as(ACCOUNTS.ctedSupervisor);
    await supervisor.goto(`/requests/${mine}`);
    const supPanel = supervisor.getByTestId('assignment');
    await supPanel.getByLabel('Assign to').selectOption({ label: 'CTED Officer (second) (CTED officer)' });
    const [assigned] = await Promise.all([
      supervisor.waitForResponse((r) => r.url().endsWith('/actions/assign') && r.request().method() === 'POST'),
      supPanel.getByRole('button', { name: 'Assign', exact: true }).click(),
    ]);
    expect(assigned.status()).toBe(200);
    await supervisor.getByTestId('assignee').getByText('CTED Officer (second)').waitFor();

    // A focal point sees no assignment at all, in its own language too.
    const kenya = await as(ACCOUNTS.kenya, 'fr-FR');
    await kenya.goto(`/requests/${mine}`);
    await kenya.getByTestId('stage').waitFor();
    expect(await kenya.getByTestId('assignment').count()).toBe(0);

    for (const page of [officer, supervisor, kenya]) expect(await missingKeys(page)).toEqual([]);
    await a.kenya.decide(mine, 'withdraw', { reason: 'Test over' });
    await a.kenya.decide(other, 'withdraw', { reason: 'Test over' });
  });
});
