/* sweep_plot.c - the picture of a sweep: completion time (or another column
 * of the CSV, --y) against the first --set key, drawn by gnuplot (a child
 * process) from the sweep's CSV. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "base/bigarray.h"
#include "output/style.h"
#include "output/summary.h"
#include "base/tmpfiles.h"
#include "sweep/sweep.h"

#define FIELDS_MAX 64

/* The columns a plot can show: the questions are "how does the
 * handshake time grow with loss" (establish_us) and "what does a SYN flood
 * do to a backlog" (dropped_by_host, established), besides completion. */
static const struct sweep_metric metrics[] = {
	{ "complete_us", "from connect until both ends are closed", "completion time", "ms", "never completed", 1000 },
	{ "establish_us", "from connect until ESTABLISHED", "time to establish", "ms", "never established", 1000 },
	{ "retransmissions", "retransmissions in a run", "retransmissions", NULL, "had no value", 1 },
	{ "segments", "segments the TCPs sent in a run", "segments sent", NULL, "had no value", 1 },
	{ "bytes_delivered", "bytes handed to the applications in a run", "bytes delivered", NULL, "had no value", 1 },
	{ "dropped", "segments lost in a run, by the link or a host", "segments dropped", NULL, "had no value", 1 },
	{ "dropped_by_host", "segments the receiving host discarded in a run (full listen queue)",
	  "segments dropped by the host", NULL, "had no value", 1 },
	{ "established", "clients that reached ESTABLISHED in a run", "clients established", NULL, "had no value", 1 },
};

const struct sweep_metric *sweep_metric(const char *column)
{
	if (!column)
		return &metrics[0];
	for (size_t i = 0; i < sizeof metrics / sizeof metrics[0]; i++)
		if (strcmp(metrics[i].column, column) == 0)
			return &metrics[i];
	return NULL;
}

const char *sweep_metric_names(void)
{
	return "complete_us, establish_us, retransmissions, segments, bytes_delivered, dropped, dropped_by_host, "
	       "established";
}

/* The runs of one point of the plot: one value of the first key on one line. */
struct point {
	size_t x, line;              /* indexes into the x values and the lines */
	uint64_t *v;                 /* the metric's values, of the runs that have one */
	size_t n, cap;
	size_t runs;                 /* every run, with a value or not */
};

/* A list of distinct strings, in the order of their first appearance. */
struct names {
	char **v;
	size_t n;
};

/* What the plot shows, read from the CSV. */
struct sweep_plot {
	size_t n_keys;
	char *keys[FIELDS_MAX];
	struct names xs, lines;
	struct point *pts;
	size_t n_pts, cap_pts;
	size_t rows;
	const struct sweep_metric *m;
	int col;                     /* the metric's column */
};

/* Splits a CSV line (no line break) into fields, in place; "..." quoting
 * with "" for a quote. Returns the number of fields, or -1. */
static int csv_split(char *line, char **fields, int max)
{
	int n = 0;
	char *r = line, *w = line;

	for (;;) {
		if (n == max)
			return -1;
		fields[n++] = w;
		if (*r == '"') {
			r++;
			for (;;) {
				if (!*r)
					return -1;
				if (*r == '"' && r[1] == '"') {
					*w++ = '"';
					r += 2;
				} else if (*r == '"') {
					r++;
					break;
				} else {
					*w++ = *r++;
				}
			}
		} else {
			while (*r && *r != ',')
				*w++ = *r++;
		}
		if (*r == '\0') {
			*w = '\0';
			return n;
		}
		if (*r != ',')
			return -1;
		*w++ = '\0';
		r++;
	}
}

/* The index of s in names, added when new; (size_t)-1 when out of memory. */
static size_t name_index(struct names *nm, const char *s)
{
	char **nv;

	for (size_t i = 0; i < nm->n; i++)
		if (strcmp(nm->v[i], s) == 0)
			return i;
	/* One more each time: the names of an axis's values and of the lines,
	 * a handful, each looked for by a scan that costs more than the copy. */
	if (!(nv = realloc(nm->v, (nm->n + 1) * sizeof *nv)) || !(nv[nm->n] = strdup(s))) {
		if (nv)
			nm->v = nv;
		return (size_t)-1;
	}
	nm->v = nv;
	return nm->n++;
}

/* Frees the strings and the list. */
static void names_free(struct names *nm)
{
	for (size_t i = 0; i < nm->n; i++)
		free(nm->v[i]);
	free(nm->v);
}

