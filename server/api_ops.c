/* Operations and public read routes: health, Prometheus metrics, city profile. */
#include "api.h"
#include "config.h"
#include "city.h"
#include "metrics.h"
#include "store.h"
#include "timeutil.h"

void api_healthz(struct api_req *r)
{
	/* A node that cannot write cannot take registrations or check-ins: tell the
	 * monitor with 503 rather than a cheerful "ok". */
	bool full = store_is_full(r->node->store);
	r->status = full ? 503 : 200;
	jbuf_puts(r->resp, full ? "{\"status\":\"storage_full\"" : "{\"status\":\"ok\"");
	jbuf_puts(r->resp, ",\"version\":\"" ZC_VERSION "\",\"city\":");
	jbuf_json_str(r->resp, r->node->city.name[0] ? r->node->city.name : NULL);
	jbuf_putc(r->resp, '}');
}

void api_metrics(struct api_req *r)
{
	if (!config_address_allowed(r->node->cfg.metrics_allow, r->peer)) {
		api_error(r, 403, "forbidden",
			  "metrics are not served to this address "
			  "(see metrics_allow)");
		return;
	}
	uint64_t used, map;
	store_size(r->node->store, &used, &map);
	metrics_gauge_set(METRICS_LMDB_SIZE, (int64_t)used);
	metrics_gauge_set(METRICS_LMDB_MAP_SIZE, (int64_t)map);
	r->status = 200;
	r->content_type = "text/plain; version=0.0.4; charset=utf-8";
	metrics_render(r->resp, time_now_s());
}

void api_city(struct api_req *r)
{
	r->status = 200;
	city_json(r->node, r->resp);
}
