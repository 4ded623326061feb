// Turns an ApiError into a sentence for the reader, chosen by the server's
// error code; the server's own (English) message is the last resort.
import { t, has } from './i18n/index.js';

function invalidFieldText(err) {
  const m = err.serverMessage.toLowerCase();
  if (m.includes('not allowed')) return t('errors.nickname_denied');
  if (m.includes('nickname')) {
    if (m.includes('characters')) return t('validation.nicknameLength');
    if (m.includes('start and end')) return t('validation.nicknameForm');
    if (m.includes('only')) return t('validation.nicknameChars');
    return t('validation.nicknameRules');
  }
  if (m.includes('neighbourhood')) return t('validation.neighbourhood');
  if (m.includes('household')) return t('validation.household');
  if (m.includes('username')) return t('validation.username');
  if (m.includes('password')) return t('validation.password');
  if (m.includes('word')) return t('validation.word');
  return t('errors.invalid_field', { message: err.serverMessage });
}

/**
 * Text for err. `overrides` maps an error code to a catalogue key when a page
 * knows better (e.g. invalid_credentials on the staff login).
 */
export function errorText(err, overrides = {}) {
  if (!err || typeof err.code !== 'string') return t('errors.unknown');
  if (overrides[err.code]) return t(overrides[err.code]);
  if (err.code === 'invalid_field') return invalidFieldText(err);
  if (err.code === 'rate_limited' && err.retryAfter) {
    if (err.retryAfter >= 90) return t('errors.rate_limited_minutes', { minutes: Math.ceil(err.retryAfter / 60) });
    return t('errors.rate_limited_wait', { seconds: err.retryAfter });
  }
  if (has(`errors.${err.code}`)) return t(`errors.${err.code}`);
  if (err.serverMessage) return t('errors.generic', { message: err.serverMessage });
  return t('errors.unknown');
}

/** The field (form control name) an error points at, when the server names one. */
export function errorField(err) {
  if (!err) return null;
  if (err.code === 'nickname_taken') return 'nickname';
  if (!['invalid_field', 'missing_field', 'wrong_type', 'unknown_field'].includes(err.code)) return null;
  const m = err.serverMessage.toLowerCase();
  if (m.includes('not allowed') || m.includes('nickname')) return 'nickname';
  if (m.includes('neighbourhood')) return 'neighbourhood';
  if (m.includes('household')) return 'household_size';
  if (m.includes('username')) return 'username';
  if (m.includes('password')) return 'password';
  if (m.includes('word')) return 'word';
  return null;
}
