/* Structured logging: one logfmt line per event on stderr
 * (`ts=… level=… event=… key=value…`). Secrets are never passed here. */
#ifndef ZC_LOG_H
#define ZC_LOG_H

#include <stdbool.h>

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

/* Sets the most verbose level printed. */
void log_set_level(enum log_level level);
/* Parses "error", "warn", "info" or "debug". */
bool log_parse_level(const char *name, enum log_level *out);
/* True when a line at this level would be printed. */
bool log_enabled(enum log_level level);
/* Prints one line: the event name, then the caller's `key=value` pairs. */
void log_event(enum log_level level, const char *event, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
