// The app shell: header (brand, navigation, language switch), hash router,
// footer, offline notice and service worker. Routes are hashes (#/profil)
// because the node serves no fallback page for unknown paths.
import { syncCalendar } from './challenge/common.js';
import './styles/app.css';
import { h, replaceChildren } from './dom.js';
import { t, lang, setLang, onLangChange, LANGS } from './i18n/index.js';
import { api } from './api.js';
import * as session from './session.js';
import { registerServiceWorker } from './sw-register.js';
import homePage from './pages/home.js';
import joinPage from './pages/join.js';
import recoverPage from './pages/recover.js';
import profilePage from './pages/profile.js';
import privacyPage from './pages/privacy.js';
import notFoundPage from './pages/notfound.js';

/**
 * A page whose code is loaded on first visit (a separate chunk), so the
 * first bundle stays small: a heading and a loading line until it arrives.
 */
function lazyPage(load, titleKey) {
  return (app) => {
    let inner = null;
    let failed = false;
    let left = false;
    const attempt = () => {
      failed = false;
      load().then(
        (mod) => {
          if (left) return;
          inner = mod.default(app);
          const focused = document.activeElement && document.activeElement.tagName === 'H1';
          app.rerender(focused ? 'h1' : undefined);
        },
        () => {
          failed = true;
          app.rerender();
        },
      );
    };
    attempt();
    const shell = (...children) =>
      h('div', { class: 'page' }, h('h1', { tabindex: '-1' }, t(titleKey)), ...children);
    return {
      title: () => (inner ? inner.title() : t(titleKey)),
      render() {
        if (inner) return inner.render();
        if (!failed) return shell(h('p', { role: 'status', class: 'loading' }, t('common.pageLoading')));
        return shell(
          h('div', { class: 'notice notice-error', role: 'alert' }, t('common.pageFailed')),
          h(
            'div',
            { class: 'actions' },
            h(
              'button',
              {
                type: 'button',
                class: 'button button-secondary',
                onclick: () => {
                  attempt();
                  app.rerender();
                },
              },
              t('common.retry'),
            ),
          ),
        );
      },
      leave() {
        left = true;
        if (inner && inner.leave) inner.leave();
      },
    };
  };
}

const routes = {
  '/': homePage,
  '/rejoindre': joinPage,
  '/recuperer': recoverPage,
  '/profil': profilePage,
  // The staff console is for a few people: its code is loaded on first visit.
  '/admin': lazyPage(() => import('./pages/admin.js'), 'admin.title'),
  '/confidentialite': privacyPage,
  '/empreinte': lazyPage(() => import('./pages/footprint.js'), 'footprint.title'),
  '/actions': lazyPage(() => import('./pages/actions.js'), 'nav.actions'),
  '/tableau-de-bord': lazyPage(() => import('./pages/dashboard.js'), 'nav.dashboard'),
  '/dechets': lazyPage(() => import('./pages/waste.js'), 'nav.waste'),
  '/equipes': lazyPage(() => import('./pages/teams.js'), 'nav.teams'),
  '/classements': lazyPage(() => import('./pages/leaderboard.js'), 'nav.leaderboards'),
  '/progression': lazyPage(() => import('./pages/progress.js'), 'nav.progress'),
  '/ateliers': lazyPage(() => import('./pages/workshops.js'), 'nav.workshops'),
  '/inter-villes': lazyPage(() => import('./pages/intercity.js'), 'ic.title'),
};

// Routes with a part that varies (#/ateliers/12): the page finds the parts
// matched in app.params.
const paramRoutes = [[/^\/ateliers\/(\d{1,9})$/, lazyPage(() => import('./pages/workshop.js'), 'nav.workshops')]];

// Pages reached from a tab without being one: that tab shows as the section.
const SECTION_OF = {
  '/dechets': '/tableau-de-bord',
  '/progression': '/profil',
  '/equipes': '/profil',
  '/empreinte': '/profil',
  '/recuperer': '/rejoindre',
  '/inter-villes': '/classements',
};

// Pages with a link in the header from 48rem up but no tab on a phone (five
// tabs fill 360 px) nor a header link below 48rem (six links overflow 40rem):
// there, the link of their section shows as current instead.
const WIDE_ONLY = new Set(['/inter-villes']);

