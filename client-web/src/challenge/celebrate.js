// A small celebration for a new badge or level: the badge pops in and a few
// leaves fly up around it. Pure CSS animations on classes (the CSP forbids
// inline styles); under prefers-reduced-motion the stylesheet turns every
// animation off, so the badge simply appears.
import { h } from '../dom.js';

const PIECES = 8;

/** Wraps `content` (the badge line) in an element that celebrates once. */
export function celebration(content) {
  const sparks = [];
  for (let i = 0; i < PIECES; i += 1) sparks.push(h('span', { class: `spark spark-${i}`, 'aria-hidden': 'true' }));
  return h('div', { class: 'celebrate' }, h('div', { class: 'celebrate-sparks', 'aria-hidden': 'true' }, sparks), content);
}
