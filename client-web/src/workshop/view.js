// Views of a live workshop shared by the participant's page and the staff
// console: option letters, reaction icons, result bars, and redrawing a part
// without taking the focus away from the control that had it.
import { h, replaceChildren } from '../dom.js';
import { t } from '../i18n/index.js';
import { percentages } from './model.js';
import { local, formatInt } from './common.js';

export const REACTION_ICONS = { clap: '👏', heart: '❤️', idea: '💡', wow: '😮', laugh: '😄', thumbs_up: '👍' };
/** "A", "B", … for the options of a poll or a quiz. */
export const letter = (i) => String.fromCharCode(65 + i);

/**
 * Redraws `slot` with `nodes`, keeping the focus on the control that had it
 * (found again by its data-key), so live updates never steal the focus.
 */
export function refill(slot, nodes) {
  if (!slot || !slot.isConnected) return;
  const active = document.activeElement;
  const key = active && slot.contains(active) && active.dataset ? active.dataset.key : null;
  replaceChildren(slot, nodes);
  if (key) {
    const again = slot.querySelector(`[data-key="${key}"]`);
    if (again && !again.disabled) again.focus();
  }
}

/** Result bars of a poll or quiz: one row per option, its count and share. */
export function bars(options, counts, { correct = null, mine = null, idPrefix } = {}) {
  const pct = percentages(counts);
  return h(
    'ul',
    { class: 'ws-bars', id: idPrefix ? `${idPrefix}-bars` : undefined },
    options.map((o, i) => {
      const fill = h('span', { class: 'ws-bar-fill' });
      fill.style.width = `${pct[i]}%`;
      const isCorrect = correct && correct.includes(i);
      return h(
        'li',
        { class: ['ws-bar', isCorrect && 'ws-bar-correct', mine && mine.includes(i) && 'ws-bar-mine'], dataset: { option: String(i), count: String(counts[i] || 0) } },
        h(
          'span',
          { class: 'ws-bar-label' },
          `${letter(i)}. ${local(o)}`,
          isCorrect ? h('span', { class: 'tag tag-ok' }, t('ws.correctTag')) : null,
          mine && mine.includes(i) ? h('span', { class: 'tag' }, t('ws.yourChoice')) : null,
        ),
        h('span', { class: 'ws-bar-track', 'aria-hidden': 'true' }, fill),
        h('span', { class: 'ws-bar-count' }, t('ws.countPct', { n: formatInt(counts[i] || 0), pct: formatInt(pct[i]) })),
      );
    }),
  );
}
