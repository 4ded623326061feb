// Builds the web client into dist/:
//   index.html                 from index.html, with the hashed asset names and French texts
//   assets/app-<hash>.js|css   the entry bundle (esbuild, ES module), cached for a year by the node
//   assets/<page>-<hash>.js    pages loaded on first visit (import()), and chunks they share
//   assets/footprint-worker-<hash>.js   the footprint Web Worker (publicodes), a classic script
//   assets/co2-model.FR-lang.<fr|en>-<hash>.json   the Nos Gestes Climat model the worker fetches
//   sw.js                      the service worker, its cache named after the shell's hash
//   manifest.webmanifest       from the French catalogue
//   public/*                   copied as is (icons)
// Before anything is written it checks that the message catalogues (and the
// lazily loaded pages' ones) have the same keys and placeholders, and that
// the palette keeps 4.5:1 contrast. Runs on Node 18 and later.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, copyFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const root = dirname(fileURLToPath(import.meta.url));
const src = join(root, 'src');
const dist = join(root, 'dist');
// Bytes, before compression: the JS a first visit runs (the entry and the
// chunks it imports statically), each lazily loaded chunk, the CSS.
const BUDGET = { js: 100 * 1024, lazyJs: 100 * 1024, css: 30 * 1024, chartJs: 180 * 1024 };
// The one exception to lazyJs: Chart.js (npm chart.js, pinned), which the
// dashboard alone imports through src/charts/chartjs.js. Tree-shaken to the
// bar and line charts, two axis types and tooltips it is about 160 KiB
// minified (about 56 KiB gzip): the library's core (layout, scales,
// animation, events, the canvas platform) is about 130 KiB of it whatever is
// registered. It is fetched only on the dashboard, after the page's text and
// tables are shown (which work without it), and the service worker keeps it.
const CHART_ENTRY = 'src/charts/chartjs.js';
// The carbon footprint model (npm @incubateur-ademe/nosgestesclimat, pinned in
// package.json): France, in French and in English. The worker fetches one.
const NGC_PACKAGE = '@incubateur-ademe/nosgestesclimat';
const NGC_MODELS = { fr: 'co2-model.FR-lang.fr.json', en: 'co2-model.FR-lang.en.json' };
// Catalogues of lazily loaded pages: [fr, en] under src/i18n/.
const PAGE_CATALOGUES = [
  ['footprint.fr.js', 'footprint.en.js'],
  ['challenge.fr.js', 'challenge.en.js'],
  ['actions.fr.js', 'actions.en.js'],
  ['dashboard.fr.js', 'dashboard.en.js'],
  ['waste.fr.js', 'waste.en.js'],
  ['teams.fr.js', 'teams.en.js'],
  ['leaderboard.fr.js', 'leaderboard.en.js'],
  ['progress.fr.js', 'progress.en.js'],
  ['admin.fr.js', 'admin.en.js'],
  ['workshops.fr.js', 'workshops.en.js'],
  ['intercity.fr.js', 'intercity.en.js'],
];

function fail(message) {
  console.error(`build: ${message}`);
  process.exit(1);
}

// --- 1. Catalogues: same keys, same placeholders, no empty text. ---------
async function loadCatalogue(name) {
  const file = name.endsWith('.js') ? name : `${name}.js`;
  const mod = await import(pathToFileURL(join(src, 'i18n', file)).href);
  return mod.default;
}

function placeholders(text) {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');
}

function checkCatalogues(cats) {
  const names = Object.keys(cats);
  const [ref, ...others] = names;
  const problems = [];
  for (const name of names) {
    for (const [k, v] of Object.entries(cats[name])) {
      if (typeof v !== 'string' || v.trim() === '') problems.push(`${name}: "${k}" is empty or not a string`);
    }
  }
  for (const other of others) {
    const a = new Set(Object.keys(cats[ref]));
    const b = new Set(Object.keys(cats[other]));
    for (const k of a) if (!b.has(k)) problems.push(`${other}: missing key "${k}"`);
    for (const k of b) if (!a.has(k)) problems.push(`${other}: key "${k}" is not in ${ref}`);
    for (const k of a) {
      if (b.has(k) && placeholders(cats[ref][k]) !== placeholders(cats[other][k])) {
        problems.push(`${other}: "${k}" has placeholders {${placeholders(cats[other][k])}}, ${ref} has {${placeholders(cats[ref][k])}}`);
      }
    }
  }
  if (problems.length) fail(`message catalogues differ:\n  ${problems.join('\n  ')}`);
}

