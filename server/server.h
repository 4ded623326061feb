/* The event loop: one libwebsockets context and vhost serving HTTPS (or plain
 * HTTP), the API, static files and WebSockets on one port, until SIGTERM or
 * SIGINT. */
#ifndef ZC_SERVER_H
#define ZC_SERVER_H

#include "err.h"
#include "node.h"

/* Serves until a stop signal; prints `zcnode ready port=N` once listening. */
enum zc_err server_run(struct node *n);

#endif
