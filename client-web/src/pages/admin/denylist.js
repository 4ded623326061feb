// "Mots interdits dans les pseudonymes" (admins and moderators).
import { h } from '../../dom.js';
import { t, formatNumber } from '../../i18n/index.js';
import { api } from '../../api.js';
import { alertRegion } from '../../ui/form.js';
import { wordProblem } from '../../validate.js';
import { checkedValue, send, panelForm, textField } from './common.js';

export default function denylistPanel(ctx) {
  let words = [];
  let listOpen = false;

  function render() {
    const alert = alertRegion();
    const sorted = words.slice().sort();
    const remove = async (w) => {
      if ((await send(ctx, { call: (tok) => api.adminDenyRemove(tok, w), alert })) === false) return;
      ctx.say('admin.denyRemoved', { word: w });
      await ctx.reload(ctx.statusSelector);
    };
    const list = sorted.length
      ? h(
          'ul',
          { class: 'chips' },
          sorted.map((w) =>
            h(
              'li',
              null,
              h('span', { translate: 'no' }, w),
              h(
                'button',
                {
                  type: 'button',
                  class: 'chip-remove',
                  'aria-label': t('admin.denyRemoveLabel', { word: w }),
                  onclick: () => remove(w),
                },
                t('admin.denyRemove'),
              ),
            ),
          ),
        )
      : h('p', { class: 'muted' }, t('admin.denyEmpty'));
    const summary = h('summary', null, t('admin.denyShow', { count: formatNumber(sorted.length) }));
    const details = h('details', { open: listOpen }, summary, list);
    details.addEventListener('toggle', () => {
      listOpen = details.open;
    });
    const word = textField('admin.denyWord', { name: 'word', maxlength: '32' }, { hintKey: 'admin.denyWordHint' });
    const button = h('button', { type: 'submit', class: 'button button-primary' }, t('admin.denyAdd'));
    const onsubmit = async (event) => {
      event.preventDefault();
      const value = checkedValue(word, wordProblem);
      if (value === null) return;
      const res = await send(ctx, { call: (tok) => api.adminDenyAdd(tok, value), alert, button, fieldFor: () => word });
      if (res === false) return;
      listOpen = true;
      ctx.say('admin.denyAdded', { word: res && res.word ? res.word : value });
      await ctx.reload('input[name="word"]');
    };
    return [
      h('p', null, t('admin.denyIntro')),
      h('p', null, t('admin.denyExact')),
      details,
      panelForm({ className: 'form form-inline', onsubmit, alert, button }, word.el),
    ];
  }

  return {
    async load(token) {
      words = (await api.adminDenylist(token)).words;
    },
    render,
  };
}
