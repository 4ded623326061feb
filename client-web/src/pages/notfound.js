// Any hash route the app does not know.
import { h } from '../dom.js';
import { t } from '../i18n/index.js';

export default function notFoundPage() {
  return {
    title: () => t('notfound.title'),
    render: () =>
      h(
        'div',
        { class: 'page' },
        h('h1', null, t('notfound.title')),
        h('p', null, t('notfound.text')),
        h('p', null, h('a', { class: 'button button-secondary', href: '#/' }, t('common.backHome'))),
      ),
  };
}
