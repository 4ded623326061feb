/* Helpers on the shared node state. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "node.h"

void node_path(const struct node *n, const char *name, char *out, size_t cap)
{
	size_t dl = strlen(n->data_dir), nl = strlen(name);
	if (dl + 1 + nl + 1 > cap) {
		/* Paths come from the command line; refuse rather than truncate. */
		fprintf(stderr, "zcnode: path too long: %s/%s\n", n->data_dir, name);
		exit(2);
	}
	memcpy(out, n->data_dir, dl);
	out[dl] = '/';
	memcpy(out + dl + 1, name, nl + 1);
}