// Tab bar icons (24×24, drawn with strokes in the text colour).
const ICONS = {
  home: ['M3 11.5 12 4l9 7.5', 'M5.5 10v10h5v-6h3v6h5V10'],
  actions: ['M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18', 'm8 12.5 3 3 5-6'],
  dashboard: ['M4 20h16', 'M7 16v-5', 'M12 16V6', 'M17 16v-8'],
  leaderboards: ['M3 20h18', 'M4 20v-6h5v6', 'M9.5 20V8h5v12', 'M15 20v-9h5v9'],
  intercity: ['M3 20h18', 'M5 20V9l4-3 4 3v11', 'M13 20v-7h6v7', 'M8 12h2', 'M8 16h2'],
  profile: ['M12 4a4 4 0 1 0 0 8a4 4 0 1 0 0-8', 'M4 20c1.5-4 4.5-6 8-6s6.5 2 8 6'],
  join: ['M10 4a4 4 0 1 0 0 8a4 4 0 1 0 0-8', 'M3 20c1.3-4 4-6 7-6 1.6 0 3 .5 4.2 1.4', 'M18 13v7', 'M14.5 16.5h7'],
};

const SVG_NS = 'http://www.w3.org/2000/svg';

function icon(name) {
  const svg = document.createElementNS(SVG_NS, 'svg');
  for (const [k, v] of Object.entries({ viewBox: '0 0 24 24', width: '24', height: '24', fill: 'none', stroke: 'currentColor', 'stroke-width': '2', 'stroke-linecap': 'round', 'stroke-linejoin': 'round', 'aria-hidden': 'true', focusable: 'false' })) {
    svg.setAttribute(k, v);
  }
  for (const d of ICONS[name]) {
    const path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', d);
    svg.appendChild(path);
  }
  return svg;
}

const root = document.getElementById('app');
const main = h('main', { id: 'main', tabindex: '-1' });
const header = h('header', { class: 'site-header' });
const offline = h('div', { class: 'banner', role: 'status', hidden: navigator.onLine !== false });
const footer = h('footer', { class: 'site-footer' });

let current = null; // {path, page}
let pendingFlash = null;
let cityPromise = null;
let cityName = null;

function routePath() {
  const hash = location.hash || '#/';
  if (!hash.startsWith('#/')) return null;
  const path = hash.slice(1).split('?')[0].replace(/\/+$/, '');
  return path || '/';
}

const app = {
  /** Goes to a hash route (e.g. '#/profil'); re-renders even if already there. */
  navigate(hash) {
    if (location.hash === hash) route(true);
    else location.hash = hash;
  },
  /** Leaves a message (a catalogue key) for the next page to show. */
  flash(key) {
    pendingFlash = key;
  },
  takeFlash() {
    const key = pendingFlash;
    pendingFlash = null;
    return key;
  },
  /** The city profile (GET /city), fetched once; resolves to null when unavailable. */
  city() {
    // Offline, don't even try (the browser would log a failed request); the
    // next call after the connection returns fetches it.
    if (!cityPromise && navigator.onLine === false) return Promise.resolve(null);
    if (!cityPromise) {
      cityPromise = api.city().then(
        (c) => {
          syncCalendar(c);
          return c;
        },
        () => {
          cityPromise = null; // try again on the next page
          return null;
        },
      );
    }
    return cityPromise;
  },
  /** Forgets the city profile fetched so far (staff changed it) and updates the header. */
  cityChanged() {
    cityPromise = null;
    showCityName();
  },
  /** Re-renders the current page, then focuses `focusSelector` if given. */
  rerender(focusSelector) {
    if (!current) return;
    replaceChildren(main, current.page.render());
    if (focusSelector) {
      const el = main.querySelector(focusSelector);
      if (el) el.focus();
    }
  },
  /** Redraws header and footer (after sign-in or sign-out). */
  refreshChrome() {
    renderHeader();
    renderFooter();
  },
};

function navLink(hash, key, iconName, wideOnly = false) {
  const path = current ? current.path : null;
  const active = path !== null && `#${path}` === hash;
  const section = path !== null && SECTION_OF[path] && `#${SECTION_OF[path]}` === hash;
  const sectionClass = section && (WIDE_ONLY.has(path) ? 'nav-section-narrow' : 'nav-section');
  return h(
    'a',
    { href: hash, class: [sectionClass, wideOnly && 'nav-wide'], 'aria-current': active ? 'page' : false },
    icon(iconName),
    h('span', { class: 'nav-text' }, t(key)),
  );
}

