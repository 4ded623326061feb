/* zcstartup: start-up time of a node. Launches the given zcnode command R times
 * and measures launch → `zcnode ready port=N` and launch → the first answered
 * GET /api/v1/leaderboard, with the data file's pages in the page cache or
 * (--evict) dropped from it first; stops each node with SIGTERM by its PID. */
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "loadcommon.h"

struct run {
	double ready_ms, first_ms, rss_mb, resident_pct;
	int status;
};

static int dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Bytes of the regular files under dir (recursively). */
static unsigned long long dir_bytes(const char *dir)
{
	unsigned long long sum = 0;
	DIR *d = opendir(dir);
	struct dirent *e;
	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL) {
		char path[4096];
		struct stat st;
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (lstat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode))
			sum += dir_bytes(path);
		else if (S_ISREG(st.st_mode))
			sum += (unsigned long long)st.st_size;
	}
	closedir(d);
	return sum;
}

/* Share of the file's pages in the page cache (mincore), in percent. */
static double resident_pct(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	double pct = -1;
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) == 0 && st.st_size > 0) {
		long page = sysconf(_SC_PAGESIZE);
		size_t pages = (size_t)((st.st_size + page - 1) / page);
		void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
		unsigned char *vec = malloc(pages);
		if (m != MAP_FAILED && vec && mincore(m, (size_t)st.st_size, vec) == 0) {
			size_t in = 0;
			for (size_t i = 0; i < pages; i++)
				in += vec[i] & 1;
			pct = 100.0 * (double)in / (double)pages;
		}
		free(vec);
		if (m != MAP_FAILED)
			munmap(m, (size_t)st.st_size);
	}
	close(fd);
	return pct;
}

/* Drops this one file's clean pages from the page cache (nothing else). */
static void evict(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	fdatasync(fd);
	posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	close(fd);
}

static double ms_since(uint64_t t0)
{
	return (double)(lc_now_us() - t0) / 1e3;
}

/* One start: fork/exec, wait for the ready line, GET the leaderboard, stop. */
static bool one_run(char **cmd, struct run *r, bool show_ready)
{
	int out[2];
	char line[512];
	size_t ll = 0;
	int port = 0;
	memset(r, 0, sizeof(*r));
	if (pipe2(out, O_CLOEXEC) != 0)
		return false;
	uint64_t t0 = lc_now_us();
	pid_t pid = fork();
	if (pid < 0)
		return false;
	if (pid == 0) {
		dup2(out[1], 1);
		int devnull = open("/dev/null", O_WRONLY);
		if (devnull >= 0)
			dup2(devnull, 2); /* the node's log is not timed here */
		execv(cmd[0], cmd);
		_exit(127);
	}
	close(out[1]);
	/* the ready line */
	while (!port) {
		struct pollfd p = {.fd = out[0], .events = POLLIN};
		if (poll(&p, 1, 30000) <= 0)
			break;
		ssize_t n = read(out[0], line + ll, sizeof(line) - 1 - ll);
		if (n <= 0)
			break;
		ll += (size_t)n;
		line[ll] = '\0';
		char *at = strstr(line, "zcnode ready port=");
		if (at && strchr(at, '\n'))
			port = (int)strtol(at + 18, NULL, 10);
		if (ll == sizeof(line) - 1)
			ll = 0;
	}
	r->ready_ms = ms_since(t0);
	if (port > 0) {
		char *body;
		size_t blen;
		/* the node serves from the ready line on; retry briefly if not */
		for (int tries = 0; tries < 100; tries++) {
			r->status = lc_http_get("127.0.0.1", port, "/api/v1/leaderboard?limit=20",
						NULL, &body, &blen, 10000);
			free(body);
			if (r->status == 200)
				break;
			usleep(1000);
		}
		r->first_ms = ms_since(t0);
		r->rss_mb = (double)lc_proc_read(pid).rss_kb / 1024.0;
		if (show_ready)
			printf("  (port %d)\n", port);
	}
	kill(pid, SIGTERM);
	int ws;
	waitpid(pid, &ws, 0);
	close(out[0]);
	return port > 0 && r->status == 200;
}

static void stats(const char *what, double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), dbl_cmp);
	printf("  %-40s median %7.1f ms, min %7.1f, max %7.1f\n", what, v[n / 2], v[0], v[n - 1]);
}

int main(int argc, char **argv)
{
	int runs = 5, first_cmd = -1;
	const char *dir = NULL;
	bool do_evict = false;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			first_cmd = i + 1;
			break;
		} else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
			char *end;
			long v = strtol(argv[++i], &end, 10);
			if (*end || v < 1 || v > 1000)
				lc_die("--runs must be 1 to 1000");
			runs = (int)v;
		} else if (strcmp(argv[i], "--data-dir") == 0 && i + 1 < argc) {
			dir = argv[++i];
		} else if (strcmp(argv[i], "--evict") == 0) {
			do_evict = true;
		} else {
			first_cmd = -1;
			break;
		}
	}
	if (first_cmd < 0 || first_cmd >= argc || !dir || runs < 1 || runs > 100) {
		fputs(
		    "usage: zcstartup --data-dir D [--runs R] [--evict] -- ZCNODE_PATH ARGS…\n"
		    "  e.g. zcstartup --data-dir D -- build/zcnode --data-dir D --port 0 "
		    "--plain-http\n"
		    "  Times launch → `zcnode ready port=N` and → the first 200 of GET\n"
		    "  /api/v1/leaderboard, R times (default 5). --evict drops D/db/data.mdb from\n"
		    "  the page cache before each start (posix_fadvise, that file only).\n",
		    stderr);
		return 2;
	}
	char data[4096];
	snprintf(data, sizeof(data), "%s/db/data.mdb", dir);
	struct stat st;
	if (stat(data, &st) != 0) {
		fprintf(stderr, "zcstartup: no %s\n", data);
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	double ready[100], first[100], rss = 0, resident = 0;
	int ok = 0;
	printf("zcstartup: %d starts of %s, data dir %s: %.1f MiB (data.mdb %.1f MiB), page cache "
	       "%s\n",
	       runs, argv[first_cmd], dir, (double)dir_bytes(dir) / 1048576.0,
	       (double)st.st_size / 1048576.0,
	       do_evict ? "dropped for data.mdb before each start"
			: "warm (as left by the last run)");
	for (int i = 0; i < runs; i++) {
		struct run r;
		if (do_evict)
			evict(data);
		double res = resident_pct(data);
		if (!one_run(argv + first_cmd, &r, false)) {
			fprintf(stderr, "zcstartup: run %d failed (ready %.1f ms, status %d)\n",
				i + 1, r.ready_ms, r.status);
			continue;
		}
		printf("  run %d: ready %.1f ms, first leaderboard %.1f ms, RSS %.1f MB, data.mdb "
		       "in page cache before start %.0f %%\n",
		       i + 1, r.ready_ms, r.first_ms, r.rss_mb, res);
		ready[ok] = r.ready_ms;
		first[ok] = r.first_ms;
		rss = r.rss_mb;
		resident += res;
		ok++;
	}
	if (!ok)
		return 1;
	stats("launch → `zcnode ready`", ready, ok);
	stats("launch → first GET /api/v1/leaderboard", first, ok);
	printf("RESULT starts=%d ready_median_ms=%.1f ready_max_ms=%.1f first_median_ms=%.1f "
	       "first_max_ms=%.1f rss_mb=%.1f cached_pct=%.0f evict=%d\n",
	       ok, ready[ok / 2], ready[ok - 1], first[ok / 2], first[ok - 1], rss, resident / ok,
	       do_evict);
	return ok == runs ? 0 : 1;
}
