/* Unit tests for configuration parsing and validation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"

static enum zc_err parse(struct zc_config *c, const char *text, char *err, size_t cap)
{
	config_defaults(c);
	return config_parse(c, text, strlen(text), err, cap);
}

static void defaults(void **state)
{
	(void)state;
	struct zc_config c;
	config_defaults(&c);
	assert_int_equal(c.port, 8443);
	assert_false(c.plain_http);
	assert_int_equal(c.max_body_bytes, 16384);
	assert_int_equal(c.map_size_mb, 4096);
	assert_string_equal(c.log_level, "info");
	assert_false(c.test_hooks);
}

static void parses_file(void **state)
{
	(void)state;
	struct zc_config c;
	char err[256];
	const char *text = "# comment\n\n  port = 0\nplain_http=yes\r\nlisten = 127.0.0.1\n"
			   "map_size_mb = 2048\nlog_level = debug\nstatic_dir = /srv/www # "
			   "x\ntls_cert = /etc/a#b.pem\n"
			   "ws_max_subscriptions = 64\n";
	assert_int_equal(parse(&c, text, err, sizeof(err)), ZC_OK);
	assert_int_equal(c.port, 0);
	assert_true(c.plain_http);
	assert_string_equal(c.listen, "127.0.0.1");
	assert_int_equal(c.map_size_mb, 2048);
	assert_string_equal(c.log_level, "debug");
	/* '#' after a space starts a comment; inside a word it is kept. */
	assert_string_equal(c.static_dir, "/srv/www");
	assert_int_equal(c.ws_max_subscriptions, 64);
	assert_string_equal(c.tls_cert, "/etc/a#b.pem");
}

static void refusals_name_the_line(void **state)
{
	(void)state;
	struct zc_config c;
	char err[256];
	static const char *const bad[][2] = {
	    {"port = 8443\nnonsense = 1\n", "line 2: unknown option 'nonsense'"},
	    {"port = 70000\n", "line 1: port"},
	    {"port = -1\n", "line 1: port"},
	    {"port = 12ab\n", "line 1: port"},
	    {"plain_http = maybe\n", "line 1: plain_http"},
	    {"log_level = loud\n", "line 1: log_level"},
	    {"max_body_bytes = 10\n", "line 1: max_body_bytes"},
	    {"listen = 1.2.3.4; rm\n", "line 1: listen"},
	    {"just words\n", "line 1: expected"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse(&c, bad[i][0], err, sizeof(err)), ZC_ERR_CONFIG);
		if (strncmp(err, bad[i][1], strlen(bad[i][1])) != 0)
			fail_msg("case %zu: '%s' does not start with '%s'", i, err, bad[i][1]);
	}
}

static void metrics_allow_list(void **state)
{
	(void)state;
	struct zc_config c;
	char err[128];
	config_defaults(&c);
	assert_true(config_address_allowed(c.metrics_allow, "127.0.0.1"));
	assert_true(config_address_allowed(c.metrics_allow, "::1"));
	assert_false(config_address_allowed(c.metrics_allow, "10.0.0.1"));
	assert_false(config_address_allowed(c.metrics_allow, "127.0.0.12"));
	assert_false(config_address_allowed(c.metrics_allow, "127.0.0"));
	assert_true(config_address_allowed(c.metrics_allow, "::ffff:127.0.0.1"));
	assert_true(config_address_allowed("::FFFF:10.1.2.3,FE80::1", "10.1.2.3"));
	assert_true(config_address_allowed("fe80::1", "FE80::1"));
	assert_false(config_address_allowed("::ffff:10.1.2.3", "10.1.2.4"));
	assert_int_equal(config_set(&c, "metrics_allow", "10.0.0.1, 10.0.0.2", err, sizeof(err)),
			 ZC_OK);
	assert_true(config_address_allowed(c.metrics_allow, "10.0.0.2"));
	assert_false(config_address_allowed(c.metrics_allow, "127.0.0.1"));
	assert_int_equal(config_set(&c, "metrics_allow", "any", err, sizeof(err)), ZC_OK);
	assert_true(config_address_allowed(c.metrics_allow, "203.0.113.9"));
	assert_int_equal(config_set(&c, "metrics_allow", "everyone", err, sizeof(err)),
			 ZC_ERR_CONFIG);
}

static void video_frame_sources(void **state)
{
	(void)state;
	struct zc_config c;
	char err[256];
	config_defaults(&c);
	assert_string_equal(c.video_frame_src, "");
	static const char *const good[] = {
	    "",
	    "https://peertube.example.org",
	    "https://www.youtube-nocookie.com https://player.vimeo.com",
	    "  https://*.example.org  https://v.example.org:8443 ",
	    "https://a-b.c9.example",
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (config_set(&c, "video_frame_src", good[i], err, sizeof(err)) != ZC_OK)
			fail_msg("'%s' refused: %s", good[i], err);
	assert_string_equal(c.video_frame_src, "https://a-b.c9.example");
	static const char *const bad[] = {
	    "http://peertube.example.org",  /* not https */
	    "https://",			    /* no host */
	    "https://*",		    /* every host */
	    "https://*.",		    /* */
	    "https://x.org/path",	    /* a path */
	    "https://x.org; script-src *",  /* another directive */
	    "https://x.org,https://y.org",  /* commas */
	    "'self'",			    /* keywords */
	    "*",			    /* */
	    "https://x.org:0",		    /* port out of range */
	    "https://x.org:65536",	    /* */
	    "https://x.org:",		    /* */
	    "https://-x.org",		    /* label starting with '-' */
	    "https://x-.org",		    /* label ending with '-' */
	    "https://x..org",		    /* empty label */
	    "https://x.org.",		    /* trailing dot */
	    "https://a.*.org",		    /* inner wildcard */
	    "https://x.org\thttps://y.org", /* tab */
	    "https://user@x.org",	    /* credentials */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (config_set(&c, "video_frame_src", bad[i], err, sizeof(err)) != ZC_ERR_CONFIG)
			fail_msg("'%s' accepted", bad[i]);
		assert_non_null(strstr(err, "video_frame_src"));
	}
	assert_string_equal(c.video_frame_src, "https://a-b.c9.example"); /* unchanged */
}

static void set_single_option(void **state)
{
	(void)state;
	struct zc_config c;
	char err[128];
	config_defaults(&c);
	assert_int_equal(config_set(&c, "port", "0", err, sizeof(err)), ZC_OK);
	assert_int_equal(c.port, 0);
	assert_int_equal(config_set(&c, "test_hooks", "on", err, sizeof(err)), ZC_OK);
	assert_true(c.test_hooks);
	assert_int_equal(config_set(&c, "port", "", err, sizeof(err)), ZC_ERR_CONFIG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(defaults),
	    cmocka_unit_test(parses_file),
	    cmocka_unit_test(refusals_name_the_line),
	    cmocka_unit_test(set_single_option),
	    cmocka_unit_test(metrics_allow_list),
	    cmocka_unit_test(video_frame_sources),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
