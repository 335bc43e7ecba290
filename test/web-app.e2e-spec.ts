/// <reference lib="dom" />
import { existsSync, mkdirSync, readFileSync } from 'fs';
import * as path from 'path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { ACCOUNTS, activity, actors, kenyanRequest, waitFor } from './api-fixtures';
import { axeViolations, launchBrowser, missingKeys, newContext, serve, signIn } from './support/browser';
import { useStack } from './support/test-stack';
import { webDistPath } from '../apps/api/src/web-app';

jest.setTimeout(300_000);
process.env.AUTH_RATE_LIMIT_PER_MINUTE = '1000';

const PASSWORDS: Record<string, string> = {
  [ACCOUNTS.kenya]: 'Focal-Point-2026!',
  [ACCOUNTS.indonesia]: 'Focal-Point-2026!',
  [ACCOUNTS.cted]: 'Cted-Officer-2026!',
  [ACCOUNTS.unodc]: 'Unodc-Manager-2026!',
  [ACCOUNTS.admin]: 'Admin-Ctap-2026!',
};
const SHOTS = path.resolve(__dirname, '../docs/screenshots');
const label = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);

/** What the focused element is called (its label, aria-label or text) and whether its focus is visible. */
async function focused(page: Page): Promise<{ name: string; visible: boolean }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    const labels = (el as HTMLInputElement | null)?.labels;
    const name = (labels?.[0]?.textContent ?? el?.getAttribute('aria-label') ?? el?.textContent ?? '').trim();
    // The ring may be drawn by the control's box around its inner input (a multi-select's pills).
    // On a date field's calendar button (inside the browser's own shadow tree, so the field itself
    // is not :focus) Chromium draws its own ring around the button.
    let visible = el instanceof HTMLInputElement && el.type === 'date' && !el.matches(':focus');
    for (let e: HTMLElement | null = el, up = 0; e && up < 4 && !visible; e = e.parentElement, up++) {
      const style = getComputedStyle(e);
      visible = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
    }
    return { name, visible };
  });
}

/**
 * Tabs forward until the focused control has this name (no mouse, no programmatic focus), and
 * checks that every control it stops on shows where the focus is (WCAG 2.4.7).
 */
async function tabUntil(page: Page, name: RegExp): Promise<void> {
  for (let i = 0; i < 120; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (!f.visible) throw new Error(`focus on "${f.name}" is not visible`);
    if (name.test(f.name)) return;
  }
  throw new Error(`could not reach ${name} with Tab`);
}

