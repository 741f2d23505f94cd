import { html, nothing, svg } from 'lit';
import type { Localizer } from '../base/localize.js';

const WIDTH = 56;
const HEIGHT = 20;
const PAD = 2;

/** "42 requests in the last 30 days": what the sparkline says to a screen reader. */
export function usageLabel(t: Localizer, usage: readonly number[]): string {
  const total = usage.reduce((sum, count) => sum + Math.max(0, count), 0);
  return t.plural('keys.usage', total);
}

/** Points of the usage line, scaled so the busiest day touches the top. */
export function sparklinePoints(usage: readonly number[]): Array<[number, number]> {
  const max = Math.max(0, ...usage);
  const step = usage.length > 1 ? (WIDTH - PAD * 2) / (usage.length - 1) : 0;
  const round = (n: number) => Math.round(n * 100) / 100;
  return usage.map((count, index) => [
    round(PAD + index * step),
    round(HEIGHT - PAD - (max > 0 ? (Math.max(0, count) / max) * (HEIGHT - PAD * 2) : 0)),
  ]);
}

/**
 * Requests per day over the last 30 days as a tiny inline SVG line. Screen readers read the
 * total instead of the picture.
 */
export function renderSparkline(t: Localizer, usage: readonly number[] | undefined) {
  if (!usage?.length) return nothing;
  const points = sparklinePoints(usage);
  const line = points.map(([x, y]) => `${x},${y}`).join(' ');
  const [firstX] = points[0];
  const [lastX, lastY] = points[points.length - 1];
  const area = `M${firstX},${HEIGHT - PAD} L${line.replaceAll(' ', ' L')} L${lastX},${HEIGHT - PAD} Z`;
  const idle = usage.every((count) => count <= 0);
  const label = usageLabel(t, usage);
  // The tooltip sits on a wrapper: an SVG <title> would add the sentence to the cell's text.
  return html`<span class="sparkline-wrap" title=${label}
    ><svg
      part="sparkline"
      class=${idle ? 'sparkline idle' : 'sparkline'}
      role="img"
      aria-label=${label}
      viewBox="0 0 ${WIDTH} ${HEIGHT}"
      width=${WIDTH}
      height=${HEIGHT}
      focusable="false"
    >
      ${idle ? nothing : svg`<path class="area" d=${area}></path>`}
      <polyline class="line" points=${line}></polyline>
      ${idle ? nothing : svg`<circle class="dot" cx=${lastX} cy=${lastY} r="1.75"></circle>`}
    </svg></span
  >`;
}
