// Tableau de bord (#/tableau-de-bord): four charts of the participant's
// season, each with a plain-language "Comprendre ce graphique" and the same
// data as a table: (a) the latest footprint by category against the model's
// average profile, and the total against the French average and the 2050
// target; (b) the footprint over time; (c) waste per person and week against
// the baseline and the reference figures; (d) CO2e and waste avoided by
// check-ins, week by week, with the season totals.
//
// The text and tables come first; Chart.js (src/charts/chartjs.js, a chunk
// of its own) is fetched afterwards and draws on the canvases. Without it the
// page stays complete. Loaded lazily with its messages.
import { h } from '../dom.js';
import { t, lang, addMessages, formatDate } from '../i18n/index.js';
import { api } from '../api.js';
import * as session from '../session.js';
import { errorText } from '../errors.js';
import { dataTable } from '../ui/table.js';
import {
  STREAMS,
  local,
  plural,
  points,
  decimal,
  mass,
  co2eSaved,
  wasteSaved,
  today,
  isoWeek,
  shiftWeek,
  weekCompact,
  weekShort,
  pageShell,
  joinFirst,
  loadingOrError,
  dropSession,
} from '../challenge/common.js';
import { CATEGORY_KEYS, FRENCH_AVERAGE_G, TARGET_2050_G, MODEL_DEFAULT_G, MODEL_DEFAULT_TOTAL_G } from '../footprint/constants.js';
import fr from '../i18n/dashboard.fr.js';
import en from '../i18n/dashboard.en.js';

addMessages({ fr, en });

const MAX_WEEKS = 26; // weeks shown in (d)
const CHECKINS_PAGE = 100; // GET /me/checkins without ?week= returns the last 100

// Colours of the series (non-text: at least 3:1 on white).
const C = {
  you: '#1b6b3a',
  model: '#7a868d',
  average: '#a4161a',
  target: '#0b57d0',
  baseline: '#0b57d0',
  co2e: '#1b6b3a',
  waste: '#8a5a00',
  streams: { residual: '#4a534d', recyclables: '#b08a00', glass: '#2a7fa0', biowaste: '#7a4a1c' },
  refs: ['#a4161a', '#6b3fa0', '#b35900', '#0b7a75'],
};

