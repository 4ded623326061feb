/* Clocks and date formats. Calendar arithmetic is done on integers (days from
 * civil dates) so it does not depend on the process time zone. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "timeutil.h"

int64_t time_now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec;
}

int64_t time_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

uint64_t time_mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

void time_rfc3339(int64_t t, char out[TIME_RFC3339_LEN])
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, TIME_RFC3339_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void time_day(int64_t t, char out[TIME_DAY_LEN])
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, TIME_DAY_LEN, "%Y-%m-%d", &tm);
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static bool is_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

bool time_parse_day(const char *s, int64_t *days)
{
	static const unsigned mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || !is_digits(s, 4) ||
	    !is_digits(s + 5, 2) || !is_digits(s + 8, 2))
		return false;
	unsigned y =
	    (unsigned)((s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0'));
	unsigned m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
	unsigned d = (unsigned)((s[8] - '0') * 10 + (s[9] - '0'));
	if (y < 2000 || y > 2999 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (m == 2 && d == 29 && !leap)
		return false;
	*days = days_from_civil(y, m, d);
	return true;
}

bool time_parse_rfc3339(const char *s, int64_t *t)
{
	char day[TIME_DAY_LEN];
	int64_t days;
	if (strlen(s) != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z' ||
	    !is_digits(s + 11, 2) || !is_digits(s + 14, 2) || !is_digits(s + 17, 2))
		return false;
	memcpy(day, s, 10);
	day[10] = '\0';
	if (!time_parse_day(day, &days))
		return false;
	int h = (s[11] - '0') * 10 + (s[12] - '0');
	int mi = (s[14] - '0') * 10 + (s[15] - '0');
	int se = (s[17] - '0') * 10 + (s[18] - '0');
	if (h > 23 || mi > 59 || se > 59)
		return false;
	*t = days * 86400 + h * 3600 + mi * 60 + se;
	return true;
}

int64_t time_local_day(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	return days_from_civil((int64_t)tm.tm_year + 1900, (unsigned)tm.tm_mon + 1,
			       (unsigned)tm.tm_mday);
}

/* Civil date of a day number (the inverse of days_from_civil). */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

void time_format_day(int64_t days, char out[TIME_DAY_LEN])
{
	int64_t y;
	unsigned m, d;
	civil_from_days(days, &y, &m, &d);
	unsigned yy = y < 0 ? 0 : (unsigned)(y % 10000);
	snprintf(out, TIME_DAY_LEN, "%04u-%02u-%02u", yy, m % 100, d % 100);
}

/* Monday = 0 … Sunday = 6; 1970-01-01 was a Thursday. */
static unsigned weekday(int64_t days)
{
	return (unsigned)(((days % 7) + 7 + 3) % 7);
}

uint32_t time_iso_week(int64_t days)
{
	/* The ISO year of a week is the year of its Thursday. */
	int64_t thu = days - weekday(days) + 3, y;
	unsigned m, d;
	civil_from_days(thu, &y, &m, &d);
	int64_t doy = thu - days_from_civil(y, 1, 1);
	return (uint32_t)(y * 100 + doy / 7 + 1);
}

int64_t time_week_monday(uint32_t week)
{
	int64_t jan4 = days_from_civil(week / 100, 1, 4);
	return jan4 - weekday(jan4) + 7 * (int64_t)(week % 100 - 1);
}

void time_format_week(uint32_t week, char out[TIME_WEEK_LEN])
{
	snprintf(out, TIME_WEEK_LEN, "%04u-W%02u", (week / 100) % 10000, week % 100);
}

bool time_parse_week(const char *s, uint32_t *week)
{
	if (strlen(s) != 8 || s[4] != '-' || s[5] != 'W' || !is_digits(s, 4) ||
	    !is_digits(s + 6, 2))
		return false;
	unsigned y =
	    (unsigned)((s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0'));
	unsigned w = (unsigned)((s[6] - '0') * 10 + (s[7] - '0'));
	if (y < 2000 || y > 2999 || w < 1)
		return false;
	/* A year has 53 weeks when its last ISO week, that of 28 December, is 53. */
	uint32_t last = time_iso_week(days_from_civil(y, 12, 28)) % 100;
	if (w > last)
		return false;
	*week = y * 100 + w;
	return true;
}
