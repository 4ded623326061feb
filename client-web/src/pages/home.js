// Accueil: what the challenge is, and the two ways in.
import { h, replaceChildren } from '../dom.js';
import { t, formatDate } from '../i18n/index.js';
import * as session from '../session.js';
import { statusRegion, say } from '../ui/form.js';

export default function homePage(app) {
  const flash = app.takeFlash();
  let city = null;
  let lead = null;
  let seasonSlot = null;

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
          )
        : h(
            'div',
            { class: 'actions actions-stack' },
            h('a', { class: 'button button-primary', href: '#/rejoindre' }, t('home.join')),
            h('a', { class: 'button button-secondary', href: '#/recuperer' }, t('home.recover')),
            h('a', { class: 'button button-secondary', href: '#/empreinte' }, t('home.footprint')),
          );
    return h(
      'div',
      { class: 'page page-home' },
      status,
      h('section', { class: 'hero' }, h('h1', null, t('home.title')), lead, h('p', null, t('home.body')), seasonSlot, actions),
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