/** An axis label on lines of about `width` characters (Chart.js draws an array as lines). */
function wrap(label, width = 13) {
  const lines = [];
  let line = '';
  for (const word of label.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.length > 1 ? lines : label;
}

const tonnes = (g) => Math.round(g / 1e5) / 10; // grams → tonnes, 1 decimal
const kg = (g) => Math.round(g / 100) / 10; // grams → kg, 1 decimal

export default function dashboardPage(app) {
  let footprint = null; // {latest, history}
  let waste = null;
  let checkins = null;
  let progress = null;
  let references = null;
  let loadError = null;
  let lost = false;
  let left = false;
  let chartLib = null; // the chart module once loaded
  let chartState = 'loading'; // loading | ready | failed
  let charts = []; // drawn Chart.js instances
  let specs = []; // [{canvas, config}] of the current render
  let chartNote = null; // "the charts are loading", removed once drawn

  function load() {
    const who = session.participant();
    if (!who) return;
    loadError = null;
    Promise.all([
      api.footprints(who.token),
      api.waste(who.token),
      api.checkins(who.token),
      api.progress(who.token),
    ]).then(
      ([f, w, c, p]) => {
        if (left) return;
        footprint = f;
        waste = w;
        checkins = c && Array.isArray(c.checkins) ? c.checkins : [];
        progress = p;
        references = w && Array.isArray(w.references) ? w.references : null;
        if (!references) {
          api.wasteReferences().then(
            (r) => {
              references = r && Array.isArray(r.references) ? r.references : [];
              if (!left) app.rerender();
            },
            () => {},
          );
        }
        app.rerender();
        loadCharts();
      },
      (err) => {
        if (left) return;
        if (err.status === 401) {
          lost = true;
          dropSession(app);
        } else loadError = errorText(err);
        app.rerender();
      },
    );
  }

  function loadCharts() {
    if (chartLib) return;
    import('../charts/chartjs.js').then(
      (mod) => {
        chartLib = mod;
        chartState = 'ready';
        if (!left) draw();
      },
      () => {
        chartState = 'failed';
        if (!left) app.rerender();
      },
    );
  }

  function destroyCharts() {
    for (const c of charts) c.destroy();
    charts = [];
  }

  /** Draws the charts of the current render (after it is in the page). */
  function draw() {
    if (!chartLib) return;
    requestAnimationFrame(() => {
      if (left) return;
      destroyCharts();
      for (const s of specs) {
        if (!s.canvas.isConnected) continue;
        charts.push(chartLib.drawChart(s.canvas, s.config, { locale: lang() }));
        s.canvas.closest('.chart').dataset.drawn = 'true';
      }
      const root = document.querySelector('.page-dashboard');
      if (root) root.dataset.charts = String(charts.length);
      if (chartNote) chartNote.remove();
      chartNote = null;
    });
  }

  // --- building blocks ------------------------------------------------------

  /** A canvas, its legend, "Comprendre ce graphique" and the data table. */
  function chart({ id, label, config, legend, understand, table }) {
    const canvas = h('canvas', { role: 'img', 'aria-label': label, id: `chart-${id}` }, h('p', null, t('dash.noCanvas')));
    specs.push({ canvas, config });
    return h(
      'div',
      { class: 'chart', dataset: { chart: id } },
      h('div', { class: ['chart-box', `chart-box-${id}`] }, canvas),
      chartState === 'failed' ? h('p', { class: 'muted' }, t('dash.chartFailed')) : null,
      legend ? legendList(legend) : null,
      h('details', { class: 'explain understand' }, h('summary', null, t('ch.understand')), understand.map((p) => h('p', null, p))),
      h('details', { class: 'explain chart-data' }, h('summary', null, t('ch.showData')), table),
    );
  }

  function legendList(items) {
    return h(
      'ul',
      { class: 'chart-legend', 'aria-hidden': 'true' },
      items.map((it) => {
        const swatch = h('span', { class: ['swatch', it.line && 'swatch-line', it.dashed && 'swatch-dashed'] });
        // Colours set through the CSSOM (allowed by the CSP), not style="".
        if (it.line) swatch.style.borderTopColor = it.color;
        else swatch.style.backgroundColor = it.color;
        return h('li', null, swatch, it.label);
      }),
    );
  }

  const axis = (title, extra = {}) => ({
    beginAtZero: true,
    title: { display: Boolean(title), text: title },
    grid: { color: '#e3e8e4' },
    ...extra,
  });

  const tooltip = (unit) => ({
    callbacks: {
      label: (ctx) => {
        const v = ctx.parsed[ctx.chart.options.indexAxis === 'y' ? 'x' : 'y'];
        return t('dash.tooltip', { label: ctx.dataset.label, value: decimal(v, 1), unit });
      },
    },
  });

  // --- (a) footprint by category, and the total ------------------------------

  function categoriesSection() {
    const latest = footprint && footprint.latest;
    const title = h('h2', { id: 'dash-fp-title' }, t('dash.fpTitle'));
    if (!latest) {
      return h(
        'section',
        { class: 'card', 'aria-labelledby': 'dash-fp-title' },
        title,
        h('p', null, t('dash.fpNone')),
        h('div', { class: 'actions' }, h('a', { class: 'button button-primary', href: '#/empreinte' }, t('dash.fpStart'))),
      );
    }
    const names = CATEGORY_KEYS.map((k) => t(`dash.fpCat.${k}`));
    const mine = CATEGORY_KEYS.map((k) => latest.categories[k] || 0);
    const model = CATEGORY_KEYS.map((k) => MODEL_DEFAULT_G[k]);
    const byCat = chart({
      id: 'categories',
      label: t('dash.fpCatLabel', {
        parts: CATEGORY_KEYS.map((k, i) => t('dash.fpCatPart', { name: names[i], value: decimal(tonnes(mine[i]), 1) })).join(', '),
      }),
      config: {
        type: 'bar',
        data: {
          labels: names.map((n) => wrap(n)),
          datasets: [
            { label: t('dash.you'), data: mine.map(tonnes), backgroundColor: C.you },
            { label: t('dash.modelAverage'), data: model.map(tonnes), backgroundColor: C.model },
          ],
        },
        options: {
          indexAxis: 'y',
          scales: { x: axis(t('dash.tonnesAxis')), y: { grid: { display: false } } },
          plugins: { tooltip: tooltip('t') },
        },
      },
      legend: [
        { label: t('dash.you'), color: C.you },
        { label: t('dash.modelAverage'), color: C.model },
      ],
      understand: [t('dash.fpCatU1'), t('dash.fpCatU2', { version: latest.model_version }), t('dash.fpCatU3')],
      table: dataTable({
        caption: t('dash.fpCatCaption'),
        columns: [{ key: 'dash.colCategory' }, { key: 'dash.colYou', num: true }, { key: 'dash.colModel', num: true }],
        rows: [
          ...CATEGORY_KEYS.map((k, i) => [names[i], decimal(tonnes(mine[i]), 1, 1), decimal(tonnes(model[i]), 1, 1)]),
          [t('dash.total'), decimal(tonnes(latest.total_g), 1, 1), decimal(tonnes(MODEL_DEFAULT_TOTAL_G), 1, 1)],
        ],
        empty: '',
      }),
    });
    const totals = [
      [t('dash.you'), latest.total_g, C.you],
      [t('dash.frenchAverage'), FRENCH_AVERAGE_G, C.average],
      [t('dash.modelAverageShort'), MODEL_DEFAULT_TOTAL_G, C.model],
      [t('dash.target2050'), TARGET_2050_G, C.target],
    ];
    const byTotal = chart({
      id: 'total',
      label: t('dash.fpTotalLabel', {
        you: decimal(tonnes(latest.total_g), 1),
        average: decimal(tonnes(FRENCH_AVERAGE_G), 1),
        target: decimal(tonnes(TARGET_2050_G), 1),
      }),
      config: {
        type: 'bar',
        data: {
          labels: totals.map((x) => wrap(x[0])),
          datasets: [{ label: t('dash.totalSeries'), data: totals.map((x) => tonnes(x[1])), backgroundColor: totals.map((x) => x[2]) }],
        },
        options: {
          indexAxis: 'y',
          scales: { x: axis(t('dash.tonnesAxis')), y: { grid: { display: false } } },
          plugins: { tooltip: tooltip('t') },
        },
      },
      understand: [t('dash.fpTotalU1'), t('dash.fpTotalU2'), t('dash.fpTotalU3')],
      table: dataTable({
        caption: t('dash.fpTotalCaption'),
        columns: [{ key: 'dash.colWhat' }, { key: 'dash.colTonnes', num: true }, { key: 'dash.colSource' }],
        rows: [
          [t('dash.you'), decimal(tonnes(latest.total_g), 1, 1), t('dash.srcYou', { date: formatDate(latest.at), version: latest.model_version })],
          [t('dash.frenchAverage'), decimal(tonnes(FRENCH_AVERAGE_G), 1, 1), t('dash.srcAverage')],
          [t('dash.modelAverageShort'), decimal(tonnes(MODEL_DEFAULT_TOTAL_G), 1, 1), t('dash.srcModel', { version: latest.model_version })],
          [t('dash.target2050'), decimal(tonnes(TARGET_2050_G), 1, 1), t('dash.srcTarget')],
        ],
        empty: '',
      }),
    });
    const diff = latest.total_g - FRENCH_AVERAGE_G;
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'dash-fp-title' },
      title,
      h(
        'p',
        { class: 'dash-figure' },
        t('dash.fpLatest', { total: decimal(tonnes(latest.total_g), 1, 1), date: formatDate(latest.at) }),
      ),
      h('p', null, t(diff >= 0 ? 'dash.fpAbove' : 'dash.fpBelow', { value: decimal(tonnes(Math.abs(diff)), 1, 1) })),
      h('h3', null, t('dash.fpCatTitle')),
      byCat,
      h('h3', null, t('dash.fpTotalTitle')),
      byTotal,
      h('p', { class: 'muted source' }, t('dash.fpSources', { version: latest.model_version })),
    );
  }

  // --- (b) footprint over time -------------------------------------------------

  function historySection() {
    const list = footprint && Array.isArray(footprint.history) ? footprint.history : [];
    const title = h('h2', { id: 'dash-hist-title' }, t('dash.histTitle'));
    if (!list.length) {
      return h('section', { class: 'card', 'aria-labelledby': 'dash-hist-title' }, title, h('p', null, t('dash.histNone')));
    }
    const labels = list.map((s) => formatDate(s.at, 'medium'));
    const first = list[0];
    const last = list[list.length - 1];
    const flat = (v) => list.map(() => tonnes(v));
    const lineSet = (label, data, color, dashed) => ({
      type: 'line',
      label,
      data,
      borderColor: color,
      backgroundColor: color,
      borderWidth: dashed ? 2 : 3,
      borderDash: dashed ? [6, 4] : [],
      pointRadius: dashed ? 0 : 4,
      tension: 0,
    });
    const over = chart({
      id: 'history',
      label: t(list.length > 1 ? 'dash.histLabel' : 'dash.histLabelOne', {
        n: list.length,
        first: decimal(tonnes(first.total_g), 1),
        last: decimal(tonnes(last.total_g), 1),
      }),
      config: {
        type: 'line',
        data: {
          labels,
          datasets: [
            lineSet(t('dash.you'), list.map((s) => tonnes(s.total_g)), C.you, false),
            lineSet(t('dash.frenchAverage'), flat(FRENCH_AVERAGE_G), C.average, true),
            lineSet(t('dash.target2050'), flat(TARGET_2050_G), C.target, true),
          ],
        },
        options: {
          scales: { y: axis(t('dash.tonnesAxis')), x: { grid: { display: false } } },
          plugins: { tooltip: tooltip('t') },
        },
      },
      legend: [
        { label: t('dash.you'), color: C.you, line: true },
        { label: t('dash.frenchAverage'), color: C.average, line: true, dashed: true },
        { label: t('dash.target2050'), color: C.target, line: true, dashed: true },
      ],
      understand: [t('dash.histU1'), t('dash.histU2')],
      table: dataTable({
        caption: t('dash.histCaption'),
        columns: [{ key: 'dash.colDate' }, { key: 'dash.colTonnes', num: true }, { key: 'dash.colVersion' }],
        rows: list
          .slice()
          .reverse()
          .map((s) => [formatDate(s.at), decimal(tonnes(s.total_g), 1, 1), s.model_version]),
        empty: '',
      }),
    });
    const change = list.length > 1 ? last.total_g - first.total_g : null;
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'dash-hist-title' },
      title,
      change === null
        ? h('p', null, t('dash.histOne'))
        : h('p', null, t(change <= 0 ? 'dash.histDown' : 'dash.histUp', { value: decimal(tonnes(Math.abs(change)), 1, 1), n: list.length })),
      over,
    );
  }

  // --- (c) waste per person and week --------------------------------------------

  /** The reference figures worth drawing: for each stream, those of its latest year. */
  function shownReferences() {
    const refs = Array.isArray(references) ? references : [];
    const latest = {};
    for (const r of refs) latest[r.stream] = Math.max(latest[r.stream] || 0, r.year);
    return refs.filter((r) => r.year === latest[r.stream]);
  }

  function wasteSection() {
    const weeks = waste && Array.isArray(waste.weeks) ? waste.weeks : [];
    const title = h('h2', { id: 'dash-waste-title' }, t('dash.wasteTitle'));
    if (!weeks.length) {
      return h(
        'section',
        { class: 'card', 'aria-labelledby': 'dash-waste-title' },
        title,
        h('p', null, t('dash.wasteNone')),
        h('div', { class: 'actions' }, h('a', { class: 'button button-primary', href: '#/dechets' }, t('dash.wasteStart'))),
      );
    }
    const perPerson = (w, s) => (typeof w[`${s}_g`] === 'number' ? w[`${s}_g`] / Math.max(1, w.household_size) : 0);
    const labels = weeks.map((w) => weekShort(w.week));
    const baseline = waste.baseline ? waste.baseline.per_person_week_g : null;
    const refs = shownReferences();
    const flatLine = (label, g, color, stack, dashed = true) => ({
      type: 'line',
      label,
      data: weeks.map(() => kg(g)),
      borderColor: color,
      backgroundColor: color,
      borderWidth: 2,
      borderDash: dashed ? [6, 4] : [],
      pointRadius: 0,
      stack,
    });
    const datasets = STREAMS.map((s) => ({
      label: t(`dash.stream.${s}`),
      data: weeks.map((w) => kg(perPerson(w, s))),
      backgroundColor: C.streams[s],
      // A white edge between stacked parts, so neighbours stay apart.
      borderColor: '#ffffff',
      borderWidth: { top: 1 },
      stack: 'weighed',
    }));
    const legend = STREAMS.map((s) => ({ label: t(`dash.stream.${s}`), color: C.streams[s] }));
    if (baseline !== null) {
      datasets.push(flatLine(t('dash.baseline'), baseline, C.baseline, 'baseline', false));
      legend.push({ label: t('dash.baseline'), color: C.baseline, line: true });
    }
    refs.forEach((r, i) => {
      const label = t('dash.refLine', { label: local(r.label), year: r.year });
      const color = C.refs[i % C.refs.length];
      datasets.push(flatLine(label, (r.kg_per_person_year * 1000) / 52, color, `ref-${i}`));
      legend.push({ label, color, line: true, dashed: true });
    });
    const lastWeek = weeks[weeks.length - 1];
    const lines = [];
    if (baseline !== null) {
      lines.push(t('dash.wasteBaseline', { value: decimal(kg(baseline), 1, 1) }));
      if (typeof waste.change_pct === 'number') {
        lines.push(
          t(waste.change_pct <= 0 ? 'dash.wasteDown' : 'dash.wasteUp', { pct: decimal(Math.abs(waste.change_pct), 0) }),
        );
      } else lines.push(t('dash.wasteChangeLater'));
    } else {
      lines.push(t('dash.wasteBaselineLater', { n: weeks.length }));
    }
    const wasteChart = chart({
      id: 'waste',
      label: t('dash.wasteLabel', {
        n: weeks.length,
        last: decimal(kg(lastWeek.per_person_g), 1, 1),
        baseline: baseline === null ? '–' : decimal(kg(baseline), 1, 1),
      }),
      config: {
        type: 'bar',
        data: { labels, datasets },
        options: {
          scales: { x: { stacked: true, grid: { display: false } }, y: axis(t('dash.kgPersonAxis'), { stacked: true }) },
          plugins: { tooltip: tooltip('kg') },
        },
      },
      legend,
      understand: [t('dash.wasteU1'), t('dash.wasteU2'), t('dash.wasteU3')],
      table: [
        dataTable({
          caption: t('dash.wasteCaption'),
          columns: [
            { key: 'dash.colWeek' },
            ...STREAMS.map((s) => ({ key: `dash.stream.${s}`, num: true })),
            { key: 'dash.colPerPerson', num: true },
          ],
          rows: weeks
            .slice()
            .reverse()
            .map((w) => [weekCompact(w.week), ...STREAMS.map((s) => decimal(kg(perPerson(w, s)), 1, 1)), decimal(kg(w.per_person_g), 1, 1)]),
          empty: '',
        }),
        refs.length || (references && references.length)
          ? dataTable({
              caption: t('dash.refCaption'),
              columns: [{ key: 'dash.colReference' }, { key: 'dash.colPerYear', num: true }, { key: 'dash.colPerWeek', num: true }, { key: 'dash.colSource' }],
              rows: (references || []).map((r) => [
                t('dash.refLine', { label: local(r.label), year: r.year }),
                decimal(r.kg_per_person_year, 0),
                decimal(r.kg_per_person_year / 52, 1, 1),
                r.source,
              ]),
              empty: '',
            })
          : null,
      ],
    });
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'dash-waste-title' },
      title,
      lines.map((l) => h('p', null, l)),
      wasteChart,
      h('p', null, h('a', { href: '#/dechets' }, t('dash.toWaste'))),
    );
  }

  // --- (d) CO2e and waste avoided, week by week ---------------------------------

  function avoidedSection() {
    const title = h('h2', { id: 'dash-avoided-title' }, t('dash.avoidedTitle'));
    const totals = h(
      'p',
      { class: 'dash-figure', id: 'dash-season-totals' },
      t('dash.seasonTotals', {
        list: [
          co2eSaved(progress.co2e_avoided_g),
          progress.waste_avoided_g > 0 && wasteSaved(progress.waste_avoided_g),
          points(progress.points),
        ]
          .filter(Boolean)
          .join(', '),
        checkins: plural('dash.checkins', progress.checkins),
      }),
    );
    if (!checkins.length) {
      return h(
        'section',
        { class: 'card', 'aria-labelledby': 'dash-avoided-title' },
        title,
        totals,
        h('p', null, t('dash.avoidedNone')),
        h('div', { class: 'actions' }, h('a', { class: 'button button-primary', href: '#/actions' }, t('dash.toActions'))),
      );
    }
    const sums = new Map();
    for (const c of checkins) {
      const w = isoWeek(c.date);
      const s = sums.get(w) || { co2e: 0, waste: 0, n: 0, capped: 0 };
      s.co2e += c.co2e_avoided_g || 0;
      s.waste += c.waste_avoided_g || 0;
      s.n += 1;
      if (c.capped) s.capped += 1;
      sums.set(w, s);
    }
    const truncated = checkins.length >= CHECKINS_PAGE;
    let first = [...sums.keys()].sort()[0];
    // With a full page, the oldest week may be only partly in it: leave it out.
    if (truncated && sums.size > 1) first = shiftWeek(first, 1);
    const current = progress.week && progress.week.week ? progress.week.week : isoWeek(today());
    const weeks = [];
    for (let w = current; w >= first && weeks.length < MAX_WEEKS; w = shiftWeek(w, -1)) weeks.unshift(w);
    const row = (w) => sums.get(w) || { co2e: 0, waste: 0, n: 0, capped: 0 };
    const avoided = chart({
      id: 'avoided',
      label: t('dash.avoidedLabel', {
        n: weeks.length,
        co2e: decimal(kg(weeks.reduce((a, w) => a + row(w).co2e, 0)), 1, 1),
        waste: decimal(kg(weeks.reduce((a, w) => a + row(w).waste, 0)), 1, 1),
      }),
      config: {
        type: 'bar',
        data: {
          labels: weeks.map(weekShort),
          datasets: [
            { label: t('dash.co2eSeries'), data: weeks.map((w) => kg(row(w).co2e)), backgroundColor: C.co2e },
            { label: t('dash.wasteSeries'), data: weeks.map((w) => kg(row(w).waste)), backgroundColor: C.waste },
          ],
        },
        options: {
          scales: { y: axis(t('dash.kgAxis')), x: { grid: { display: false } } },
          plugins: { tooltip: tooltip('kg') },
        },
      },
      legend: [
        { label: t('dash.co2eSeries'), color: C.co2e },
        { label: t('dash.wasteSeries'), color: C.waste },
      ],
      understand: [t('dash.avoidedU1'), t('dash.avoidedU2'), t('dash.avoidedU3')],
      table: dataTable({
        caption: t('dash.avoidedCaption'),
        columns: [
          { key: 'dash.colWeek' },
          { key: 'dash.colCheckins', num: true },
          { key: 'dash.colCo2e', num: true },
          { key: 'dash.colWaste', num: true },
        ],
        rows: weeks
          .slice()
          .reverse()
          .map((w) => {
            const r = row(w);
            return [
              weekCompact(w),
              r.capped ? t('dash.cappedCell', { n: r.n, capped: r.capped }) : String(r.n),
              decimal(kg(r.co2e), 1, 1),
              decimal(kg(r.waste), 1, 1),
            ];
          }),
        empty: '',
      }),
    });
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'dash-avoided-title' },
      title,
      totals,
      truncated ? h('p', { class: 'muted' }, t('dash.avoidedTruncated', { n: CHECKINS_PAGE })) : null,
      avoided,
    );
  }

  function render() {
    const title = t('dash.title');
    destroyCharts();
    specs = [];
    if (!session.participant()) return pageShell('page-dashboard', title, joinFirst('dash.needAccount', lost));
    if (!footprint || !waste || !checkins || !progress) {
      return pageShell(
        'page-dashboard',
        title,
        loadingOrError(loadError, () => {
          loadError = null;
          app.rerender();
          load();
        }),
      );
    }
    chartNote = chartState === 'loading' ? h('p', { class: 'muted', id: 'dash-charts-note' }, t('dash.chartsLoading')) : null;
    const page = pageShell(
      'page-dashboard',
      title,
      h('p', { class: 'lead' }, t('dash.lead')),
      h(
        'nav',
        { class: 'dash-toc', 'aria-label': t('dash.tocLabel') },
        h('a', { class: 'button button-primary', href: '#/actions' }, t('dash.checkIn')),
        h('a', { class: 'button button-secondary', href: '#/dechets' }, t('dash.weigh')),
        h('a', { class: 'button button-secondary', href: '#/progression' }, t('dash.progress')),
      ),
      chartNote,
      categoriesSection(),
      historySection(),
      wasteSection(),
      avoidedSection(),
    );
    draw();
    return page;
  }

  load();
  return {
    title: () => t('dash.title'),
    render,
    leave() {
      left = true;
      destroyCharts();
    },
  };
}
