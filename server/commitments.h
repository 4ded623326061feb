/* A participant's commitments: the actions they intend to do, shown on their
 * dashboard to check in from. At most COMMITMENTS_MAX. */
#ifndef ZC_COMMITMENTS_H
#define ZC_COMMITMENTS_H

#include "err.h"
#include "jbuf.h"
#include "records.h"

struct node;
struct store_txn;
struct action;

#define COMMITMENTS_MAX 30

/* Appends {"commitments":[{"action","since"}]} to out. */
enum zc_err commitments_list_json(struct node *n, const unsigned char *pid, struct jbuf *out);
/* Commits to an action: ZC_ERR_EXISTS when already, ZC_ERR_LIMIT at the cap. */
enum zc_err commitments_add(struct node *n, const unsigned char *pid, const struct action *a,
			    int64_t *since);
/* ZC_ERR_NOT_FOUND when not committed. */
enum zc_err commitments_remove(struct node *n, const unsigned char *pid, const struct action *a);
/* Deletes every commitment of a participant inside the caller's transaction. */
enum zc_err commitments_erase(struct store_txn *txn, const unsigned char *pid);

#endif