/* Frees what read_csv() filled in. */
static void plot_data_free(struct sweep_plot *d)
{
	for (size_t i = 0; i < d->n_keys; i++)
		free(d->keys[i]);
	names_free(&d->xs);
	names_free(&d->lines);
	for (size_t i = 0; i < d->n_pts; i++)
		bigarray_free(d->pts[i].v, d->pts[i].cap * sizeof *d->pts[i].v);
	bigarray_free(d->pts, d->cap_pts * sizeof *d->pts);
}

/* The point (x, line), added when new; NULL when out of memory. */
static struct point *point_at(struct sweep_plot *d, size_t x, size_t line)
{
	for (size_t i = 0; i < d->n_pts; i++)
		if (d->pts[i].x == x && d->pts[i].line == line)
			return &d->pts[i];
	struct point *np = bigarray_grow(d->pts, &d->cap_pts, d->n_pts + 1, sizeof *np, 16);
	if (!np)
		return NULL;
	d->pts = np;
	d->pts[d->n_pts] = (struct point){ .x = x, .line = line };
	return &d->pts[d->n_pts++];
}

/* One data row into its point. Returns 0, or -1 with a message. */
static int add_row(struct sweep_plot *d, char **f, int n, char *err, size_t errlen, const char *path, size_t lineno)
{
	char label[512] = "";
	size_t len = 0;

	if (n <= d->col) {
		snprintf(err, errlen, "%s:%zu: a row with too few columns", path, lineno);
		return -1;
	}
	for (size_t k = 1; k < d->n_keys && len < sizeof label; k++)
		len += (size_t)snprintf(label + len, sizeof label - len, "%s%s = %s", k > 1 ? ", " : "",
					d->keys[k], f[k]);
	size_t x = name_index(&d->xs, f[0]), line = name_index(&d->lines, label);
	struct point *p = x == (size_t)-1 || line == (size_t)-1 ? NULL : point_at(d, x, line);
	if (!p)
		goto oom;
	p->runs++;
	d->rows++;
	const char *c = f[d->col];
	if (!*c)
		return 0;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(c, &end, 10);
	if (errno || *end || *c == '-') {
		snprintf(err, errlen, "%s:%zu: %s is not a number: %s", path, lineno, d->m->column, c);
		return -1;
	}
	uint64_t *nv = bigarray_grow(p->v, &p->cap, p->n + 1, sizeof *nv, 64);
	if (!nv)
		goto oom;
	p->v = nv;
	p->v[p->n++] = v;
	return 0;
oom:
	snprintf(err, errlen, "out of memory");
	return -1;
}

/* Reads a sweep CSV: its header (a repeated header line is skipped, so
 * shards' files concatenated whole also read), then the rows. */
static int read_csv(const char *path, struct sweep_plot *d, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, *header = NULL, *fields[FIELDS_MAX];
	size_t cap = 0, lineno = 0;
	ssize_t n;
	int rc = -1;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n == 0 || (header && strcmp(line, header) == 0))
			continue;
		if (!header) {
			if (!(header = strdup(line)))
				goto oom;
			int nf = csv_split(line, fields, FIELDS_MAX), seed_col = -1, complete_col = -1;
			d->col = -1;
			for (int i = 0; i < nf; i++) {
				if (strcmp(fields[i], "seed") == 0 && seed_col < 0)
					seed_col = i;
				if (strcmp(fields[i], "complete_us") == 0)
					complete_col = i;
				if (strcmp(fields[i], d->m->column) == 0 && d->col < 0)
					d->col = i;
			}
			if (seed_col < 1 || complete_col < 0) {
				snprintf(err, errlen, "%s:1: not a sweep's CSV (its header names the --set keys, then seed, ..., complete_us, ...)",
					 path);
				goto out;
			}
			if (d->col < 0) {
				snprintf(err, errlen, "%s:1: no column %s (a CSV from an older tcpsim?)", path, d->m->column);
				goto out;
			}
			d->n_keys = (size_t)seed_col;
			for (size_t k = 0; k < d->n_keys; k++)
				if (!(d->keys[k] = strdup(fields[k])))
					goto oom;
			continue;
		}
		int nf = csv_split(line, fields, FIELDS_MAX);
		if (nf < 0) {
			snprintf(err, errlen, "%s:%zu: not a CSV row", path, lineno);
			goto out;
		}
		if (add_row(d, fields, nf, err, errlen, path, lineno) < 0)
			goto out;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!header || d->rows == 0) {
		snprintf(err, errlen, "%s: no rows to plot", path);
		goto out;
	}
	rc = 0;
	goto out;
oom:
	snprintf(err, errlen, "out of memory");
out:
	free(line);
	free(header);
	fclose(f);
	return rc;
}

