// Tiny DOM helpers. Text always goes in as text nodes (never innerHTML), so
// nicknames and server messages cannot inject markup, and nothing here needs
// inline styles, which the node's Content-Security-Policy forbids.

let idCounter = 0;

/** Returns an id unique in this page, for label/aria wiring. */
export function uid(prefix = 'id') {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

function setAttr(el, name, value) {
  if (value === undefined || value === null || value === false) return;
  if (name === 'class') {
    el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
  } else if (name === 'dataset') {
    Object.assign(el.dataset, value);
  } else if (name.startsWith('on') && typeof value === 'function') {
    el.addEventListener(name.slice(2).toLowerCase(), value);
  } else if (name === 'value' || name === 'checked' || name === 'selected') {
    el[name] = value;
  } else if (value === true) {
    el.setAttribute(name, '');
  } else {
    el.setAttribute(name, String(value));
  }
}

function append(el, child) {
  if (child === undefined || child === null || child === false) return;
  if (Array.isArray(child)) {
    child.forEach((c) => append(el, c));
  } else if (child instanceof Node) {
    el.appendChild(child);
  } else {
    el.appendChild(document.createTextNode(String(child)));
  }
}

/** Creates an element: h('p', {class: 'x'}, 'text', child, [more]). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs && !(attrs instanceof Node) && !Array.isArray(attrs) && typeof attrs === 'object') {
    for (const [k, v] of Object.entries(attrs)) setAttr(el, k, v);
  } else {
    append(el, attrs);
  }
  append(el, children);
  return el;
}

/** Replaces all children of el. */
export function replaceChildren(el, ...children) {
  while (el.firstChild) el.removeChild(el.firstChild);
  append(el, children);
}

/** Shows or hides an element through the `hidden` attribute. */
export function show(el, visible) {
  el.hidden = !visible;
}
