/* Administration from the shell. These commands open the same LMDB
 * environment as a running node (LMDB allows several processes), so they work
 * beside it; the secrets they print are shown once and never logged. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "admins.h"
#include "b64url.h"
#include "city.h"
#include "cli.h"
#include "denylist.h"
#include "dsse.h"
#include "federation.h"
#include "fedtls.h"
#include "log.h"
#include "schema.h"
#include "secrets.h"
#include "store.h"
#include "timeutil.h"
#include "tls_cert.h"

struct cli_opts {
	const char *data_dir;
	const char *config;
	const char *username;
	const char *role;
	const char *output;
	const char *host;
};

/* The files of a data dir, in the order they can be removed. */
static const char *const data_files[] = {
    "db/data.mdb", "db/lock.mdb", "db",		  "tls/node.key", "tls/node.crt", "tls/fed.key",
    "tls/fed.crt", "tls",	  "identity.key", "identity.pub", "node.secret"};

/* A DNS host name for the certificate: 1–253 characters of [a-z0-9.-], labels
 * of 1–63 characters not starting or ending with '-'. */
static bool host_valid(const char *h)
{
	size_t n = strlen(h), label = 0;
	if (n == 0 || n > 253)
		return false;
	for (size_t i = 0; i <= n; i++) {
		char c = h[i];
		if (c == '.' || c == '\0') {
			if (label == 0 || label > 63 || h[i - 1] == '-')
				return false;
			label = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return false;
		if (label == 0 && c == '-')
			return false;
		label++;
	}
	return true;
}

static int usage(const char *what)
{
	fprintf(stderr, "zcnode: %s (see zcnode --help)\n", what);
	return 2;
}

/* Parses --data-dir, --config, --username, --role, --output, --host from argv[first..]. */
static bool parse(int argc, char **argv, int first, struct cli_opts *o)
{
	memset(o, 0, sizeof(*o));
	for (int i = first; i < argc; i++) {
		const char **slot = NULL;
		if (strcmp(argv[i], "--data-dir") == 0)
			slot = &o->data_dir;
		else if (strcmp(argv[i], "--config") == 0)
			slot = &o->config;
		else if (strcmp(argv[i], "--username") == 0)
			slot = &o->username;
		else if (strcmp(argv[i], "--role") == 0)
			slot = &o->role;
		else if (strcmp(argv[i], "--output") == 0)
			slot = &o->output;
		else if (strcmp(argv[i], "--host") == 0)
			slot = &o->host;
		if (!slot || i + 1 >= argc) {
			fprintf(stderr, "zcnode: unexpected argument '%s'\n", argv[i]);
			return false;
		}
		*slot = argv[++i];
	}
	if (!o->data_dir) {
		fprintf(stderr, "zcnode: --data-dir is required\n");
		return false;
	}
	return true;
}

/* Removes what a failed init or backup left in dir, so it can be run again. */
static void remove_data_files(const char *dir)
{
	char path[CONFIG_PATH_MAX * 2];
	for (size_t i = 0; i < sizeof(data_files) / sizeof(data_files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, data_files[i]);
		if (unlink(path) != 0 && (errno == EISDIR || errno == EPERM))
			rmdir(path);
	}
}

/* Prints and counts the data files present in dir. */
static int existing_data_files(const char *dir)
{
	char path[CONFIG_PATH_MAX * 2];
	struct stat st;
	int found = 0;
	for (size_t i = 0; i < sizeof(data_files) / sizeof(data_files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, data_files[i]);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			fprintf(stderr, "zcnode: found %s\n", path);
			found++;
		}
	}
	return found;
}

#define INIT_MARK "initialised_at"

