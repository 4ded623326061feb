// Confidentialité: what is stored, what never is, and the reader's rights.
import { h } from '../dom.js';
import { t } from '../i18n/index.js';
import * as session from '../session.js';

export default function privacyPage() {
  function part(titleKey, ...children) {
    return h('section', null, h('h2', null, t(titleKey)), ...children);
  }

  function render() {
    return h(
      'div',
      { class: 'page page-privacy prose' },
      h('h1', null, t('privacy.title')),
      h('p', { class: 'lead' }, t('privacy.intro')),
      part(
        'privacy.storedTitle',
        h('ul', null, ['privacy.stored1', 'privacy.stored2', 'privacy.stored3', 'privacy.stored5', 'privacy.stored4'].map((k) => h('li', null, t(k)))),
      ),
      part('privacy.neverTitle', h('p', null, t('privacy.never'))),
      part('privacy.deviceTitle', h('p', null, t('privacy.device')), h('p', null, t('privacy.footprintDevice'))),
      part('privacy.sharingTitle', h('p', null, t('privacy.sharing'))),
      part(
        'privacy.rightsTitle',
        h('p', null, t('privacy.rights')),
        session.participant()
          ? h('p', null, h('a', { class: 'button button-secondary', href: '#/profil' }, t('privacy.toProfile')))
          : null,
      ),
    );
  }

  return { title: () => t('privacy.title'), render };
}
