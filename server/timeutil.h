/* Clocks and the date formats of the API (RFC 3339 UTC, YYYY-MM-DD). Pure
 * apart from reading the clocks. */
#ifndef ZC_TIMEUTIL_H
#define ZC_TIMEUTIL_H

#include <stdbool.h>
#include <stdint.h>

#define TIME_RFC3339_LEN 21 /* "2026-11-22T14:05:09Z" + NUL */
#define TIME_DAY_LEN	 11 /* "2026-11-22" + NUL */
#define TIME_WEEK_LEN	 9  /* "2026-W48" + NUL */

/* Wall clock, seconds since the epoch. */
int64_t time_now_s(void);
/* Wall clock, microseconds since the epoch. */
int64_t time_now_us(void);
/* Monotonic clock in microseconds (for durations and rate limits). */
uint64_t time_mono_us(void);
/* Formats t (UTC) as "YYYY-MM-DDTHH:MM:SSZ". */
void time_rfc3339(int64_t t, char out[TIME_RFC3339_LEN]);
/* Formats t (UTC) as "YYYY-MM-DD". */
void time_day(int64_t t, char out[TIME_DAY_LEN]);
/* Parses a strict, real calendar date "YYYY-MM-DD" (years 2000–2999) into days
 * since 1970-01-01. */
bool time_parse_day(const char *s, int64_t *days);
/* Parses a strict UTC "YYYY-MM-DDTHH:MM:SSZ" (years 2000–2999; no leap
 * second, no offset, no fraction) into seconds since the epoch. */
bool time_parse_rfc3339(const char *s, int64_t *t);

/* Days since 1970-01-01 of t in the process's local time zone (TZ). */
int64_t time_local_day(int64_t t);
/* Formats a day number as "YYYY-MM-DD". */
void time_format_day(int64_t days, char out[TIME_DAY_LEN]);
/* ISO 8601 week of a day number, as year * 100 + week (e.g. 202648). */
uint32_t time_iso_week(int64_t days);
/* Day number of the Monday of an ISO week (year * 100 + week). */
int64_t time_week_monday(uint32_t week);
/* Formats an ISO week (year * 100 + week) as "YYYY-Www". */
void time_format_week(uint32_t week, char out[TIME_WEEK_LEN]);
/* Parses a strict "YYYY-Www" (years 2000–2999, week 1 to the year's 52 or 53). */
bool time_parse_week(const char *s, uint32_t *week);

#endif
