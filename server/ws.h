/* The WebSocket endpoint /ws (subprotocol zcnode.v1): hello authentication,
 * channel subscriptions and fan-out of broadcast frames. */
#ifndef ZC_WS_H
#define ZC_WS_H

#include <libwebsockets.h>

#define WS_PROTOCOL_NAME	   "zcnode.v1"
#define WS_PRESENTER_PROTOCOL_NAME "zcnode.v1.presenter" /* staff only: larger reads */

extern const struct lws_protocols ws_protocol;
/* The same protocol for staff consoles, read in larger pieces per loop pass so
 * an animator's commands are not throttled by the participants' small buffer. */
extern const struct lws_protocols ws_presenter_protocol;

/* The wake callback given to the channels: asks for a writable callback on the
 * connection that owns a subscription. */
void ws_wake(void *owner, void *arg);

#endif