/* True when the store in n->data_dir records a finished init. */
static bool init_finished(struct node *n)
{
	char db[CONFIG_PATH_MAX], path[CONFIG_PATH_MAX];
	struct store *st;
	struct store_txn *txn;
	const void *v;
	size_t vl;
	bool done = false;
	node_path(n, "db/data.mdb", path, sizeof(path));
	if (access(path, F_OK) != 0)
		return false;
	node_path(n, "db", db, sizeof(db));
	if (store_open(db, (uint64_t)1024 << 20, &st) != ZC_OK)
		return false;
	if (store_begin(st, false, &txn) == ZC_OK) {
		done = store_get(txn, STORE_META, INIT_MARK, strlen(INIT_MARK), &v, &vl) == ZC_OK;
		store_abort(txn);
	}
	store_close(st);
	return done;
}

static enum zc_err mark_finished(struct node *n)
{
	struct store_txn *txn;
	int64_t now = time_now_s();
	enum zc_err err = store_begin(n->store, true, &txn);
	if (err)
		return err;
	err = store_put(txn, STORE_META, INIT_MARK, strlen(INIT_MARK), &now, sizeof(now), true);
	if (err) {
		store_abort(txn);
		return err;
	}
	return store_commit(txn);
}

/* Opens the node's secret and store as a running node does, with the node's
 * configuration when one is given (its map size matters to LMDB). */
static bool open_node(struct node *n, const struct cli_opts *o)
{
	char db[CONFIG_PATH_MAX], err[256];
	const char *dir = o->data_dir;
	memset(n, 0, sizeof(*n));
	config_defaults(&n->cfg);
	if (o->config && config_load(&n->cfg, o->config, err, sizeof(err)) != ZC_OK) {
		fprintf(stderr, "zcnode: %s: %s\n", o->config, err);
		return false;
	}
	snprintf(n->data_dir, sizeof(n->data_dir), "%s", dir);
	node_path(n, "db", db, sizeof(db));
	if (secrets_open(dir, &n->secrets) != ZC_OK) {
		fprintf(stderr, "zcnode: cannot read %s/node.secret (run zcnode init?)\n", dir);
		return false;
	}
	if (store_open(db, n->cfg.map_size_mb << 20, &n->store) != ZC_OK ||
	    schema_migrate(n->store) != ZC_OK || city_load(n) != ZC_OK) {
		fprintf(stderr, "zcnode: cannot open the store in %s\n", db);
		secrets_close(n->secrets);
		return false;
	}
	return true;
}

static void close_node(struct node *n)
{
	store_close(n->store);
	secrets_close(n->secrets);
}

static void print_credentials(const char *username, const char *password)
{
	printf("admin username: %s password: %s\n", username, password);
	fflush(stdout);
}