function renderHeader() {
  const focusedLang = document.activeElement && document.activeElement.dataset
    ? document.activeElement.dataset.lang
    : undefined;
  const langButtons = LANGS.map((code) =>
    h(
      'button',
      {
        type: 'button',
        class: 'lang-button',
        lang: code,
        'aria-pressed': code === lang() ? 'true' : 'false',
        'aria-label': t(`lang.${code}`),
        dataset: { lang: code },
        onclick: () => setLang(code),
      },
      t(`lang.${code}Short`),
    ),
  );
  const signedIn = session.participant() !== null;
  replaceChildren(
    header,
    h(
      'a',
      {
        class: 'skip-link',
        href: '#main',
        onclick: (e) => {
          e.preventDefault();
          main.focus();
        },
      },
      t('app.skip'),
    ),
    h(
      'div',
      { class: 'header-inner' },
      h(
        'a',
        { class: 'brand', href: '#/' },
        h('img', { src: 'icon.svg', alt: '', width: '32', height: '32' }),
        h('span', { class: 'brand-text' }, t('app.name'), cityName ? h('small', null, cityName) : null),
      ),
      h('div', { class: 'lang-switch', role: 'group', 'aria-label': t('lang.label') }, langButtons),
      // On a phone this is the tab bar at the bottom of the screen (app.css).
      h(
        'nav',
        { class: ['site-nav', signedIn ? 'nav-5' : 'nav-4'], 'aria-label': t('nav.label') },
        navLink('#/', 'nav.home', 'home'),
        navLink('#/actions', 'nav.actions', 'actions'),
        signedIn ? navLink('#/tableau-de-bord', 'nav.dashboard', 'dashboard') : null,
        navLink('#/classements', 'nav.leaderboards', 'leaderboards'),
        navLink('#/inter-villes', 'nav.intercity', 'intercity', true),
        signedIn ? navLink('#/profil', 'nav.profile', 'profile') : navLink('#/rejoindre', 'nav.join', 'join'),
      ),
    ),
  );
  if (focusedLang) {
    const again = header.querySelector(`[data-lang="${focusedLang}"]`);
    if (again) again.focus();
  }
}

function renderFooter() {
  replaceChildren(
    footer,
    h(
      'nav',
      { 'aria-label': t('footer.label') },
      h('a', { href: '#/inter-villes' }, t('ic.title')),
      h('a', { href: '#/confidentialite' }, t('footer.privacy')),
      h('a', { href: '#/admin' }, t('footer.admin')),
    ),
    h('p', null, t('footer.tagline')),
  );
  offline.textContent = t('app.offline');
}

function setTitle() {
  const page = current.page.title();
  document.title = current.path === '/' ? t('app.name') : t('app.pageTitle', { page });
}

function route(force) {
  let path = routePath();
  if (path === null) {
    if (current) return; // an in-page anchor, not a route
    path = '/'; // first load with a stray anchor: show the home page
  }
  if (!force && current && current.path === path) return;
  const first = current === null;
  if (current && current.page.leave) current.page.leave();
  let factory = routes[path];
  let params = null;
  if (!factory) {
    for (const [re, f] of paramRoutes) {
      const m = re.exec(path);
      if (m) {
        factory = f;
        params = m.slice(1);
        break;
      }
    }
  }
  if (!factory) factory = notFoundPage;
  // A page's late answers (a fetch finishing after the reader moved on) must
  // not redraw whatever page is shown by then.
  let page = null;
  const scoped = {
    ...app,
    params,
    rerender(focusSelector) {
      if (current && current.page === page) app.rerender(focusSelector);
    },
  };
  page = factory(scoped);
  current = { path, page };
  replaceChildren(main, current.page.render());
  setTitle();
  renderHeader();
  // Move focus to the new page's heading so screen readers announce it;
  // on first load the browser's own start position is kept.
  if (!first) {
    const heading = main.querySelector('h1');
    if (heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus();
    }
    window.scrollTo(0, 0);
  }
}

function showCityName() {
  app.city().then((c) => {
    if (c && c.name && c.name !== cityName) {
      cityName = c.name;
      renderHeader();
    }
  });
}

function start() {
  document.documentElement.lang = lang();
  replaceChildren(root, header, offline, main, footer);
  renderFooter();
  window.addEventListener('hashchange', () => route(false));
  window.addEventListener('online', () => {
    offline.hidden = true;
    showCityName();
  });
  window.addEventListener('offline', () => {
    offline.hidden = false;
  });
  onLangChange(() => {
    renderHeader();
    renderFooter();
    if (current) {
      replaceChildren(main, current.page.render());
      setTitle();
    }
  });
  route(true);
  showCityName();
  registerServiceWorker();
}

start();