describe('Web application in a real browser (chromium), against the real API, worker, Postgres and Temporal', () => {
  if (!existsSync(path.join(webDistPath(), 'index.html')))
    throw new Error('apps/web/dist is missing: run `npm run build:web` (make test does) before the browser tests');
  const stack = useStack('web-app');
  let browser: Browser;
  let baseURL: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    baseURL = await serve(stack);
    browser = await launchBrowser();
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
  });

  async function as(email: string, locale = 'en-GB'): Promise<Page> {
    const context = await newContext(browser, baseURL, locale);
    contexts.push(context);
    const page = await context.newPage();
    await signIn(page, email, PASSWORDS[email]);
    return page;
  }

  /** Opens a decision form by its button, lets `fill` complete it, submits, expects the API's 200. */
  async function decide(page: Page, reference: string, button: string, fill: (form: Locator) => Promise<void>) {
    await page.goto(`/requests/${reference}`);
    await page.getByRole('button', { name: button, exact: true }).click();
    const form = page.locator('form[data-testid^="form-"]');
    await form.waitFor();
    await fill(form);
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/actions/') && r.request().method() === 'POST'),
      form.locator('button[type=submit]').click(),
    ]);
    if (res.status() !== 200) throw new Error(`${button}: ${res.status()} ${await res.text()}`);
  }

  async function stageIs(page: Page, reference: string, stage: string) {
    for (let i = 0; i < 40; i++) {
      await page.goto(`/requests/${reference}`);
      if ((await page.getByTestId('stage').textContent()) === stage) return;
      await page.waitForTimeout(250);
    }
    throw new Error(`${reference} never reached ${stage}`);
  }

  it('serves the app at / beside the API: hashed assets cached for a year, index.html never, client routes on reload', async () => {
    const index = await stack.http.get('/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toMatch(/text\/html/);
    expect(index.headers['cache-control']).toBe('no-cache');
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(index.text)![1];
    const js = await stack.http.get(asset);
    expect(js.status).toBe(200);
    expect(js.headers['cache-control']).toMatch(/max-age=31536000.*immutable/);
    const deep = await stack.http.get('/requests/CTAP-2026-000001');
    expect(deep.status).toBe(200);
    expect(deep.text).toBe(index.text);
    const api = await stack.http.get('/api/v1/no-such-route');
    expect(api.status).toBe(404);
    expect(api.headers['content-type']).toMatch(/problem\+json/);
    expect((await stack.http.get('/health')).headers['content-type']).toMatch(/json/);
  });

  it('stays signed in when a reload cuts a session refresh short (the server rotated, the page never read the answer)', async () => {
    const cted = await as(ACCOUNTS.cted);
    const cookieBefore = (await cted.context().cookies()).find((c) => c.name === 'ctap_refresh')!;
    let rotated!: () => void;
    const rotatedOnServer = new Promise<void>((resolve) => (rotated = resolve));
    await cted.route('**/api/v1/auth/session/refresh', async (route) => {
      const answer = await route.fetch();
      expect(answer.status()).toBe(200);
      rotated();
      await route.abort('connectionaborted');
    });
    await cted.reload();
    await rotatedOnServer;
    await cted.unroute('**/api/v1/auth/session/refresh');
    // The browser kept the cookie it sent: the aborted answer's Set-Cookie was never read.
    await cted.context().addCookies([cookieBefore]);
    await cted.reload();
    await cted.getByTestId('who').waitFor();
    expect(new URL(cted.url()).pathname).not.toMatch(/^\/sign-in/);
    // The same session goes on: the next refresh rotates again, nothing was revoked.
    const sessionId = cookieBefore.value.split('.')[0];
    const [row] = await stack.ds.query('SELECT revoked_at, rotated_at FROM user_sessions WHERE id = $1', [sessionId]);
    expect(row).toMatchObject({ revoked_at: null });
    expect(row.rotated_at).not.toBeNull();
  });

  it("takes the README's lifecycle through the browser as the three roles, ending closed with its follow-up", async () => {
    const kenya = await as(ACCOUNTS.kenya);
    const cted = await as(ACCOUNTS.cted);
    const unodc = await as(ACCOUNTS.unodc);

    // 1. Kenya submits (the form keeps a draft until sent).
    await kenya.goto('/requests/new');
    const submit = kenya.getByTestId('submit-form');
    await submit.getByLabel(label('Title')).fill('Incorporate the universal instruments into national law');
    await submit.getByRole('button', { name: 'Add a need' }).click();
    const need = (i: number) => submit.getByRole('group', { name: `Need ${i}` });
    await need(1).getByLabel(label('Thematic area')).selectOption('legislative_incorporation');
    await need(1).getByLabel(label('Description')).fill('Review the draft Prevention of Terrorism Bill');
    await need(2).getByLabel(label('Thematic area')).selectOption('countering_terrorist_financing');
    await need(2).getByLabel(label('Description')).fill('Train the financial intelligence unit');
    await submit.getByRole('button', { name: 'Send the request' }).click();
    await kenya.waitForURL(/\/requests\/CTAP-\d{4}-\d{6}$/);
    const ref = kenya.url().split('/').pop()!;
    await stageIs(kenya, ref, 'CTED review');
    expect(await kenya.getByTestId('owner').textContent()).toContain('CTED officer');

    // The request is in CTED's work queue.
    await cted.goto('/');
    await expect(cted.getByRole('link', { name: ref })).toBeTruthy();
    await cted.getByRole('link', { name: ref }).waitFor();
    // An urgent request comes before it, marked as urgent.
    const urgentRef: string = (
      await actors(stack).kenya.submit({ ...kenyanRequest('Urgent: border security legislation'), urgency: 'urgent' })
    ).body.reference;
    await waitFor(
      'the urgent request to have its deadline',
      async () => (await actors(stack).cted.get(`/api/v1/requests/${urgentRef}`)).body.nextDeadlineAt,
    );
    await cted.goto('/');
    const urgentRow = cted.getByRole('row').filter({ has: cted.getByRole('link', { name: urgentRef }) });
    await urgentRow.waitFor();
    expect(await urgentRow.textContent()).toContain('Urgent');
    const rows = await cted.getByRole('row').allTextContents();
    expect(rows.findIndex((r) => r.includes(urgentRef))).toBeLessThan(rows.findIndex((r) => r.includes(ref)));
    await cted.screenshot({ path: path.join(SHOTS, 'work-queue-en.png'), fullPage: true });

    // 2. CTED asks for information; Kenya answers (the clock stops meanwhile).
    await decide(cted, ref, 'Ask the State for information', async (f) => {
      await f.getByLabel(label('Questions')).fill('Which ministry leads the drafting of the bill?');
    });
    await stageIs(kenya, ref, 'Awaiting information');
    await kenya.getByTestId('clock-stopped').waitFor();
    await decide(kenya, ref, "Answer CTED's questions", async (f) => {
      await f.getByLabel(label('Answer')).fill('The Office of the Attorney-General leads the drafting.');
    });

    // 3. CTED refers need-1 to UNODC and need-2 to the IMF.
    await decide(cted, ref, 'Refer the needs', async (f) => {
      const sets = f.locator('fieldset');
      await sets.nth(0).getByLabel(label('Rationale')).fill('TPB leads legislative assistance');
      await sets.nth(1).getByLabel(label('Provider')).selectOption('external');
      await sets.nth(1).getByLabel(label('Name of the provider')).fill('International Monetary Fund');
      await sets.nth(1).getByLabel(label('Rationale')).fill('The IMF already runs an FIU programme');
      await cted.screenshot({ path: path.join(SHOTS, 'decision-form-en.png'), fullPage: true });
    });
    await stageIs(unodc, ref, 'UNODC planning');

    // 4. UNODC proposes a plan; Kenya agrees.
    await decide(unodc, ref, 'Propose a work plan', async (f) => {
      await f.getByRole('button', { name: 'Add an activity' }).click();
      const rows = [
        [
          'drafting-ws',
          'National legislative drafting workshop',
          'national_legislative_drafting_workshop',
          'legislative_incorporation',
          '2026-03-01',
          '2026-03-03',
          '20000',
        ],
        [
          'fiu-training',
          'FIU analyst training',
          'national_training_workshop',
          'countering_terrorist_financing',
          '2026-03-02',
          '2026-03-03',
          '15000',
        ],
      ];
      for (const [i, [key, title, modality, area, start, end, budget]] of rows.entries()) {
        const a = f.getByRole('group', { name: `Activity ${i + 1}` });
        await a.getByLabel(label('Short key')).fill(key);
        await a.getByLabel(label('Activity')).fill(title);
        await a.getByLabel(label('Modality')).selectOption(modality);
        await a.getByLabel(label('Thematic area')).selectOption(area);
        await a.getByLabel(label('Start date')).fill(start);
        await a.getByLabel(label('End date')).fill(end);
        await a.getByLabel(label('Place')).fill('Nairobi');
        await a.getByLabel(label('Budget')).fill(budget);
      }
    });
    await decide(kenya, ref, 'Accept the work plan', async () => undefined);

    // 5. UNODC consults CTED, records funding and approves: delivery starts.
    await decide(unodc, ref, 'Record the CTED consultation', async (f) => {
      await f.getByLabel(label('Summary')).fill('CTED agrees; no overlap with the IMF programme');
    });
    await decide(unodc, ref, 'Record funding', async (f) => {
      await f.getByLabel(label('Pledge reference')).fill(`PLEDGE-NOR-${ref}`);
      await f.getByLabel(label('Donor')).fill('Norway');
      await f.getByLabel(label('Amount')).fill('35000');
    });
    await decide(unodc, ref, 'Approve the work plan', async () => undefined);
    await stageIs(unodc, ref, 'Delivery');

    // 6. UNODC reports each activity delivered; CTED records the IMF's outcome; UNODC completes delivery.
    for (const key of ['drafting-ws', 'fiu-training']) {
      const card = unodc.getByTestId(`activity-${key}`);
      for (let i = 0; i < 40 && !(await card.getByRole('button', { name: 'Report delivered' }).isVisible()); i++) {
        await unodc.waitForTimeout(250);
        await unodc.goto(`/requests/${ref}`);
      }
      await card.getByRole('button', { name: 'Report delivered' }).click();
      const form = unodc.getByTestId(`form-report-delivered-${key}`);
      await form.getByLabel(label('Kenya')).fill('25');
      await form.getByLabel(label('Judges')).fill('10');
      await form.getByLabel(label('Prosecutors')).fill('12');
      const [res] = await Promise.all([
        unodc.waitForResponse((r) => r.url().includes('/report-delivered')),
        form.locator('button[type=submit]').click(),
      ]);
      expect(res.status()).toBe(200);
    }
    await decide(cted, ref, "Record a referral's outcome", async (f) => {
      await f.getByLabel(label('Notes')).fill('IMF delivered FIU analyst training');
    });
    await decide(unodc, ref, 'Complete delivery', async (f) => {
      await f.getByLabel(label('Summary')).fill('Both activities delivered');
    });
    await stageIs(kenya, ref, 'Follow-up evaluation');

    // 7. Indicators, then the State's evaluation with a further need: closed, and a follow-up opened.
    await decide(unodc, ref, 'Record results indicators', async (f) => {
      await f.getByRole('button', { name: 'Add a ratification' }).click();
      await f.getByLabel(label('Instrument')).selectOption('2005-NUCLEAR-TERRORISM');
      await f.getByLabel(label('Deposited on')).fill('2026-06-01');
      await f.getByLabel(label('Officials trained')).fill('44');
    });
    await decide(kenya, ref, 'Submit the evaluation', async (f) => {
      await f.getByLabel(label('Relevance')).fill('5');
      await f.getByLabel(label('Usefulness')).fill('4');
      await f.getByLabel(label('Comments')).fill('The workshop unblocked the bill');
      await f.getByRole('button', { name: 'Add a need' }).click();
      const n = f.getByRole('group', { name: 'Need 1' });
      await n.getByLabel(label('Thematic area')).selectOption('criminal_justice_capacity');
      await n.getByLabel(label('Description')).fill('Train judges on the new law');
    });
    await stageIs(kenya, ref, 'Closed');
    expect(await kenya.getByTestId('outcome').textContent()).toBe('Completed');
    for (let i = 0; i < 40 && !(await kenya.getByTestId('follow-ups').isVisible()); i++) {
      await kenya.waitForTimeout(250);
      await kenya.goto(`/requests/${ref}`);
    }
    expect(await kenya.getByTestId('follow-ups').textContent()).toContain(`${ref}-F1`);
    await kenya.screenshot({ path: path.join(SHOTS, 'request-page-en.png'), fullPage: true });
    const timeline = await kenya.getByTestId('timeline').textContent();
    expect(timeline).toContain('CTED Officer');
    expect(timeline).toContain('Work plan approved');
  });

  it("never shows a focal point another State's request, not even by its URL", async () => {
    const submitted = await actors(stack).kenya.submit(kenyanRequest('Kenya only'));
    const ref: string = submitted.body.reference;
    const indonesia = await as(ACCOUNTS.indonesia);
    await indonesia.goto(`/requests/${ref}`);
    await indonesia.getByTestId('request-not-found').waitFor();
    expect(await indonesia.getByText('Kenya only').count()).toBe(0);
    await indonesia.goto(`/requests?q=${encodeURIComponent('Kenya only')}`);
    await indonesia.getByText('No request matches.').waitFor();
  });

  it('shows the reason on the field when the server refuses a decision', async () => {
    const a = actors(stack);
    const ref: string = (await a.kenya.submit(kenyanRequest())).body.reference;
    await a.cted.decide(ref, 'request-information', { questions: ['Which ministry?'] }).catch(async () => {
      await new Promise((r) => setTimeout(r, 1000));
      await a.cted.decide(ref, 'request-information', { questions: ['Which ministry?'] });
    });
    const kenya = await as(ACCOUNTS.kenya);
    await kenya.goto(`/requests/${ref}`);
    await kenya.getByRole('button', { name: "Answer CTED's questions" }).click();
    const form = kenya.getByTestId('form-provide_information');
    // Longer than the API accepts (20,000 characters): only the server checks that.
    await form.getByLabel(label('Answer')).fill('x'.repeat(20_001));
    const [res] = await Promise.all([
      kenya.waitForResponse((r) => r.url().includes('/actions/provide-information')),
      form.locator('button[type=submit]').click(),
    ]);
    expect(res.status()).toBe(400);
    const field = form.getByLabel(label('Answer'));
    // The answer arrives before React renders it: wait for the field to be marked.
    await form
      .locator('textarea[aria-invalid="true"], input[aria-invalid="true"]')
      .first()
      .waitFor({ timeout: 10_000 });
    await expect(field.getAttribute('aria-invalid')).resolves.toBe('true');
    const describedBy = (await field.getAttribute('aria-describedby')) ?? '';
    const messages = await Promise.all(
      describedBy
        .split(' ')
        .filter(Boolean)
        .map((id) => kenya.locator(`[id="${id}"]`).textContent()),
    );
    // The server's rule for this field, worded by the web (the client does not check the length).
    expect(messages.join(' ')).toMatch(/at most 20,000 characters/);
  });

  it('says so clearly when someone else acted first (409), and a double click is applied once', async () => {
    const a = actors(stack);
    const ref: string = (await a.kenya.submit(kenyanRequest())).body.reference;
    const cted = await as(ACCOUNTS.cted);
    await cted.goto(`/requests/${ref}`);
    await cted.getByRole('button', { name: 'Decline the request', exact: true }).click();
    const form = cted.getByTestId('form-decline');
    await form.getByLabel(label('Reason')).fill('Duplicate of another request');
    // Meanwhile another CTED officer asks the State for information: declining is no longer allowed.
    await a.cted.decide(ref, 'request-information', { questions: ['Which ministry?'] }).catch(async () => {
      await new Promise((r) => setTimeout(r, 1000));
      await a.cted.decide(ref, 'request-information', { questions: ['Which ministry?'] });
    });
    const [res] = await Promise.all([
      cted.waitForResponse((r) => r.url().includes('/actions/decline')),
      form.locator('button[type=submit]').click(),
    ]);
    expect(res.status()).toBe(409);
    expect(await cted.getByTestId('form-error').textContent()).toContain('someone else may have acted first');

    // Kenya answers with a double click: one provide_information event.
    const kenya = await as(ACCOUNTS.kenya);
    await kenya.goto(`/requests/${ref}`);
    await kenya.getByRole('button', { name: "Answer CTED's questions" }).click();
    const answer = kenya.getByTestId('form-provide_information');
    await answer.getByLabel(label('Answer')).fill('The Ministry of Justice');
    await answer.locator('button[type=submit]').dblclick();
    await stageIs(kenya, ref, 'CTED review');
    const detail = (await a.kenya.get(`/api/v1/requests/${ref}`)).body;
    expect(detail.timeline.filter((e: { type: string }) => e.type === 'provide_information')).toHaveLength(1);
  });

  it('submits a request with the keyboard alone', async () => {
    const kenya = await as(ACCOUNTS.kenya);
    await kenya.goto('/requests/new');
    await kenya.getByTestId('submit-form').waitFor();
    const tabTo = (name: RegExp) => tabUntil(kenya, name);
    await tabTo(/^Title/);
    await kenya.keyboard.type('Keyboard-only request');
    await tabTo(/^Thematic area/);
    for (let i = 0; i < 3; i++) await kenya.keyboard.press('ArrowDown');
    await tabTo(/^Description/);
    await kenya.keyboard.type('Everything typed, nothing clicked');
    await tabTo(/^Send the request/);
    await kenya.keyboard.press('Enter');
    await kenya.waitForURL(/\/requests\/CTAP-\d{4}-\d{6}$/);
    // The request page replaces the form once it has loaded the new request.
    await kenya.getByRole('heading', { level: 1, name: 'Keyboard-only request' }).waitFor();
  });

  it('passes axe-core with no serious or critical violation on every page', async () => {
    const a = actors(stack);
    const ref: string = (await a.kenya.submit(kenyanRequest())).body.reference;
    const results: Record<string, unknown[]> = {};
    const anon = await newContext(browser, baseURL);
    contexts.push(anon);
    const signInPage = await anon.newPage();
    await signInPage.goto('/sign-in');
    await signInPage.locator('input[type=email]').waitFor();
    results['sign-in'] = await axeViolations(signInPage);

    const cted = await as(ACCOUNTS.cted);
    const visit = async (page: Page, name: string, url: string, ready: () => Promise<unknown>) => {
      await page.goto(url);
      await ready();
      results[name] = await axeViolations(page);
    };
    await visit(cted, 'work queue', '/', () => cted.getByRole('heading', { name: 'Work queue' }).waitFor());
    await visit(cted, 'request list', '/requests', () => cted.getByRole('link', { name: ref }).waitFor());
    await visit(cted, 'request page', `/requests/${ref}`, () => cted.getByTestId('timeline').waitFor());
    await cted.getByRole('button', { name: 'Refer the needs', exact: true }).click();
    await cted.getByTestId('form-refer_needs').waitFor();
    results['decision form'] = await axeViolations(cted);
    await visit(cted, 'submission', '/requests/new', () => cted.getByTestId('submit-form').waitFor());
    await visit(cted, 'reports', '/reports', () => cted.locator('table').first().waitFor());
    const kenya = await as(ACCOUNTS.kenya);
    await visit(kenya, 'reports (focal point)', '/reports', () => kenya.locator('table').first().waitFor());
    await kenya.getByTestId('notification-bell').click();
    await kenya.getByTestId('notifications').waitFor();
    results['notifications'] = await axeViolations(kenya);
    const admin = await as(ACCOUNTS.admin);
    await visit(admin, 'users', '/admin/users', () => admin.locator('table').waitFor());
    console.log(
      `axe (serious + critical violations per page): ${JSON.stringify(Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v.length])))}`,
    );
    expect(results).toEqual(Object.fromEntries(Object.keys(results).map((k) => [k, []])));
  });

  it('speaks Arabic right to left and French, with no missing string, and keeps the choice per user', async () => {
    const a = actors(stack);
    const ref: string = (await a.kenya.submit(kenyanRequest())).body.reference;
    for (const lang of ['ar', 'fr'] as const) {
      const page = await as(ACCOUNTS.cted);
      await page.getByLabel(/Language|اللغة|Langue/).selectOption(lang);
      await page.waitForFunction((l) => document.documentElement.lang === l, lang);
      expect(await page.evaluate(() => document.documentElement.dir)).toBe(lang === 'ar' ? 'rtl' : 'ltr');
      for (const url of ['/', '/requests', `/requests/${ref}`, '/requests/new', '/reports']) {
        await page.goto(url);
        await page.locator('main h1').first().waitFor();
        await page.waitForLoadState('networkidle');
        expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
        if (lang === 'ar') {
          expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
          const shot = { '/': 'work-queue', [`/requests/${ref}`]: 'request-page', '/reports': 'reports' }[url];
          if (shot) await page.screenshot({ path: path.join(SHOTS, `${shot}-ar.png`), fullPage: true });
        }
      }
      if (lang === 'ar') {
        expect(await page.getByRole('link', { name: 'التقارير' }).count()).toBe(1);
        await page.goto(`/requests/${ref}`);
        await page.getByRole('button', { name: 'إحالة الاحتياجات' }).click();
        await page.screenshot({ path: path.join(SHOTS, 'decision-form-ar.png'), fullPage: true });
      } else {
        expect(await page.getByRole('link', { name: 'Rapports' }).count()).toBe(1);
      }
      expect(await missingKeys(page)).toEqual([]);
    }
    // Kept on the server: a new session starts in the last language chosen.
    const again = await as(ACCOUNTS.cted, 'en-GB');
    await again.waitForFunction(() => document.documentElement.lang === 'fr');
    await again.getByLabel('Langue').selectOption('en');
    await again.waitForFunction(() => document.documentElement.lang === 'en');
  });

  it('shows the reports as chart and table, and the first page loads fast', async () => {
    const context = await newContext(browser, baseURL);
    contexts.push(context);
    const page = await context.newPage();
    const started = Date.now();
    await page.goto('/sign-in');
    await page.locator('input[type=email]').waitFor();
    const firstLoadMs = Date.now() - started;
    const nav = await page.evaluate(() => {
      const n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      return { domInteractive: Math.round(n.domInteractive), loadEvent: Math.round(n.loadEventEnd) };
    });
    console.log(`first load (cold cache): sign-in form visible after ${firstLoadMs} ms; ${JSON.stringify(nav)}`);
    expect(firstLoadMs).toBeLessThan(3000);
    const unodc = await as(ACCOUNTS.unodc);
    await unodc.goto('/reports?report=states-assisted');
    await unodc.locator('table').first().waitFor();
    await unodc.screenshot({ path: path.join(SHOTS, 'reports-en.png'), fullPage: true });
  });

  it('takes the whole lifecycle with the keyboard alone, focus always visible', async () => {
    const a = actors(stack);
    const ref: string = (await a.kenya.submit(kenyanRequest('Keyboard decisions'))).body.reference;
    const cted = await as(ACCOUNTS.cted);
    const kenya = await as(ACCOUNTS.kenya);
    const unodc = await as(ACCOUNTS.unodc);
    const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    /** A step of a form: tab to the named control, then type text or press keys. */
    type Step = [RegExp, string | string[]];
    /**
     * Opens a decision by its button (Tab, Enter), fills it by typing, sends it with Enter on its
     * submit button; expects the API's 200.
     */
    async function byKeyboard(page: Page, button: string, steps: Step[], urlPart = '/actions/') {
      await page.goto(`/requests/${ref}`);
      await page.getByTestId('timeline').waitFor();
      // Every section loaded (plan, activities, evaluation): one still loading moves focus as it renders.
      await page.waitForLoadState('networkidle');
      await tabUntil(page, exactly(button));
      await page.keyboard.press('Enter');
      for (const [name, input] of steps) {
        await tabUntil(page, name);
        if (typeof input === 'string') await page.keyboard.type(input);
        else for (const key of input) await page.keyboard.press(key);
      }
      await tabUntil(page, /^Submit decision$/);
      const [res] = await Promise.all([
        page.waitForResponse((r) => r.url().includes(urlPart) && r.request().method() === 'POST'),
        page.keyboard.press('Enter'),
      ]);
      expect({ button, status: res.status(), body: res.status() === 200 ? '' : await res.text() }).toEqual({
        button,
        status: 200,
        body: '',
      });
    }
    await byKeyboard(cted, 'Ask the State for information', [[/^Questions/, 'Which ministry leads?']]);
    await stageIs(kenya, ref, 'Awaiting information');
    await byKeyboard(kenya, "Answer CTED's questions", [[/^Answer/, 'The Ministry of Justice']]);
    await stageIs(cted, ref, 'CTED review');
    await byKeyboard(cted, 'Refer the needs', [
      [/^Rationale/, 'TPB leads legislative assistance'],
      [/^Rationale/, 'TPB trains FIUs too'],
    ]);
    await stageIs(unodc, ref, 'UNODC planning');
    // Dates are typed segment by segment, in the order the browser's date field shows them.
    await byKeyboard(unodc, 'Propose a work plan', [
      [/^Short key/, 'kb-ws'],
      [/^Activity/, 'Keyboard workshop'],
      [/^Modality/, ['ArrowDown']],
      [/^Thematic area/, ['ArrowDown']],
      [/^Start date/, '01032026'],
      [/^End date/, '02032026'],
      [/^Place/, 'Nairobi'],
      [/^Budget/, '12000'],
    ]);
    await byKeyboard(kenya, 'Accept the work plan', []);
    await byKeyboard(unodc, 'Record the CTED consultation', [[/^Summary/, 'CTED agrees']]);
    await byKeyboard(unodc, 'Record funding', [
      [/^Pledge reference/, `PLEDGE-KB-${ref}`],
      [/^Donor/, 'Norway'],
      [/^Amount/, '12000'],
    ]);
    await byKeyboard(unodc, 'Approve the work plan', []);
    await stageIs(unodc, ref, 'Delivery');
    // Approval answers once the activity exists, so its action is offered on the next load: no reloading
    // in a loop (each reload rotates the session's refresh cookie, and an aborted rotation signs out).
    await unodc.goto(`/requests/${ref}`);
    await unodc.getByRole('button', { name: 'Report delivered' }).waitFor();
    await byKeyboard(unodc, 'Report delivered', [[/^Kenya/, '20']], '/report-delivered');
    await byKeyboard(unodc, 'Complete delivery', [[/^Summary/, 'Delivered']]);
    await stageIs(kenya, ref, 'Follow-up evaluation');
    await byKeyboard(unodc, 'Record results indicators', [[/^Officials trained/, '20']]);
    await byKeyboard(kenya, 'Submit the evaluation', [
      [/^Relevance/, '5'],
      [/^Usefulness/, '4'],
      [/^Comments/, 'Done without a mouse'],
    ]);
    await stageIs(kenya, ref, 'Closed');
  });

  it("lets a focal point see its own State's report figures only", async () => {
    const a = actors(stack);
    const theirs: string = (await a.indonesia.submit(kenyanRequest('Indonesian request for the report'))).body
      .reference;
    const ours: string = (await a.kenya.submit(kenyanRequest('Kenyan request for the report'))).body.reference;
    const today = new Date().toISOString().slice(0, 10);
    const kenya = await as(ACCOUNTS.kenya);
    // A State in the URL is not the focal point's to choose: the figures stay Kenya's.
    const [res] = await Promise.all([
      kenya.waitForResponse((r) => r.url().includes('/api/v1/reports/open-requests')),
      kenya.goto(`/reports?report=open-requests&from=${today}&to=${today}&memberState=IDN`),
    ]);
    expect(res.status()).toBe(200);
    const body = (await res.json()) as {
      memberState: string;
      rows: { scope: string; requests: number; drilldown: { items: { reference: string }[] } }[];
    };
    expect(body.memberState).toBe('KEN');
    expect(await kenya.getByTestId('report-scope').textContent()).toContain('Kenya');
    await kenya.locator('table').first().waitFor();
    await kenya.screenshot({ path: path.join(SHOTS, 'reports-focal-point-en.png'), fullPage: true });
    const total = body.rows.find((r) => r.scope === 'total')!;
    const refs = total.drilldown.items.map((i) => i.reference);
    expect(refs).toContain(ours);
    expect(refs).not.toContain(theirs);
    // CTED's figures for the same day count both States; Kenya's are CTED's for Kenya.
    const all = (await a.cted.get(`/api/v1/reports/open-requests?from=${today}&to=${today}`)).body;
    const forKenya = (await a.cted.get(`/api/v1/reports/open-requests?from=${today}&to=${today}&memberState=KEN`)).body;
    expect(all.rows.find((r: { scope: string }) => r.scope === 'total').requests).toBeGreaterThan(total.requests);
    expect(forKenya.rows).toEqual(body.rows);
    expect((await a.kenya.get(`/api/v1/reports/open-requests?memberState=IDN`)).status).toBe(404);
    // The table's total row, and its drill-down to the requests behind it, in the page.
    const totalRow = kenya.locator('tbody tr').last();
    await totalRow.getByRole('button', { name: `${total.requests} items` }).click();
    // The same figures as CSV, downloaded from the page.
    const [download] = await Promise.all([
      kenya.waitForEvent('download'),
      kenya.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`open-requests_KEN_${today}_${today}.csv`);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\r\n')[0]).toBe('scope,stage,region,requests,overdue,drilldown_total,drilldown');
    expect(csv).toContain(ours);
    expect(csv).not.toContain(theirs);
    await totalRow.getByRole('link', { name: ours }).click();
    await kenya.waitForURL(new RegExp(`/requests/${ours}$`));
    await kenya.getByRole('heading', { level: 1, name: 'Kenyan request for the report' }).waitFor();
  });

  it("files a request on a State's behalf with its consent: that State's focal point sees it, another State does not", async () => {
    const cted = await as(ACCOUNTS.cted);
    await cted.goto('/requests/new');
    const form = cted.getByTestId('submit-form');
    const title = `Filed with consent ${Date.now()}`;
    await form.getByLabel(label('Member State')).selectOption('KEN');
    await form.getByLabel(label('Consent given by')).fill('Permanent Mission of Kenya, Vienna');
    await form.getByLabel(label('Consent given on')).fill('2026-01-15');
    await form.getByLabel(label('Scope of the consent')).fill('Needs found in the 2026 assessment visit');
    await form.getByLabel(label('Title')).fill(title);
    const need = form.getByRole('group', { name: 'Need 1' });
    await need.getByLabel(label('Thematic area')).selectOption('legislative_incorporation');
    await need.getByLabel(label('Description')).fill('Review the draft bill');
    await form.getByRole('button', { name: 'Send the request' }).click();
    await cted.waitForURL(/\/requests\/CTAP-\d{4}-\d{6}$/);
    const ref = cted.url().split('/').pop()!;
    await cted.getByRole('heading', { level: 1, name: title }).waitFor();

    const kenya = await as(ACCOUNTS.kenya);
    await kenya.goto(`/requests/${ref}`);
    await kenya.getByRole('heading', { level: 1, name: title }).waitFor();
    expect(await kenya.getByText('From a CTED assessment').count()).toBeGreaterThan(0);
    const consent = await kenya.getByTestId('consent').textContent();
    expect(consent).toContain('Permanent Mission of Kenya, Vienna');
    expect(consent).toContain('Needs found in the 2026 assessment visit');
    await kenya.goto(`/requests?q=${encodeURIComponent(title)}`);
    await kenya.getByRole('link', { name: ref }).waitFor();

    const indonesia = await as(ACCOUNTS.indonesia);
    await indonesia.goto(`/requests/${ref}`);
    await indonesia.getByTestId('request-not-found').waitFor();
    expect(await indonesia.getByText(title).count()).toBe(0);
    await indonesia.goto(`/requests?q=${encodeURIComponent(title)}`);
    await indonesia.getByText('No request matches.').waitFor();
  });

  it('sorts the request list by the order chosen, kept in the URL', async () => {
    const cted = await as(ACCOUNTS.cted);
    await cted.goto('/requests');
    await cted.locator('tbody tr').first().waitFor();
    await cted.getByLabel('Order').selectOption('reference');
    await cted.waitForURL(/[?&]sort=reference/);
    await cted.waitForLoadState('networkidle');
    const refs = async () => cted.locator('tbody tr td:first-child').allTextContents();
    const first = await refs();
    expect(first.length).toBeGreaterThan(1);
    expect(first).toEqual([...first].sort());
    // Shared by its URL: the same order after a reload.
    await cted.reload();
    await cted.locator('tbody tr').first().waitFor();
    expect(await cted.getByLabel('Order').inputValue()).toBe('reference');
    expect(await refs()).toEqual(first);
    await cted.getByLabel('Order').selectOption('deadline');
    await cted.waitForURL(/[?&]sort=deadline/);
  });

  it('shows notifications under a bell with the unread count: unread first, mark read, mark all read, link to the request', async () => {
    const a = actors(stack);
    const ref: string = (await a.kenya.submit(kenyanRequest('Notified by the bell'))).body.reference;
    await a.cted.decide(ref, 'request-information', { questions: ['Which ministry?'] }).catch(async () => {
      await new Promise((r) => setTimeout(r, 1000));
      await a.cted.decide(ref, 'request-information', { questions: ['Which ministry?'] });
    });
    const kenya = await as(ACCOUNTS.kenya);
    const bell = kenya.getByTestId('notification-bell');
    const item = kenya.getByRole('link', { name: `CTED asks for information on ${ref}` });
    const unread = async () => Number(/(\d+) unread/.exec((await bell.getAttribute('aria-label')) ?? '')![1]);
    for (let i = 0; i < 40; i++) {
      await kenya.goto('/');
      await bell.waitFor();
      await kenya.waitForLoadState('networkidle');
      await bell.click();
      // The list renders once its page has loaded: give it that moment before looking.
      if (
        await item.waitFor({ timeout: 3000 }).then(
          () => true,
          () => false,
        )
      )
        break;
      await kenya.keyboard.press('Escape');
      await kenya.waitForTimeout(500);
    }
    await item.waitFor();
    await kenya.screenshot({ path: path.join(SHOTS, 'notifications-en.png'), fullPage: true });
    const before = await unread();
    expect(before).toBeGreaterThan(0);
    // Unread first: no read notification above an unread one.
    const states = await kenya
      .locator('[data-testid^="notification-"][data-unread]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-unread')));
    expect(states).toEqual([...states].sort().reverse());
    const li = kenya.locator('li', { has: item });
    await Promise.all([
      kenya.waitForResponse((r) => r.url().includes('/read') && r.request().method() === 'POST'),
      li.getByRole('button', { name: `Mark read ${ref}` }).click(),
    ]);
    await kenya.waitForFunction(
      (n) =>
        /(\d+) unread/.exec(
          document.querySelector('[data-testid="notification-bell"]')!.getAttribute('aria-label')!,
        )![1] === String(n),
      before - 1,
    );
    // Read now, so listed after every unread one (maybe on a later page): asked of the API.
    const mine = (await a.kenya.get('/api/v1/notifications?limit=100')).body.items as {
      reference: string;
      kind: string;
      readAt: string | null;
    }[];
    expect(mine.find((n) => n.reference === ref && n.kind === 'information_requested')?.readAt).toEqual(
      expect.any(String),
    );
    if (before - 1 > 0) {
      await kenya.getByRole('button', { name: 'Mark all read' }).click();
      await kenya.waitForFunction(() =>
        document.querySelector('[data-testid="notification-bell"]')!.getAttribute('aria-label')!.includes(' 0 unread'),
      );
    }
    expect(await kenya.getByRole('button', { name: 'Mark all read' }).isDisabled()).toBe(true);
    await item.click();
    await kenya.waitForURL(new RegExp(`/requests/${ref}$`));
    await kenya.getByTestId('timeline').waitFor();
    const violations = await axeViolations(kenya);
    expect(violations).toEqual([]);
  });

  it('keeps a draft in the browser until it is sent', async () => {
    const kenya = await as(ACCOUNTS.kenya);
    await kenya.goto('/requests/new');
    const form = kenya.getByTestId('submit-form');
    await form.getByLabel(label('Title')).fill('A draft that survives a reload');
    await form.getByRole('group', { name: 'Need 1' }).getByLabel(label('Description')).fill('Half written');
    await kenya.reload();
    await kenya.getByTestId('submit-form').waitFor();
    expect(await form.getByLabel(label('Title')).inputValue()).toBe('A draft that survives a reload');
    expect(await form.getByRole('group', { name: 'Need 1' }).getByLabel(label('Description')).inputValue()).toBe(
      'Half written',
    );
    await form.getByRole('button', { name: 'Clear the draft' }).click();
    await kenya.reload();
    await kenya.getByTestId('submit-form').waitFor();
    expect(await form.getByLabel(label('Title')).inputValue()).toBe('');
  });

  it('shows what changed between work plan versions', async () => {
    const a = actors(stack);
    const ref: string = (await a.kenya.submit(kenyanRequest('Plan with a revision'))).body.reference;
    await a.cted.decide(ref, 'refer-needs', {
      referrals: [{ needIds: ['need-1', 'need-2'], provider: { kind: 'unodc_tpb' }, rationale: 'TPB leads' }],
    });
    await a.unodc.decide(ref, 'propose-plan', { activities: [activity('a1'), activity('a2')] });
    await a.kenya.decide(ref, 'request-plan-revision', { planVersion: 1, comments: 'Add the judges' });
    await a.unodc.decide(ref, 'propose-plan', {
      activities: [activity('a1', { budgetUsd: 25000 }), activity('a3', { title: 'Judges training' })],
    });
    const kenya = await as(ACCOUNTS.kenya);
    await kenya.goto(`/requests/${ref}`);
    await kenya.getByText('Earlier versions (2 in all) and what changed').click();
    const diff = kenya.getByTestId('plan-diff-2');
    await diff.waitFor();
    const text = (await diff.textContent()) ?? '';
    expect(text).toContain('From version 1 to version 2');
    expect(text).toContain('Added: Judges training');
    expect(text).toContain('Removed: Drafting workshop a2');
    expect(text).toContain('Drafting workshop a1: budget changed from 20,000 to 25,000');
  });

  /** The texts that describe a field (its error among them), by aria-describedby. */
  async function describedBy(page: Page, field: Locator): Promise<string> {
    const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(' ').filter(Boolean);
    const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).textContent()));
    return texts.join(' ');
  }

  async function chooseLanguage(page: Page, lang: string) {
    await page.getByLabel(/^(Language|Langue|اللغة)$/).selectOption(lang);
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);
  }

  it("words a server refusal in the page's language, and its messages follow a change of language", async () => {
    const a = actors(stack);
    const ref: string = (await a.kenya.submit(kenyanRequest('Loi sur la prévention du terrorisme'))).body.reference;
    await a.cted.decide(ref, 'request-information', { questions: ['Which ministry?'] }).catch(async () => {
      await new Promise((r) => setTimeout(r, 1000));
      await a.cted.decide(ref, 'request-information', { questions: ['Which ministry?'] });
    });
    const kenya = await as(ACCOUNTS.kenya);
    try {
      await kenya.goto(`/requests/${ref}`);
      await kenya.getByRole('button', { name: "Answer CTED's questions" }).click();
      const form = kenya.getByTestId('form-provide_information');
      await form.getByLabel(label('Answer')).fill('x'.repeat(20_001));
      await chooseLanguage(kenya, 'fr');
      const [res] = await Promise.all([
        kenya.waitForResponse((r) => r.url().includes('/actions/provide-information')),
        form.locator('button[type=submit]').click(),
      ]);
      expect(res.status()).toBe(400);
      await form.locator('textarea[aria-invalid="true"]').waitFor();
      expect((await res.json()).errors).toEqual([
        expect.objectContaining({ field: 'answer', rule: 'too_long', params: { min: 1, max: 20000 } }),
      ]);
      const field = form.locator('textarea');
      await expect(field.getAttribute('aria-invalid')).resolves.toBe('true');
      // French words for the server's rule, with the number as French writes it (20 000).
      expect(await describedBy(kenya, field)).toMatch(/Saisissez au plus 20\s000 caractères/);
      expect(await describedBy(kenya, field)).not.toContain('must be');
      expect(await kenya.getByTestId('form-error').textContent()).toBe(
        'Veuillez corriger les champs signalés ci-dessous.',
      );

      // Switched to Arabic: the banner and the field's error are in Arabic, none stays in French.
      await chooseLanguage(kenya, 'ar');
      expect(await kenya.getByTestId('form-error').textContent()).toBe('يُرجى تصحيح الحقول المشار إليها أدناه.');
      expect(await describedBy(kenya, field)).toContain('حرفاً على الأكثر');
      expect(await kenya.locator('main').textContent()).not.toMatch(/Veuillez|Saisissez/);

      // Reference data in Arabic; the timeline in words, never the payload's field names.
      const needs = (await kenya.locator('#needs-title').locator('..').textContent()) ?? '';
      expect(needs).toContain('الإدماج في التشريعات');
      expect(needs).not.toContain('Legislative incorporation');
      const timeline = (await kenya.getByTestId('timeline').textContent()) ?? '';
      for (const key of ['memberState', 'linkedFrom', 'questions', 'origin', 'to, from'])
        expect(timeline).not.toContain(key);
      expect(timeline).toContain('الأسئلة المطروحة');
      // Submitted by Kenya's focal point, not by the system.
      const submitted = kenya.getByTestId('timeline').locator('li').last();
      expect(await submitted.getByTestId('timeline-actor').textContent()).toContain('Kenya focal point');
      expect(await submitted.textContent()).not.toContain('CTAP');
      // The Latin title is isolated from the right-to-left page.
      expect(await kenya.locator('main h1 bdi').textContent()).toBe('Loi sur la prévention du terrorisme');
      expect(await missingKeys(kenya)).toEqual([]);
    } finally {
      await chooseLanguage(kenya, 'en');
    }
  });

  it('closes a recorded decision with a status the focus moves to, keeps line breaks and never clamps a number', async () => {
    const a = actors(stack);
    const request = kenyanRequest('Multi-line need');
    request.needs[0].description = 'Review the draft bill\nwith the drafting committee';
    const ref: string = (await a.kenya.submit(request)).body.reference;
    const cted = await as(ACCOUNTS.cted);
    await cted.goto(`/requests/${ref}`);
    const description = cted.getByText('Review the draft bill', { exact: false });
    expect(await description.evaluate((el) => getComputedStyle(el).whiteSpace)).toBe('pre-wrap');
    expect(await description.evaluate((el) => (el as HTMLElement).innerText)).toBe(
      'Review the draft bill\nwith the drafting committee',
    );

    await decide(cted, ref, 'Ask the State for information', async (f) => {
      await f.getByLabel(label('Questions')).fill('Which ministry?\nBy when?');
    });
    const status = cted.getByTestId('decision-recorded');
    await status.waitFor();
    expect(await status.textContent()).toContain('Recorded: Ask the State for information.');
    expect(await status.evaluate((el) => el.getAttribute('role'))).toBe('status');
    expect(await cted.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('decision-recorded');
    expect(await cted.locator('form[data-testid^="form-"]').count()).toBe(0);
    await cted.getByTestId('stage').filter({ hasText: 'Awaiting information' }).waitFor();
    await cted.getByTestId('timeline').getByText('Questions asked: 2').waitFor();

    // A negative budget is refused on its field, not changed to 0.
    await a.kenya.decide(ref, 'provide-information', { answer: 'Justice' });
    await a.cted.decide(ref, 'refer-needs', {
      referrals: [{ needIds: ['need-1', 'need-2'], provider: { kind: 'unodc_tpb' }, rationale: 'TPB leads' }],
    });
    const unodc = await as(ACCOUNTS.unodc);
    await stageIs(unodc, ref, 'UNODC planning');
    await unodc.getByRole('button', { name: 'Propose a work plan', exact: true }).click();
    const form = unodc.getByTestId('form-propose_plan');
    const budget = form.getByLabel(label('Budget'));
    await budget.fill('-5.5');
    await budget.blur();
    expect(await budget.inputValue()).toBe('-5.5');
    let posted = false;
    unodc.on('request', (r) => {
      if (r.url().includes('/actions/propose-plan')) posted = true;
    });
    await form.locator('button[type=submit]').click();
    await expect(budget.getAttribute('aria-invalid')).resolves.toBe('true');
    expect(await describedBy(unodc, budget)).toContain('Enter a whole number, 0 or more.');
    expect(posted).toBe(false);
  });
});