// --- 2. Contrast of the palette (WCAG 2 relative luminance). --------------
function luminance(hex) {
  const n = hex.replace('#', '');
  const rgb = [0, 2, 4].map((i) => parseInt(n.slice(i, i + 2), 16) / 255);
  const lin = rgb.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
}

function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

function checkContrast(css) {
  const vars = {};
  for (const m of css.matchAll(/--([\w-]+):\s*(#[0-9a-fA-F]{6})\s*;/g)) vars[m[1]] = m[2];
  const colour = (v) => (v.startsWith('#') ? v : vars[v]);
  // [text, background] pairs used by the stylesheet.
  const pairs = [
    ['text', 'bg'], ['text', 'card'], ['muted', 'bg'], ['muted', 'card'], ['muted', '#e7ece8'],
    ['green-700', 'card'], ['green-700', 'bg'], ['green-800', 'bg'], ['green-800', '#e7ece8'],
    ['#ffffff', 'green-700'], ['#ffffff', 'green-800'], ['#ffffff', 'green-900'], ['green-900', 'card'],
    ['green-900', 'green-100'], ['green-800', 'green-100'], ['#ffffff', 'danger'], ['danger', 'card'],
    ['danger-text', 'danger-bg'], ['danger', 'danger-bg'], ['ok-text', 'ok-bg'], ['#3d2e00', '#fff4d6'],
    ['#ffffff', '#7f1d1d'],
    // challenge pages: info notices, highlighted leaderboard rows, own row
    ['#12325e', '#e8f0fb'], ['text', '#fff4d6'], ['muted', '#fff4d6'], ['text', '#ffe9a8'],
    ['text', 'green-100'], ['muted', 'green-100'], ['muted', 'card'], ['green-800', 'card'],
  ];
  const bad = [];
  for (const [fg, bg] of pairs) {
    const a = colour(fg);
    const b = colour(bg);
    if (!a || !b) fail(`contrast check: unknown colour ${a ? bg : fg}`);
    const ratio = contrast(a, b);
    if (ratio < 4.5) bad.push(`${fg} on ${bg}: ${ratio.toFixed(2)}:1`);
  }
  if (bad.length) fail(`colour pairs below 4.5:1:\n  ${bad.join('\n  ')}`);
}

// --- helpers --------------------------------------------------------------
function copyDir(from, to) {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    const a = join(from, name);
    const b = join(to, name);
    if (statSync(a).isDirectory()) copyDir(a, b);
    else copyFileSync(a, b);
  }
}

function listFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}

function escapeHtml(s) {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const urlPath = (file) => relative(dist, file).split(sep).join('/');

// --- build ----------------------------------------------------------------
const fr = await loadCatalogue('fr');
const en = await loadCatalogue('en');
checkCatalogues({ fr, en });
// Page catalogues are merged into the main one when their page loads: a key
// may live in one catalogue only, or one would silently replace the other.
const keyOwner = new Map(Object.keys(fr).map((k) => [k, 'fr.js']));
for (const [frFile, enFile] of PAGE_CATALOGUES) {
  const pageFr = await loadCatalogue(frFile);
  const pageEn = await loadCatalogue(enFile);
  checkCatalogues({ fr: pageFr, en: pageEn });
  const shared = Object.keys(pageFr).filter((k) => keyOwner.has(k));
  if (shared.length) fail(`${frFile} repeats keys of ${keyOwner.get(shared[0])}: ${shared.join(', ')}`);
  for (const k of Object.keys(pageFr)) keyOwner.set(k, frFile);
}
checkContrast(readFileSync(join(src, 'styles', 'app.css'), 'utf8'));
const { frenchTypography } = await import(pathToFileURL(join(src, 'i18n', 'typography.js')).href);
const text = (key) => {
  if (!(key in fr)) fail(`index.html uses unknown message "${key}"`);
  return frenchTypography(fr[key]);
};

rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, 'assets'), { recursive: true });
if (existsSync(join(root, 'public'))) copyDir(join(root, 'public'), dist);

