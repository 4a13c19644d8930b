import { expect, type Page } from '@playwright/test';

/** The live views' tabs (ui/layout/LiveTabs.tsx). */
export type LiveTab = 'Training' | 'Representation health' | 'Map and neighbours' | 'Evaluation';

/** Selects a live-view tab (its panel shows; the others stay mounted but hidden). */
export async function showTab(page: Page, name: LiveTab): Promise<void> {
  const tab = page.getByRole('tablist', { name: 'Live views' }).getByRole('tab', { name, exact: true });
  await tab.click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');
}

/** Opens a <details> (Advanced settings, Augmentation parameters) if it is closed. */
export async function openDetails(page: Page, summary: string): Promise<void> {
  const details = page.locator('details').filter({ has: page.locator(`summary:text-is("${summary}")`) });
  if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await details.locator('summary').click();
}

export const openAdvanced = (page: Page) => openDetails(page, 'Advanced settings');