/* True when every x value reads as a number (then the x axis is numeric). */
static bool numeric_xs(const struct names *xs)
{
	for (size_t i = 0; i < xs->n; i++) {
		char *end;
		strtod(xs->v[i], &end);
		if (end == xs->v[i] || *end)
			return false;
	}
	return true;
}

/* s in gnuplot's double quotes; as enhanced text (a title, a label: its
 * markup characters made literal) or as it is (a file name). */
static void gp_quoted(FILE *f, const char *s, bool text)
{
	fputc('"', f);
	for (; *s; s++) {
		if (text && strchr("_^@&{}~", *s))
			fputs("\\\\", f);
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* A title or label. */
static void gp_string(FILE *f, const char *s)
{
	gp_quoted(f, s, true);
}

/* The x axis' label: the key, and what it measures when known. */
static void x_label(FILE *f, const char *key)
{
	static const struct {
		const char *suffix, *label;
	} known[] = {
		{ "loss", "probability that a segment is lost" },
		{ "duplicate", "probability that a segment is duplicated" },
		{ "reorder", "probability that a segment is reordered" },
		{ "delay", "one-way delay" },
		{ "jitter", "jitter" },
		{ "count", "number of clients" },
	};
	const char *dot = strrchr(key, '.'), *last = dot ? dot + 1 : key;
	char buf[256];

	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
		if (strcmp(last, known[i].suffix) == 0) {
			snprintf(buf, sizeof buf, "%s: %s", key, known[i].label);
			gp_string(f, buf);
			return;
		}
	}
	gp_string(f, key);
}

/* Writes the data file: one block per line, "x p10 p50 p90 label" in the
 * metric's unit. */
static void write_data(FILE *f, const struct sweep_plot *d, bool numeric)
{
	for (size_t l = 0; l < d->lines.n; l++) {
		for (size_t x = 0; x < d->xs.n; x++) {
			for (size_t i = 0; i < d->n_pts; i++) {
				struct point *p = &d->pts[i];
				if (p->x != x || p->line != l || p->n == 0)
					continue;
				summary_sort(p->v, p->n);
				if (numeric)
					fprintf(f, "%s", d->xs.v[x]);
				else
					fprintf(f, "%zu", x);   /* a category: its position */
				double div = d->m->divisor;
				fprintf(f, " %.3f %.3f %.3f \"%s\"\n", (double)summary_rank(p->v, p->n, 10) / div,
					(double)summary_rank(p->v, p->n, 50) / div, (double)summary_rank(p->v, p->n, 90) / div,
					d->xs.v[x]);
			}
		}
		fputs("\n\n", f);
	}
}

/* The runs per point, when every point has the same number; else 0. */
static size_t runs_per_point(const struct sweep_plot *d)
{
	size_t n = d->n_pts ? d->pts[0].runs : 0;

	for (size_t i = 1; i < d->n_pts; i++)
		if (d->pts[i].runs != n)
			return 0;
	return n;
}

/* The runs without a value (that did not complete), over all points. */
static size_t incomplete_runs(const struct sweep_plot *d)
{
	size_t n = 0;

	for (size_t i = 0; i < d->n_pts; i++)
		n += d->pts[i].runs - d->pts[i].n;
	return n;
}

/* The smallest 10th and the largest 90th percentile over the points, in
 * the column's own terms (µs, a count); the points' values are sorted. */
static void y_extent(const struct sweep_plot *d, uint64_t *lo, uint64_t *hi)
{
	*lo = UINT64_MAX;
	*hi = 0;
	for (size_t i = 0; i < d->n_pts; i++) {
		const struct point *p = &d->pts[i];
		if (p->n == 0)
			continue;
		uint64_t a = summary_rank(p->v, p->n, 10), b = summary_rank(p->v, p->n, 90);
		*lo = a < *lo ? a : *lo;
		*hi = b > *hi ? b : *hi;
	}
}

/* The y axis: linear from 0, or, when the values span more than a factor
 * of 10, logarithmic with ticks at 1, 2 and 5 times the powers of ten (in
 * the metric's unit). Returns true for the logarithmic one. */
static bool y_axis(FILE *f, const struct sweep_plot *d)
{
	uint64_t lo, hi;

	y_extent(d, &lo, &hi);
	if (hi == 0 || lo == 0 || hi / lo < 10) {
		fputs("set yrange [0:*]\n", f);
		return false;
	}
	double lo_y = (double)lo / d->m->divisor / 1.25, hi_y = (double)hi / d->m->divisor * 1.25;
	fprintf(f, "set logscale y\nset yrange [%.3f:%.3f]\nset format y '%%.0f'\nset ytics (", lo_y, hi_y);
	bool first = true;
	for (double decade = 0.001; decade < hi_y; decade *= 10) {
		static const int steps[] = { 1, 2, 5 };
		for (int i = 0; i < 3; i++) {
			double v = steps[i] * decade;
			if (v < lo_y || v > hi_y)
				continue;
			fprintf(f, "%s'%.0f' %.3f", first ? "" : ", ", v, v);
			first = false;
		}
	}
	fputs(")\nset mytics 1\n", f);
	return true;
}

/* The gnuplot script, read by gnuplot on its standard input. */
static void write_script(FILE *f, const struct sweep_plot *d, bool numeric, const char *title,
			 const char *data_path)
{
	/* style.h's series: a single line is the client's blue, as elsewhere. */
	static const char *const colors[] = STYLE_SERIES_COLOURS;
	size_t per = runs_per_point(d), incomplete = incomplete_runs(d);
	char sub[256], buf[512];

	fputs("set terminal svg size 1280,800 dynamic enhanced font '" STYLE_FONT ",22' linewidth 2 background rgb 'white'\n", f);
	fputs("set encoding utf8\n", f);    /* no `set output`: the SVG goes to standard output */
	size_t len;
	if (per)
		len = (size_t)snprintf(sub, sizeof sub, "median and 10th–90th percentile (shaded) of %zu run%s per point",
				       per, per == 1 ? "" : "s");
	else
		len = (size_t)snprintf(sub, sizeof sub, "median and 10th–90th percentile (shaded) of the runs of each point");
	if (incomplete && len < sizeof sub)
		snprintf(sub + len, sizeof sub - len, "; %zu of %zu runs %s (left out)", incomplete, d->rows,
			 d->m->missing);
	snprintf(buf, sizeof buf, "%s: %s", title, d->m->title);
	fputs("set title ", f);
	gp_string(f, buf);
	fputs(" font ',26' offset 0,0.6\n", f);
	fputs("set label 1 ", f);
	gp_string(f, sub);
	fputs(" at graph 0.5, graph 1.035 center font ',17' textcolor rgb '" STYLE_LINE_COLOUR "'\n", f);
	fputs("set xlabel ", f);
	x_label(f, d->keys[0]);
	fputc('\n', f);
	bool log_y = y_axis(f, d);
	if (d->m->unit)
		snprintf(buf, sizeof buf, "%s (%s%s)", d->m->axis, d->m->unit, log_y ? ", log scale" : "");
	else
		snprintf(buf, sizeof buf, "%s%s", d->m->axis, log_y ? " (log scale)" : "");
	fputs("set ylabel ", f);
	gp_string(f, buf);
	fputs("\nset grid ytics xtics lc rgb '" STYLE_GRID_COLOUR "' lw 1 dt 1\n"
	      "set border 3 lw 1\nset tics nomirror\nset autoscale xfix\nset offsets graph 0.04, graph 0.04, graph 0.25, 0\n"
	      "set key top left box opaque samplen 2 spacing 1.2 font ',18'\nset style fill transparent solid 0.18 noborder\n",
	      f);
	if (!numeric)
		fprintf(f, "set xtics ()\nset xrange [-0.5:%zu.5]\n", d->xs.n - 1);
	if (incomplete == d->rows) {
		/* No run has a value (none completed, say): gnuplot refuses to
		 * plot nothing, so the axes are drawn with a line below them and
		 * a word in the middle. */
		if (numeric) {
			double lo = strtod(d->xs.v[0], NULL), hi = lo;
			for (size_t x = 1; x < d->xs.n; x++) {
				double v = strtod(d->xs.v[x], NULL);
				lo = v < lo ? v : lo;
				hi = v > hi ? v : hi;
			}
			if (hi > lo)
				fprintf(f, "set xrange [%.17g:%.17g]\n", lo, hi);
			else
				fprintf(f, "set xrange [%.17g:%.17g]\n", lo - 1, lo + 1);
		}
		fputs("unset key\nset yrange [0:1]\nset label 2 ", f);
		const char *m = d->m->missing;
		snprintf(buf, sizeof buf, "no run %s: nothing to draw",
			 strncmp(m, "never ", 6) == 0 ? m + 6 : "had a value");
		gp_string(f, buf);
		fputs(" at graph 0.5, graph 0.5 center font ',22' textcolor rgb '" STYLE_LINE_COLOUR "'\nplot -1 notitle\n", f);
		return;
	}
	bool one = d->lines.n == 1;
	fputs("plot ", f);
	for (size_t l = 0; l < d->lines.n; l++) {
		const char *color = colors[l % (sizeof colors / sizeof colors[0])];
		const char *xcol = "1";
		fprintf(f, "%s'%s' index %zu using %s:2:4 with filledcurves lc rgb '%s' title %s, \\\n", l ? ", " : "",
			data_path, l, xcol, color, one ? "'10th–90th percentile'" : "''");
		fprintf(f, "  '%s' index %zu using %s:3%s with linespoints lw 2 pt 7 ps 1.2 lc rgb '%s' title ",
			data_path, l, xcol, numeric ? "" : ":xtic(5)", color);
		if (one) {
			fputs("'median'", f);
		} else {
			snprintf(buf, sizeof buf, "median, %s", d->lines.v[l]);
			gp_string(f, buf);
		}
	}
	fputs("\n", f);
}

/* Runs gnuplot with script on its standard input and out_fd as its standard
 * output. Returns 0, or -1 with a message in err (gnuplot's own messages go
 * to stderr). */
static int run_gnuplot(const char *script, size_t len, int out_fd, char *err, size_t errlen)
{
	int fds[2], st;
	pid_t pid;

	if (pipe(fds) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	if ((pid = fork()) < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		dup2(fds[0], 0);
		dup2(out_fd, 1);
		close(fds[0]);
		close(fds[1]);
		execlp("gnuplot", "gnuplot", (char *)NULL);
		_exit(127);
	}
	close(fds[0]);
	for (size_t off = 0; off < len;) {
		ssize_t w = write(fds[1], script + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	close(fds[1]);
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st)) {
		snprintf(err, errlen, "gnuplot did not finish");
		return -1;
	}
	if (WEXITSTATUS(st) == 127) {
		snprintf(err, errlen, "gnuplot not found: the plot needs it (Debian: apt-get install gnuplot-nox)");
		return -1;
	}
	if (WEXITSTATUS(st) != 0) {
		snprintf(err, errlen, "gnuplot failed (exit %d)", WEXITSTATUS(st));
		return -1;
	}
	return 0;
}

struct sweep_plot *sweep_plot_read(const char *csv_path, const struct sweep_metric *m, char *err, size_t errlen)
{
	struct sweep_plot *d = calloc(1, sizeof *d);

	if (!d) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	d->m = m;
	if (read_csv(csv_path, d, err, errlen) < 0) {
		sweep_plot_free(d);
		return NULL;
	}
	return d;
}

void sweep_plot_free(struct sweep_plot *d)
{
	if (!d)
		return;
	plot_data_free(d);
	free(d);
}

int sweep_plot_draw(struct sweep_plot *d, const char *title, int svg_fd, char *err, size_t errlen)
{
	char data_name[TMPFILES_NAME_MAX + 1], data_path[TMPFILES_NAME_MAX + 8];
	char *script = NULL;
	size_t script_len = 0;
	int fd = -1, rc = -1;
	FILE *df = NULL, *sf = NULL;

	bool numeric = d->xs.n > 1 && numeric_xs(&d->xs);   /* one value: a category */
	/* The points for gnuplot, in a temporary file of /tmp made as every
	 * output file is (removed by a signal too). */
	int tmp_dir = open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	data_name[0] = '\0';
	if (tmp_dir < 0 || (fd = tmpfiles_create(tmp_dir, "tcpsim-sweep.dat", data_name, sizeof data_name)) < 0 ||
	    !(df = fdopen(fd, "w"))) {
		snprintf(err, errlen, "/tmp: a temporary file for gnuplot: %s", strerror(errno));
		goto out;
	}
	fd = -1;
	snprintf(data_path, sizeof data_path, "/tmp/%s", data_name);
	write_data(df, d, numeric);
	if (fclose(df) != 0) {
		df = NULL;
		snprintf(err, errlen, "%s: write failed", data_path);
		goto out;
	}
	df = NULL;
	if (!(sf = open_memstream(&script, &script_len))) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	write_script(sf, d, numeric, title, data_path);
	if (fclose(sf) != 0) {
		sf = NULL;
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	sf = NULL;
	rc = run_gnuplot(script, script_len, svg_fd, err, errlen);
out:
	if (fd >= 0)
		close(fd);
	if (df)
		fclose(df);
	if (sf)
		fclose(sf);
	if (data_name[0]) {
		unlinkat(tmp_dir, data_name, 0);
		tmpfiles_forget_at(tmp_dir, data_name);
	}
	if (tmp_dir >= 0)
		close(tmp_dir);
	free(script);
	return rc;
}
