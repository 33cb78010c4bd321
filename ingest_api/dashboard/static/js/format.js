// Numbers and times as people read them, by the catalogue's unit (count, ratio, ms, ...).

const whole = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
const percent = new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 1 });
const seconds = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

export const NO_VALUE = "–";

export function formatValue(value, unit) {
  if (value === null || value === undefined) return NO_VALUE;
  switch (unit) {
    case "ratio":
      return percent.format(value);
    case "ms":
      return value >= 1000 ? `${seconds.format(value / 1000)} s` : `${whole.format(value)} ms`;
    case "count":
      return whole.format(value);
    default:
      return decimal.format(value);
  }
}

// Axis ticks: the same units, shorter (0.85 → 85%, 12000 → 12k).
const compact = new Intl.NumberFormat(undefined, { notation: "compact", maximumFractionDigits: 1 });
const tickPercent = new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 0 });

export function formatTick(value, unit) {
  if (unit === "ratio") return tickPercent.format(value);
  if (unit === "ms") return value >= 1000 ? `${compact.format(value / 1000)} s` : `${compact.format(value)} ms`;
  return compact.format(value);
}

const dayFormat = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", timeZone: "UTC" });
const hourFormat = new Intl.DateTimeFormat(undefined, {
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});

// A bucket's start in the reader's time zone; daily buckets are UTC days, so show their UTC date.
export function formatBucket(iso, grain) {
  return (grain === "1d" ? dayFormat : hourFormat).format(new Date(iso));
}

export const GRAIN_NAMES = { "1m": "per minute", "5m": "per 5 minutes", "1h": "hourly", "1d": "daily (UTC days)" };
