import type { Page } from '@playwright/test';

/** Seconds per step from a label such as 'wasm — 250 ms per step' or 'WebGL — 2.4 s per step'. */
function secondsIn(label: string): number | null {
  const match = /([\d.]+) (ms|s) per step/.exec(label);
  if (!match) return null;
  return Number(match[1]) / (match[2] === 'ms' ? 1000 : 1);
}

/** The chooser's options: value, label, the measured seconds per step (null: failed or not compared). */
export async function backendOptions(page: Page): Promise<{ value: string; label: string; seconds: number | null }[]> {
  const chooser = page.getByRole('combobox', { name: 'Backend' });
  const raw = await chooser
    .locator('option')
    .evaluateAll((els) => els.map((el) => ({ value: (el as HTMLOptionElement).value, label: el.textContent ?? '' })));
  return raw.map((o) => ({ ...o, seconds: secondsIn(o.label) }));
}