int cli_init(int argc, char **argv)
{
	struct cli_opts o;
	struct node n;
	char path[CONFIG_PATH_MAX], cert[CONFIG_PATH_MAX];
	char password[ADMINS_GENERATED_PASSWORD];
	int rc = 1;

	if (!parse(argc, argv, 2, &o))
		return 2;
	if (o.host && !host_valid(o.host))
		return usage("--host must be a lowercase DNS name such as defi.example.fr");
	if (mkdir(o.data_dir, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "zcnode: cannot create %s: %s\n", o.data_dir, strerror(errno));
		return 1;
	}
	memset(&n, 0, sizeof(n));
	snprintf(n.data_dir, sizeof(n.data_dir), "%s", o.data_dir);
	/* Never touch a directory that holds anything of a node: a failed run
	 * below removes the data files, which must then all be this run's own. */
	int found = existing_data_files(o.data_dir);
	if (found) {
		char secret[CONFIG_PATH_MAX];
		node_path(&n, "node.secret", secret, sizeof(secret));
		if (init_finished(&n) && access(secret, F_OK) != 0)
			fprintf(stderr,
				"zcnode: %s is initialised but has lost node.secret: restore it "
				"from a backup (without it no token or session can be checked)\n",
				o.data_dir);
		else if (init_finished(&n))
			fprintf(stderr, "zcnode: %s is already initialised\n", o.data_dir);
		else
			fprintf(stderr,
				"zcnode: %s holds files of an init that did not finish, or of "
				"another node (listed above); move them away or use an empty "
				"directory, then run init again\n",
				o.data_dir);
		return 1;
	}
	/* From here on a failure removes what this run created, so init can be
	 * run again rather than finding a half-made data dir. */
	if (secrets_create(o.data_dir) != ZC_OK) {
		fprintf(stderr, "zcnode: cannot create the node's secrets in %s\n", o.data_dir);
		goto fail;
	}
	node_path(&n, "tls", path, sizeof(path));
	if (mkdir(path, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "zcnode: cannot create %s\n", path);
		goto fail;
	}
	node_path(&n, "tls/node.key", path, sizeof(path));
	node_path(&n, "tls/node.crt", cert, sizeof(cert));
	if (tls_cert_create(path, cert, o.host, 825) != ZC_OK) {
		fprintf(stderr, "zcnode: cannot create the TLS certificate\n");
		goto fail;
	}
	/* The federation port's own key pair: peers pin its public key. */
	node_path(&n, "tls/fed.key", path, sizeof(path));
	node_path(&n, "tls/fed.crt", cert, sizeof(cert));
	if (tls_cert_create(path, cert, o.host, FED_CERT_DAYS) != ZC_OK) {
		fprintf(stderr, "zcnode: cannot create the federation certificate\n");
		goto fail;
	}
	if (!open_node(&n, &o))
		goto fail;
	admins_generate_password(password);
	if (admins_create(n.store, "admin", ROLE_ADMIN, password) != ZC_OK) {
		fprintf(stderr, "zcnode: cannot create the first admin account\n");
		goto out;
	}
	/* Written last: its absence marks an init that was interrupted. */
	if (mark_finished(&n) != ZC_OK) {
		fprintf(stderr, "zcnode: cannot record the end of init\n");
		goto out;
	}
	admins_audit(n.store, "cli", "init", "admin");
	print_credentials("admin", password);
	sodium_memzero(password, sizeof(password));
	rc = 0;
out:
	close_node(&n);
	if (rc == 0)
		return 0;
fail:
	remove_data_files(o.data_dir);
	return 1;
}

static int admin_add(struct node *n, const struct cli_opts *o, bool reset)
{
	char password[ADMINS_GENERATED_PASSWORD];
	enum rec_role role = ROLE_ADMIN;
	enum zc_err err;
	if (!o->username || !admins_username_valid(o->username))
		return usage("--username must be 3 to 32 characters among a-z 0-9 . _ -");
	if (!reset && o->role && !rec_role_parse(o->role, &role))
		return usage("--role must be admin, animator or moderator");
	admins_generate_password(password);
	err = reset ? admins_set_password(n, o->username, password, NULL)
		    : admins_create(n->store, o->username, role, password);
	if (err) {
		fprintf(stderr, "zcnode: %s\n",
			err == ZC_ERR_EXISTS	  ? "that username is taken"
			: err == ZC_ERR_NOT_FOUND ? "no such account"
						  : zc_strerror(err));
		return 1;
	}
	admins_audit(n->store, "cli", reset ? "password_reset" : "account_create", o->username);
	print_credentials(o->username, password);
	sodium_memzero(password, sizeof(password));
	return 0;
}

static int admin_set_role(struct node *n, const struct cli_opts *o)
{
	enum rec_role role;
	if (!o->username || !o->role || !rec_role_parse(o->role, &role))
		return usage("set-role needs --username NAME --role admin|animator|moderator");
	enum zc_err err = admins_set_role(n, o->username, role);
	if (err) {
		fprintf(stderr, "zcnode: %s\n",
			err == ZC_ERR_NOT_FOUND ? "no such account" : zc_strerror(err));
		return 1;
	}
	char target[REC_USERNAME_BYTES + 16];
	snprintf(target, sizeof(target), "%s:%s", o->username, rec_role_name(role));
	admins_audit(n->store, "cli", "account_role", target);
	printf("%s is now %s (their sessions ended)\n", o->username, rec_role_name(role));
	return 0;
}

