// A data table inside a container that scrolls sideways on a narrow screen.
// Its title stands above the container (so it never scrolls out of sight)
// and names both the table and the container, a focusable region that
// keyboard users can scroll too.
import { h, uid } from '../dom.js';
import { t } from '../i18n/index.js';

/**
 * `columns`: [{key, num?}] (catalogue keys of the headers; `num` aligns
 * right). `rows`: arrays of cells (text or nodes), the first one being the
 * row header. `caption`: the title; `captionHidden` gives it to screen
 * readers only. An empty `rows` gives the `empty` sentence instead.
 */
export function dataTable({ caption, captionHidden = false, columns, rows, empty }) {
  if (!rows.length) return h('p', { class: 'muted' }, empty);
  const captionId = uid('caption');
  const name = captionHidden ? { 'aria-label': caption } : { 'aria-labelledby': captionId };
  const cls = (i) => (columns[i] && columns[i].num ? 'num' : null);
  return [
    captionHidden ? null : h('p', { id: captionId, class: 'table-caption' }, caption),
    h(
      'div',
      { class: 'table-wrap', role: 'region', tabindex: '0', ...name },
      h(
        'table',
        name,
        h('thead', null, h('tr', null, columns.map((c, i) => h('th', { scope: 'col', class: cls(i) }, t(c.key))))),
        h(
          'tbody',
          null,
          rows.map((cells) =>
            h(
              'tr',
              null,
              cells.map((cell, i) => (i === 0 ? h('th', { scope: 'row', class: cls(i) }, cell) : h('td', { class: cls(i) }, cell))),
            ),
          ),
        ),
      ),
    ),
  ];
}
