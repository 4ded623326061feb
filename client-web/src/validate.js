// Client-side checks that mirror the node's rules (docs/api.md), so most
// mistakes are explained before anything is sent. The node stays the judge.

// Letters: ASCII and Latin-1/Latin Extended-A letters (not × and ÷).
const NICK_CHARS = /^[A-Za-z0-9\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u017F \-_.']+$/;
const NICK_EDGE = /^[A-Za-z0-9\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u017F]$/;

/** Catalogue key of the first problem with a nickname, or null. */
export function nicknameProblem(nick) {
  const chars = Array.from(nick);
  if (chars.length < 3 || chars.length > 24) return 'validation.nicknameLength';
  if (!NICK_CHARS.test(nick)) return 'validation.nicknameChars';
  if (!NICK_EDGE.test(chars[0]) || !NICK_EDGE.test(chars[chars.length - 1]) || nick.includes('  ')) {
    return 'validation.nicknameForm';
  }
  return null;
}

/** Parses a household size field: undefined when empty, NaN when invalid. */
export function householdValue(text) {
  const s = String(text).trim();
  if (s === '') return undefined;
  if (!/^\d{1,2}$/.test(s)) return Number.NaN;
  const n = Number.parseInt(s, 10);
  return n >= 1 && n <= 20 ? n : Number.NaN;
}

export function usernameProblem(name) {
  return /^[a-z0-9._-]{3,32}$/.test(name) ? null : 'validation.username';
}

export function wordProblem(word) {
  const n = Array.from(word.trim()).length;
  return n >= 2 && n <= 32 ? null : 'validation.word';
}