static int admin_stats(struct node *n)
{
	struct store_txn *txn;
	uint64_t participants = 0, accounts = 0, sessions = 0, used, map;
	if (store_begin(n->store, false, &txn) != ZC_OK)
		return 1;
	store_count(txn, STORE_PARTICIPANTS, &participants);
	store_abort(txn);
	admins_counts(n->store, &accounts, &sessions);
	store_size(n->store, &used, &map);
	printf("{\"participants\":%llu,\"admins\":%llu,\"sessions\":%llu,"
	       "\"lmdb_size_bytes\":%llu,\"lmdb_map_size_bytes\":%llu,\"city\":\"%s\"}\n",
	       (unsigned long long)participants, (unsigned long long)accounts,
	       (unsigned long long)sessions, (unsigned long long)used, (unsigned long long)map,
	       n->city.name);
	return 0;
}

int cli_admin(int argc, char **argv)
{
	struct cli_opts o;
	struct node n;
	int rc;
	if (argc < 3)
		return usage(
		    "admin needs a command: add, reset-password, set-role, list, stats, load-demo");
	const char *cmd = argv[2];
	if (!parse(argc, argv, 3, &o))
		return 2;
	if (!open_node(&n, &o))
		return 1;
	if (strcmp(cmd, "add") == 0) {
		rc = admin_add(&n, &o, false);
	} else if (strcmp(cmd, "reset-password") == 0) {
		rc = admin_add(&n, &o, true);
	} else if (strcmp(cmd, "set-role") == 0) {
		rc = admin_set_role(&n, &o);
	} else if (strcmp(cmd, "list") == 0) {
		struct jbuf out;
		jbuf_init(&out, 0);
		rc = admins_list_json(n.store, &out) == ZC_OK ? 0 : 1;
		puts(jbuf_data(&out));
		jbuf_fini(&out);
	} else if (strcmp(cmd, "stats") == 0) {
		rc = admin_stats(&n);
	} else if (strcmp(cmd, "load-demo") == 0) {
		rc = city_load_demo(&n) == ZC_OK ? 0 : 1;
		if (rc == 0) {
			admins_audit(n.store, "cli", "load_demo", n.city.name);
			printf("demo data loaded: %s, %u neighbourhoods, season 2026-2027 "
			       "(restart a running node to see the new city profile)\n",
			       n.city.name, n.city.n_neighbourhoods);
		}
	} else {
		rc = usage("unknown admin command");
	}
	close_node(&n);
	return rc;
}

/* Copies a secret file into the backup with mode 0600. */
static bool copy_secret(const char *from_dir, const char *to_dir, const char *name)
{
	char from[CONFIG_PATH_MAX * 2], to[CONFIG_PATH_MAX * 2];
	unsigned char buf[8192];
	snprintf(from, sizeof(from), "%s/%s", from_dir, name);
	snprintf(to, sizeof(to), "%s/%s", to_dir, name);
	FILE *f = fopen(from, "rb");
	if (!f)
		return false;
	size_t n = fread(buf, 1, sizeof(buf), f);
	bool ok = !ferror(f) && feof(f);
	fclose(f);
	ok = ok && secrets_write_file(to, buf, n) == ZC_OK;
	sodium_memzero(buf, sizeof(buf));
	return ok;
}

