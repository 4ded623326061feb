/* The libwebsockets side of the HTTP API: reads a request (headers, capped
 * body), hands it to api_dispatch, writes the response. */
#ifndef ZC_HTTP_H
#define ZC_HTTP_H

#include <libwebsockets.h>

#define HTTP_PROTOCOL_NAME "zcnode-http"

/* The protocol entry the server's vhost lists first. */
extern const struct lws_protocols http_protocol;

#endif
