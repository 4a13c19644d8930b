/**
 * Numbers rounded for people, the one definition: the UI uses them through src/ui/format.ts, the export
 * bundle's README and report directly (client may not import ui). Files for programs keep exact values.
 */

const missing = (v: number | null | undefined): v is null | undefined =>
  v === null || v === undefined || !Number.isFinite(v);

const COUNT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 12000 -> '12,000'. */
export function formatCount(n: number | null | undefined): string {
  return missing(n) ? '—' : COUNT.format(n);
}

const SIGNIFICANT = new Map<number, Intl.NumberFormat>();

/** `digits` significant digits, with thousands separators: 4.85201 -> '4.852', 0.0123456 -> '0.01235'. */
export function formatSignificant(v: number | null | undefined, digits: number): string {
  if (missing(v)) return '—';
  let format = SIGNIFICANT.get(digits);
  if (!format) {
    format = new Intl.NumberFormat('en-US', { minimumSignificantDigits: digits, maximumSignificantDigits: digits });
    SIGNIFICANT.set(digits, format);
  }
  return format.format(v);
}

/** 4 significant digits: '4.852'; a diverged loss reads 'NaN' or '∞', never a dash. */
export function formatLoss(loss: number | null | undefined): string {
  if (loss === null || loss === undefined) return '—';
  if (Number.isNaN(loss)) return 'NaN';
  if (!Number.isFinite(loss)) return loss > 0 ? '∞' : '−∞';
  return formatSignificant(loss, 4);
}