// --- the footprint model and its worker ------------------------------------
const contentHash = (buf) => createHash('sha256').update(buf).digest('hex').slice(0, 12);
const ngcDir = join(root, 'node_modules', ...NGC_PACKAGE.split('/'));
if (!existsSync(join(ngcDir, 'package.json'))) fail(`${NGC_PACKAGE} is not installed (npm ci --ignore-scripts)`);
const modelVersion = JSON.parse(readFileSync(join(ngcDir, 'package.json'), 'utf8')).version;
if (!/^[0-9A-Za-z.+-]{1,32}$/.test(modelVersion)) fail(`unexpected ${NGC_PACKAGE} version "${modelVersion}"`);
const modelFiles = {};
for (const [code, file] of Object.entries(NGC_MODELS)) {
  const buf = readFileSync(join(ngcDir, 'public', file));
  const rules = JSON.parse(buf.toString('utf8'));
  if (!rules.bilan || !rules['services sociétaux']) fail(`${file} has no "bilan" or "services sociétaux" rule`);
  const name = `${file.replace(/\.json$/, '')}-${contentHash(buf)}.json`;
  writeFileSync(join(dist, 'assets', name), buf);
  modelFiles[code] = name;
}

const target = ['es2020', 'chrome100', 'firefox100', 'safari15.4'];
// A classic worker script (not a module worker), so browsers without module
// workers run it too; it imports nothing at run time.
const workerBuild = await esbuild.build({
  absWorkingDir: root,
  entryPoints: { 'footprint-worker': 'src/footprint/worker.js' },
  bundle: true,
  minify: true,
  format: 'iife',
  target,
  outdir: 'dist/assets',
  entryNames: '[name]-[hash]',
  charset: 'utf8',
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  define: { __MODELS__: JSON.stringify(modelFiles), __MODEL_VERSION__: JSON.stringify(modelVersion) },
});
const workerFile = Object.keys(workerBuild.metafile.outputs).map((p) => join(root, p)).find((p) => p.endsWith('.js'));
if (!workerFile) fail('esbuild produced no footprint worker');

// --- the app ---------------------------------------------------------------
// ES modules with code splitting: pages imported with import() become chunks
// of their own, loaded on first visit.
const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: { app: 'src/main.js' },
  bundle: true,
  splitting: true,
  minify: true,
  format: 'esm',
  // Browsers with <dialog> (Safari 15.4, March 2022) and anything newer.
  target,
  outdir: 'dist/assets',
  entryNames: '[name]-[hash]',
  chunkNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  charset: 'utf8',
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  define: { __FOOTPRINT_WORKER__: JSON.stringify(basename(workerFile)) },
});
const outputs = Object.keys(result.metafile.outputs).map((p) => join(root, p));
const entryKey = Object.keys(result.metafile.outputs).find((p) => result.metafile.outputs[p].entryPoint === 'src/main.js');
const js = entryKey ? join(root, entryKey) : null;
const css = outputs.find((p) => p.endsWith('.css'));
if (!js || !css) fail('esbuild produced no JS or no CSS bundle');
// What a first visit loads: the entry and what it imports statically.
const initialKeys = new Set();
(function walk(key) {
  if (initialKeys.has(key)) return;
  initialKeys.add(key);
  for (const imp of result.metafile.outputs[key].imports || []) {
    if (imp.kind === 'import-statement' && !imp.external) walk(imp.path);
  }
})(entryKey);
const initialJs = [...initialKeys].map((k) => join(root, k)).filter((p) => p.endsWith('.js'));
const lazyJs = outputs.filter((p) => p.endsWith('.js') && !initialJs.includes(p));
const chartKey = Object.keys(result.metafile.outputs).find((p) => result.metafile.outputs[p].entryPoint === CHART_ENTRY);
const chartJs = chartKey ? join(root, chartKey) : null;
if (!chartJs) fail(`esbuild produced no chunk for ${CHART_ENTRY}`);
// Chart.js must stay out of every other chunk (no page may import it statically).
for (const [key, out] of Object.entries(result.metafile.outputs)) {
  if (key === chartKey || !key.endsWith('.js')) continue;
  const inputs = Object.keys(out.inputs || {});
  if (inputs.some((i) => i.includes('node_modules/chart.js/'))) fail(`${key} contains Chart.js: import it only through ${CHART_ENTRY}`);
}

