// Chart.js (npm chart.js, MIT, pinned in package.json), reduced to what the
// dashboard draws: bar and line charts on category and linear axes, with
// tooltips. Imported with import() by the dashboard only, so it is a chunk
// of its own (the "chart vendor chunk" of build.mjs), fetched after the
// page's text and tables are shown.
//
// Under the node's Content-Security-Policy (style-src 'self', no inline
// style): Chart.js 4 injects no <style> element and writes no style=""
// attribute; it sizes the canvas through element.style (CSSOM), which the
// CSP allows. The browser test watches for violations on the dashboard.
import {
  Chart,
  BarController,
  LineController,
  BarElement,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  Tooltip,
} from 'chart.js';

Chart.register(BarController, LineController, BarElement, LineElement, PointElement, CategoryScale, LinearScale, Tooltip);

const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Liberation Sans', Arial, sans-serif";

/**
 * Draws `config` (a Chart.js configuration) on `canvas`, in the app's font
 * and colours, formatted for `locale`; no animation when the reader asks
 * for reduced motion. Returns the chart (destroy() it before redrawing).
 */
export function drawChart(canvas, config, { locale }) {
  Chart.defaults.font.family = FONT;
  Chart.defaults.font.size = 13;
  Chart.defaults.color = '#4a534d';
  Chart.defaults.borderColor = '#c9d3cc';
  const reduced = typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
  const options = {
    responsive: true,
    maintainAspectRatio: false,
    locale,
    animation: reduced ? false : { duration: 400 },
    ...config.options,
  };
  return new Chart(canvas, { ...config, options });
}