int cli_backup(int argc, char **argv)
{
	static const char *const secret_files[] = {"node.secret", "identity.key", "identity.pub",
						   "tls/node.key", "tls/node.crt"};
	static const char *const fed_files[] = {"tls/fed.key",	     "tls/fed.crt",
						"identity.next.key", "identity.next.pub",
						"identity.old.key",  "identity.old.pub"};
	struct cli_opts o;
	struct node n;
	char db_out[CONFIG_PATH_MAX * 2];
	int rc = 1;

	if (!parse(argc, argv, 2, &o))
		return 2;
	if (!o.output)
		return usage("backup needs --output DIR");
	if (mkdir(o.output, 0700) != 0) {
		fprintf(stderr, "zcnode: cannot create %s: %s (it must not exist)\n", o.output,
			strerror(errno));
		return 1;
	}
	if (!open_node(&n, &o)) {
		rmdir(o.output);
		return 1;
	}
	/* The copy holds every participant: readable by the node's user only. */
	umask(077);
	snprintf(db_out, sizeof(db_out), "%s/tls", o.output);
	if (mkdir(db_out, 0700) != 0) {
		fprintf(stderr, "zcnode: cannot create %s\n", db_out);
		goto out;
	}
	snprintf(db_out, sizeof(db_out), "%s/db", o.output);
	if (mkdir(db_out, 0700) != 0 || store_backup(n.store, db_out) != ZC_OK) {
		fprintf(stderr, "zcnode: backup of the store failed\n");
		goto out;
	}
	for (size_t i = 0; i < sizeof(secret_files) / sizeof(secret_files[0]); i++) {
		if (!copy_secret(o.data_dir, o.output, secret_files[i])) {
			fprintf(stderr, "zcnode: cannot copy %s\n", secret_files[i]);
			goto out;
		}
	}
	/* The federation key pair, which peers pin (absent in a data dir made before
	 * federation and never started with fed_origin), and the identity keys of a
	 * rotation under way or done. */
	for (size_t i = 0; i < sizeof(fed_files) / sizeof(fed_files[0]); i++) {
		char src[CONFIG_PATH_MAX];
		node_path(&n, fed_files[i], src, sizeof(src));
		if (access(src, F_OK) == 0 && !copy_secret(o.data_dir, o.output, fed_files[i])) {
			fprintf(stderr, "zcnode: cannot copy %s\n", fed_files[i]);
			goto out;
		}
	}
	admins_audit(n.store, "cli", "backup", o.output);
	printf("backup written to %s (a complete data dir: secrets are 0600, keep it safe)\n",
	       o.output);
	rc = 0;
out:
	close_node(&n);
	if (rc != 0) {
		remove_data_files(o.output);
		rmdir(o.output);
	}
	return rc;
}

/* Reads DIR/<name> (a public key file) into text; false when absent or bad. */
static bool read_pub(const struct node *n, const char *name, char text[80])
{
	char path[CONFIG_PATH_MAX];
	unsigned char pk[32];
	node_path(n, name, path, sizeof(path));
	return secrets_read_public(path, text, pk);
}

/* Key rotation: `rotate-key` makes identity.next.key (the node then signs
 * with both keys; partners pin both), `finish-rotation` makes it the identity
 * and keeps the previous public key as identity.old.pub (older statements
 * still verify). Both need a restart of the node. */
static int rotate(struct node *n, bool finish)
{
	static const char *const moves[][2] = {{"identity.key", "identity.old.key"},
					       {"identity.pub", "identity.old.pub"},
					       {"identity.next.key", "identity.key"},
					       {"identity.next.pub", "identity.pub"}};
	char next[80], from[CONFIG_PATH_MAX], to[CONFIG_PATH_MAX];
	bool pending = read_pub(n, "identity.next.pub", next);
	if (!finish) {
		if (pending) {
			fprintf(stderr,
				"zcnode: a rotation is already under way (identity.next.key); "
				"finish it with `zcnode federation finish-rotation`\n");
			return 1;
		}
		if (secrets_create_identity(n->data_dir, "identity.next") != ZC_OK) {
			fprintf(stderr, "zcnode: cannot create identity.next.key\n");
			return 1;
		}
		read_pub(n, "identity.next.pub", next);
		printf("next identity key: %s\nRestart the node: it then signs with both keys. "
		       "Give partners the new peer line (federation show); once they all pin it, "
		       "run zcnode federation finish-rotation and restart.\n",
		       next);
		return 0;
	}
	if (!pending) {
		fprintf(stderr,
			"zcnode: no rotation under way (run zcnode federation rotate-key)\n");
		return 1;
	}
	for (size_t i = 0; i < sizeof(moves) / sizeof(moves[0]); i++) {
		node_path(n, moves[i][0], from, sizeof(from));
		node_path(n, moves[i][1], to, sizeof(to));
		if (rename(from, to) != 0) {
			fprintf(stderr, "zcnode: cannot rename %s to %s: %s\n", from, to,
				strerror(errno));
			return 1;
		}
	}
	printf("identity key is now %s (the previous one is kept as identity.old.pub). "
	       "Restart the node.\n",
	       next);
	return 0;
}