const manifest = {
  id: './',
  name: text('app.name'),
  short_name: text('app.shortName'),
  description: text('app.description'),
  lang: 'fr',
  dir: 'ltr',
  start_url: './',
  scope: './',
  display: 'standalone',
  background_color: '#f5f7f4',
  theme_color: '#14532d',
  icons: [
    { src: 'icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
    { src: 'icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
    { src: 'icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
    { src: 'icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
  ],
};
writeFileSync(join(dist, 'manifest.webmanifest'), `${JSON.stringify(manifest, null, 2)}\n`);

const template = readFileSync(join(root, 'index.html'), 'utf8');
const html = template.replace(/\{\{(t|asset):([\w.]+)\}\}/g, (m, kind, name) => {
  if (kind === 't') return escapeHtml(text(name));
  if (name === 'js') return urlPath(js);
  if (name === 'css') return urlPath(css);
  if (name === 'preload') {
    // The chunks the entry imports, fetched in parallel with it.
    return initialJs
      .filter((f) => f !== js)
      .map((f) => `<link rel="modulepreload" href="${urlPath(f)}">`)
      .join('\n');
  }
  return fail(`index.html: unknown asset "${name}"`);
});
writeFileSync(join(dist, 'index.html'), html);

// The shell the service worker keeps: every file in dist/ but itself. The
// start page is cached under './' (what a navigation to the app asks for).
// The footprint model files (about 1 MB each) are not fetched at install but
// kept the first time the questionnaire loads one (__LAZY__), so the
// questionnaire works offline after one visit.
const modelPaths = new Set(Object.values(modelFiles).map((f) => join(dist, 'assets', f)));
const allFiles = listFiles(dist).sort();
const hash = createHash('sha256');
for (const f of allFiles) {
  hash.update(urlPath(f));
  hash.update('\0');
  hash.update(readFileSync(f));
}
const version = hash.digest('hex').slice(0, 16);
const shellFiles = allFiles.filter((f) => !modelPaths.has(f));
const shell = shellFiles.map(urlPath).map((p) => (p === 'index.html' ? './' : p));
const lazy = [...modelPaths].map(urlPath);
await esbuild.build({
  absWorkingDir: root,
  entryPoints: ['src/sw.js'],
  bundle: false,
  minify: true,
  target: ['es2020'],
  outfile: 'dist/sw.js',
  charset: 'utf8',
  legalComments: 'none',
  define: { __VERSION__: JSON.stringify(version), __SHELL__: JSON.stringify(shell), __LAZY__: JSON.stringify(lazy) },
  logLevel: 'warning',
});

// --- report and budget -----------------------------------------------------
const size = (f) => {
  const buf = readFileSync(f);
  return { raw: buf.length, gz: gzipSync(buf, { level: 9 }).length };
};
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const report = (f, note = '') => {
  const s = size(f);
  console.log(`  ${urlPath(f).padEnd(44)} ${kb(s.raw).padStart(10)}  (gzip ${kb(s.gz)})${note}`);
};
for (const f of [join(dist, 'index.html'), ...initialJs, css]) report(f, initialJs.includes(f) ? '  first load' : '');
for (const f of lazyJs) report(f, f === chartJs ? '  on demand, chart vendor (Chart.js)' : '  on demand');
report(workerFile, '  footprint worker');
for (const f of modelPaths) report(f, `  model ${modelVersion}`);
report(join(dist, 'sw.js'));
console.log(`  service worker cache: zcnode-shell-${version} (${shell.length} files, ${lazy.length} more on first use)`);
const firstLoad = initialJs.reduce((n, f) => n + size(f).raw, 0);
if (firstLoad > BUDGET.js) fail(`first-load JS over budget (${kb(firstLoad)} > ${kb(BUDGET.js)})`);
for (const f of lazyJs) {
  const limit = f === chartJs ? BUDGET.chartJs : BUDGET.lazyJs;
  if (size(f).raw > limit) fail(`${urlPath(f)} over budget (${kb(size(f).raw)} > ${kb(limit)})`);
}
if (size(css).raw > BUDGET.css) fail(`CSS bundle over budget (${kb(size(css).raw)} > ${kb(BUDGET.css)})`);
