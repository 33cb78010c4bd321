// The range picker's presets and the bucket grain each one reads best at.

export const RANGES = [
  { id: "24h", label: "24 h", name: "Last 24 hours", hours: 24, grain: "1h" },
  { id: "7d", label: "7 d", name: "Last 7 days", hours: 24 * 7, grain: "1h" },
  { id: "30d", label: "30 d", name: "Last 30 days", hours: 24 * 30, grain: "1d" },
  { id: "90d", label: "90 d", name: "Last 90 days", hours: 24 * 90, grain: "1d" },
];
export const DEFAULT_RANGE = "7d";

const GRAIN_SECONDS = { "1m": 60, "5m": 300, "1h": 3600, "1d": 86400 };

function rfc3339(date) {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

// [from, to) ending at the next whole bucket after `now`: buckets are whole, and every panel (and
// every reload within the bucket) sends the same request, which the report API's cache answers.
export function rangeFor(preset, now = new Date()) {
  const step = GRAIN_SECONDS[preset.grain] * 1000;
  const to = new Date(Math.ceil(now.getTime() / step) * step);
  const from = new Date(to.getTime() - preset.hours * 3600 * 1000);
  return { from: rfc3339(from), to: rfc3339(to), grain: preset.grain };
}

// The preset's grain when the panel's metrics have it, else the finest coarser one they have
// (daily-only marts answer a 24-hour range with its days).
export function grainFor(preferred, available) {
  const wanted = GRAIN_SECONDS[preferred];
  const coarser = available
    .filter((grain) => GRAIN_SECONDS[grain] >= wanted)
    .sort((a, b) => GRAIN_SECONDS[a] - GRAIN_SECONDS[b]);
  return coarser[0] ?? available[available.length - 1];
}
