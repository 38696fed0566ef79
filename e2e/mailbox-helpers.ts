import { expect, type Locator, type Page } from '@playwright/test';

/** The embedded inbox's messages to one address, as the /dev/mailbox page lists them. */
export function messagesTo(page: Page, email: string): Locator {
  return page.getByRole('list', { name: 'Messages' }).getByRole('listitem').filter({ hasText: email });
}

/** Reloads /dev/mailbox until a message to `email` with this subject is listed; opens it and returns its HTML part's URL. */
export async function openMail(page: Page, email: string, subject: string | RegExp, timeout = 90_000): Promise<string> {
  await page.goto('/dev/mailbox');
  const message = messagesTo(page, email).filter({ hasText: subject });
  await expect(async () => {
    await page.reload();
    await expect(message).toHaveCount(1, { timeout: 2_000 });
  }).toPass({ timeout, intervals: [1_000, 2_000, 3_000] });
  await page.goto((await message.getByRole('link').getAttribute('href'))!);
  const open = page.getByRole('article', { name: 'Message' });
  await expect(open.locator('dd').filter({ hasText: subject }).first()).toBeVisible({ timeout: 15_000 });
  const src = await open.locator('iframe[title="HTML part"]').getAttribute('src');
  expect(src).toMatch(/^\/api\/dev\/mailbox\/\d+$/);
  return src!;
}

/** One header of the open message, as the mailbox page's Headers section shows it. */
export async function headerOfOpenMail(page: Page, name: string): Promise<string> {
  const open = page.getByRole('article', { name: 'Message' });
  await open.getByText('Headers', { exact: true }).click();
  const row = open.locator('dl[aria-label="Headers"] > div').filter({ has: page.locator('dt', { hasText: new RegExp(`^${name}$`, 'i') }) });
  return (await row.locator('dd').textContent())!.trim();
}
