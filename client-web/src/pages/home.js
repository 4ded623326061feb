// Accueil: what the challenge is, and the two ways in.
import { h, replaceChildren } from '../dom.js';
import { t, lang, formatDate } from '../i18n/index.js';
import * as session from '../session.js';
import { api } from '../api.js';
import { statusRegion, say } from '../ui/form.js';

function plural(base, n) {
  const form = new Intl.PluralRules(lang()).select(n) === 'one' ? 'one' : 'other';
  return t(`${base}.${form}`, { n: new Intl.NumberFormat(lang()).format(n) });
}

/** The participant's season at a glance (GET /me/progress), with the way to check in. */
function summary(progress) {
  const level = progress.level || {};
  const name = level.name ? level.name[lang()] || level.name.fr : '';
  const w = progress.week || { checkins: 0, goal: 1, goal_met: false };
  return h(
    'section',
    { class: 'card home-summary', 'aria-labelledby': 'home-summary-title' },
    h('h2', { id: 'home-summary-title' }, t('home.summaryTitle')),
    h(
      'p',
      { class: 'home-level' },
      h('span', null, t('home.level', { icon: level.icon || '', name })),
      h('strong', { id: 'home-points' }, plural('home.points', progress.points || 0)),
    ),
    h('p', { id: 'home-week' }, t('home.week', { done: w.checkins, goal: w.goal })),
    h('progress', { max: String(Math.max(1, w.goal)), value: String(Math.min(w.checkins, w.goal)), 'aria-labelledby': 'home-week' }),
    w.goal_met ? h('p', { class: 'goal-met' }, t('home.goalMet')) : null,
    h(
      'div',
      { class: 'actions actions-stack' },
      h('a', { class: 'button button-primary', href: '#/actions' }, t('home.checkIn')),
      h('a', { class: 'button button-secondary', href: '#/tableau-de-bord' }, t('home.dashboard')),
    ),
    h(
      'p',
      { class: 'home-more' },
      t('home.more'),
      ' ',
      h('a', { href: '#/dechets' }, t('nav.waste')),
      ' · ',
      h('a', { href: '#/equipes' }, t('nav.teams')),
      ' · ',
      h('a', { href: '#/progression' }, t('nav.progress')),
    ),
  );
}

export default function homePage(app) {
  const flash = app.takeFlash();
  let city = null;
  let lead = null;
  let seasonSlot = null;
  let progress = null;
  let summarySlot = null;

  function leadText() {
    return t('home.lead', { city: city && city.name ? city.name : t('home.cityFallback') });
  }

  function season() {
    if (!city || !city.season) return null;
    return h(
      'p',
      { class: 'season' },
      t('home.season', {
        name: city.season.name,
        start: formatDate(city.season.starts_on),
        end: formatDate(city.season.ends_on),
      }),
    );
  }

  function render() {
    lead = h('p', { class: 'lead' }, leadText());
    seasonSlot = h('div', null, season());
    const status = statusRegion();
    if (flash) say(status, t(flash));
    const actions =
      session.participant() !== null
        ? h(
            'div',
            { class: 'actions actions-stack' },
            h('p', null, t('home.welcomeBack')),
            h('a', { class: 'button button-primary', href: '#/empreinte' }, t('home.footprint')),
            h('a', { class: 'button button-secondary', href: '#/profil' }, t('home.toProfile')),
            h('a', { class: 'button button-secondary', href: '#/ateliers' }, t('home.workshops')),
          )
        : h(
            'div',
            { class: 'actions actions-stack' },
            h('a', { class: 'button button-primary', href: '#/rejoindre' }, t('home.join')),
            h('a', { class: 'button button-secondary', href: '#/recuperer' }, t('home.recover')),
            h('a', { class: 'button button-secondary', href: '#/empreinte' }, t('home.footprint')),
            h('a', { class: 'button button-secondary', href: '#/ateliers' }, t('home.workshops')),
          );
    summarySlot = h('div', null, progress ? summary(progress) : null);
    return h(
      'div',
      { class: 'page page-home' },
      status,
      h('section', { class: 'hero' }, h('h1', null, t('home.title')), lead, summarySlot, h('p', null, t('home.body')), seasonSlot, actions),
    );
  }

  // A registered participant's summary arrives after the first paint too.
  const me = session.participant();
  if (me && navigator.onLine !== false) {
    api.progress(me.token).then(
      (p) => {
        progress = p;
        if (summarySlot && summarySlot.isConnected) replaceChildren(summarySlot, summary(p));
      },
      () => {},
    );
  }

  // The city arrives after the first paint: fill it in place, without moving focus.
  app.city().then((c) => {
    if (!c || city) return;
    city = c;
    if (lead && lead.isConnected) {
      lead.textContent = leadText();
      replaceChildren(seasonSlot, season());
    }
  });

  return { title: () => t('nav.home'), render };
}
