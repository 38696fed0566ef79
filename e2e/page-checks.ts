import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };
/** The narrowest phone the layout is built for (checked for sideways scroll only). */
export const NARROW = { width: 360, height: 740 };

/** Pixels the page is wider than the window (0 when nothing scrolls sideways). */
export const sidewaysOverflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/**
 * The serious and critical axe violations on the page (WCAG 2.1 A and AA), Plaid's Link frame aside.
 * The development mailbox shows an email's HTML in a sandboxed frame that runs no script: axe cannot
 * get into it (the run hangs until the test's timeout), so it is left out here and the email itself
 * is checked as a page of its own (e2e/responsive.spec.ts).
 */
export async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .exclude('iframe[title="Plaid Link"]')
    .exclude('iframe.mailbox-html')
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
}

/**
 * The page as it stands, at 1280 and at 390 px (and 360 px for sideways scroll): no sideways scroll on a phone, no serious axe
 * violation at either width, no developer text in what is shown, and a full-page screenshot of each
 * under e2e/screenshots/ for a person to look through.
 */
export async function checkPage(page: Page, name: string) {
  await page.setViewportSize(NARROW);
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(null))));
  expect(await sidewaysOverflow(page), `${name} scrolls sideways at ${NARROW.width} px`).toBeLessThanOrEqual(0);
  for (const size of [DESKTOP, PHONE]) {
    await page.setViewportSize(size);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(null))));
    if (size === PHONE) expect(await sidewaysOverflow(page), `${name} scrolls sideways at ${size.width} px`).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `e2e/screenshots/${name}-${size.width}.png`, fullPage: true });
    expect(await axeViolations(page), `${name} at ${size.width} px`).toEqual([]);
  }
  const text = await page.locator('main').innerText();
  expect(text, `${name} shows developer text`).not.toMatch(/[`{}]|\bINVALID_[A-Z_]+|\bundefined\b|\/\^/);
}
