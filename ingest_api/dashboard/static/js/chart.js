// Time-series charts with uPlot (installed from npm, served from node_modules/ by the API).
// Colours come from the stylesheet's custom properties, so the charts follow its light/dark theme.

import uPlot from "../../vendor/uPlot.esm.js";
import { NO_VALUE, formatBucket, formatTick, formatValue } from "./format.js";

const HEIGHT = 230;
const PALETTE_SIZE = 8;

function cssVar(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

function seriesColour(index) {
  return cssVar(`--series-${(index % PALETTE_SIZE) + 1}`);
}

// Counts and latencies start at zero (bars and lines that do not exaggerate); rates stay in 0-100 %
// but zoom to the data, since a success rate moving between 85 % and 95 % is the story.
function yRange(unit) {
  return (_u, min, max) => {
    if (unit === "ratio") {
      const pad = Math.max((max - min) * 0.15, 0.02);
      return [Math.max(0, min - pad), Math.min(1, max + pad)];
    }
    return [0, max > 0 ? max * 1.08 : 1];
  };
}

function options({ labels, unit, style, grain, width }) {
  const axis = {
    stroke: cssVar("--ink-muted"),
    grid: { stroke: cssVar("--grid"), width: 1 },
    ticks: { stroke: cssVar("--grid"), width: 1 },
    font: `12px ${cssVar("--font")}`,
  };
  const bars = style === "bars" ? uPlot.paths.bars({ size: [0.72, 40], gap: 1 }) : undefined;
  return {
    width,
    height: HEIGHT,
    // Daily buckets are UTC days: label them as such, whatever the reader's time zone.
    ...(grain === "1d" ? { tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC") } : {}),
    cursor: { drag: { x: false, y: false }, points: { size: 7 } },
    legend: { live: true },
    scales: { x: { time: true }, y: { range: yRange(unit) } },
    axes: [axis, { ...axis, size: 60, values: (_u, ticks) => ticks.map((tick) => formatTick(tick, unit)) }],
    series: [
      { label: "Bucket", value: (_u, ts) => (ts == null ? NO_VALUE : formatBucket(new Date(ts * 1000).toISOString(), grain)) },
      ...labels.map((label, index) => ({
        label,
        stroke: seriesColour(index),
        width: style === "bars" ? 1 : labels.length > 3 ? 1.5 : 2,
        fill: style === "bars" ? `${seriesColour(index)}b3` : undefined,
        paths: bars,
        points: style === "bars" ? { show: false } : undefined, // lines: dots only where they fit
        spanGaps: false, // a bucket without data is a gap, not a line drawn through it
        value: (_u, value) => formatValue(value, unit),
      })),
    ],
  };
}

// Draws into `container` and follows its width; returns the function that removes the chart.
export function drawChart(container, { buckets, columns, labels, unit, style, grain }) {
  const times = buckets.map((t) => Date.parse(t) / 1000);
  const chart = new uPlot(
    options({ labels, unit, style, grain, width: container.clientWidth }),
    [times, ...columns],
    container,
  );
  const resize = new ResizeObserver(() => chart.setSize({ width: container.clientWidth, height: HEIGHT }));
  resize.observe(container);
  return () => {
    resize.disconnect();
    chart.destroy();
  };
}