int cli_federation(int argc, char **argv)
{
	struct cli_opts o;
	struct node n;
	char err[256], path[CONFIG_PATH_MAX], key[CONFIG_PATH_MAX], pub[80] = "";
	char keyid[DSSE_KEYID_LEN + 1], pin_text[64], url[300];
	unsigned char pk[32], pin[FEDTLS_PIN_BYTES];

	bool show = argc >= 3 && strcmp(argv[2], "show") == 0;
	bool start = argc >= 3 && strcmp(argv[2], "rotate-key") == 0;
	bool finish = argc >= 3 && strcmp(argv[2], "finish-rotation") == 0;
	if (!show && !start && !finish)
		return usage("usage: zcnode federation show|rotate-key|finish-rotation --data-dir "
			     "DIR [--config FILE]");
	if (!parse(argc, argv, 3, &o))
		return 2;
	memset(&n, 0, sizeof(n));
	config_defaults(&n.cfg);
	if (o.config && config_load(&n.cfg, o.config, err, sizeof(err)) != ZC_OK) {
		fprintf(stderr, "zcnode: %s: %s\n", o.config, err);
		return 1;
	}
	snprintf(n.data_dir, sizeof(n.data_dir), "%s", o.data_dir);
	if (!show)
		return rotate(&n, finish);
	node_path(&n, "identity.pub", path, sizeof(path));
	if (!secrets_read_public(path, pub, pk)) {
		fprintf(stderr,
			"zcnode: cannot read %s as a base64url Ed25519 public key (run zcnode "
			"init)\n",
			path);
		return 1;
	}
	fed_tls_paths(&n, path, key, sizeof(path));
	if (!fedtls_spki_pin_file(path, pin)) {
		fprintf(stderr,
			"zcnode: cannot read the federation certificate %s (zcnode init makes "
			"it; a node started with fed_origin set makes it too)\n",
			path);
		return 1;
	}
	dsse_keyid(pk, keyid);
	b64url_encode(pin, sizeof(pin), pin_text, sizeof(pin_text));
	if (n.cfg.fed_url[0])
		snprintf(url, sizeof(url), "%s", n.cfg.fed_url);
	else
		snprintf(url, sizeof(url), "https://localhost:%d", n.cfg.fed_port);
	printf("origin = %s\nurl = %s\nidentity_key = %s\nkeyid = %s\ntls_spki_sha256 = %s\n",
	       n.cfg.fed_origin[0] ? n.cfg.fed_origin : "(unset: set fed_origin in the config)",
	       url, pub, keyid, pin_text);
	if (!n.cfg.fed_origin[0])
		return 1;
	/* During a rotation partners pin both keys (current,next); after one, the
	 * previous key stays second (current,old) so older statements verify. */
	char other[80];
	if (read_pub(&n, "identity.next.pub", other))
		printf("next_identity_key = %s\n", other);
	else if (read_pub(&n, "identity.old.pub", other))
		printf("previous_identity_key = %s\n", other);
	printf("\n# The line a peer city adds to its configuration:\npeer = %s %s %s%s%s %s\n",
	       n.cfg.fed_origin, url, pub, other[0] ? "," : "", other, pin_text);
	return 0;
}
