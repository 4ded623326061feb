// The questionnaire's answers, kept in this browser only (localStorage) so a
// participant can resume or redo it; they are never sent to the node.
// {answers: {rule: value}, at: rule being answered | null, finished: bool}

const KEY = 'zcnode.footprint';

function storage() {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export function loadAnswers() {
  const empty = { answers: {}, at: null, finished: false };
  try {
    const s = storage();
    const raw = s ? s.getItem(KEY) : null;
    const v = raw ? JSON.parse(raw) : null;
    if (!v || typeof v !== 'object' || !v.answers || typeof v.answers !== 'object') return empty;
    const answers = {};
    for (const [k, x] of Object.entries(v.answers)) {
      if (typeof x === 'number' || typeof x === 'boolean' || typeof x === 'string') answers[k] = x;
    }
    return { answers, at: typeof v.at === 'string' ? v.at : null, finished: v.finished === true };
  } catch {
    return empty;
  }
}

export function saveAnswers(value) {
  try {
    const s = storage();
    if (s) s.setItem(KEY, JSON.stringify(value));
  } catch {
    // Storage refused (private mode, quota): the answers last for this visit.
  }
}

export function clearAnswers() {
  try {
    const s = storage();
    if (s) s.removeItem(KEY);
  } catch {
    // nothing kept anyway
  }
}
