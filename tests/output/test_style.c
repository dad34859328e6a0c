/* test_style.c - the pictures speak style.h's one visual language: the
 * colours of the client and the server and the font family, read back
 * from the SVG each picture renders (not from the code that wrote it). */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "output/graph.h"
#include "output/style.h"
#include "testing.h"
#include "trace_fixture.h"

/* Whether the ladder helper's branch (issue 15, the ladder taking its
 * colours and fonts from style.h) has landed. Until it has, the ladder's
 * half of this file runs and reports what it reads, but does not assert:
 * the ladder still draws #1F5FA8 and #207A3C in Courier. The lead sets
 * this to 1 when merging that branch; the assertions then hold it. */

/* ---- reading an SVG ---------------------------------------------------- */

/* Whether a and b are the same colour: Graphviz writes "#0072b2" for the
 * "#0072B2" it was given. */
static bool same_colour(const char *a, const char *b)
{
	return strlen(a) == strlen(b) && strncasecmp(a, b, strlen(a)) == 0;
}

/* The value of attribute name (as ` name="`) in the text from p up to
 * end, into out; false when absent. */
static bool attr_in(const char *p, const char *end, const char *name, char *out, size_t n)
{
	char key[64];

	snprintf(key, sizeof key, " %s=\"", name);
	const char *a = strstr(p, key);
	if (!a || (end && a >= end))
		return false;
	a += strlen(key);
	size_t len = strcspn(a, "\"");
	if (len >= n)
		len = n - 1;
	memcpy(out, a, len);
	out[len] = '\0';
	return true;
}

/* The stroke of the first <path> of the SVG group whose id is `id`, into
 * out; false when there is no such group or path. */
static bool group_stroke(const char *svg, const char *id, char *out, size_t n)
{
	char key[96];

	snprintf(key, sizeof key, "<g id=\"%s\"", id);
	const char *g = strstr(svg, key);
	if (!g)
		return false;
	const char *end = strstr(g, "</g>");
	const char *path = strstr(g, "<path");
	return path && (!end || path < end) && attr_in(path, end, "stroke", out, n);
}

/* How many font-family attributes the SVG has, and how many of them are
 * not one of style.h's two families (the first such into bad). */
static void font_families(const char *svg, int *total, int *others, char *bad, size_t n)
{
	char fam[128];

	*total = *others = 0;
	bad[0] = '\0';
	for (const char *p = strstr(svg, " font-family=\""); p; p = strstr(p + 1, " font-family=\"")) {
		attr_in(p, NULL, "font-family", fam, sizeof fam);
		(*total)++;
		if (strcmp(fam, STYLE_FONT) != 0 && strcmp(fam, STYLE_FONT_MONO) != 0) {
			if (!*others)
				snprintf(bad, n, "%s", fam);
			(*others)++;
		}
	}
}

/* ---- the state diagram ------------------------------------------------- */

/* The simultaneous close: both ends take T12 (ESTABLISHED -> FIN_WAIT_1),
 * each its own edge, "T12_client" and "T12_server" in the SVG. */
static void test_state_diagram_colours_and_font(void)
{
	struct trace tr;
	struct trace_log log;
	char err[256] = "", stroke[32], bad[128], *svg = NULL;
	size_t len = 0;
	int total, others;

	fixture_simultaneous_close(&tr, &log);
	CU_ASSERT_EQUAL_FATAL(graph_states_render(&log, GRAPH_BOTH, NULL, "svg", &svg, &len, err, sizeof err), 0);
	char *text = malloc(len + 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	memcpy(text, svg, len);
	text[len] = '\0';
	CU_ASSERT_TRUE(group_stroke(text, "T12_client", stroke, sizeof stroke));
	CU_ASSERT_TRUE(same_colour(stroke, STYLE_CLIENT_COLOUR));
	CU_ASSERT_TRUE(group_stroke(text, "T12_server", stroke, sizeof stroke));
	CU_ASSERT_TRUE(same_colour(stroke, STYLE_SERVER_COLOUR));
	/* an arc nobody took */
	CU_ASSERT_TRUE(group_stroke(text, "T03", stroke, sizeof stroke));
	CU_ASSERT_TRUE(same_colour(stroke, STYLE_IDLE_COLOUR));
	/* every text in STYLE_FONT: no Helvetica, no Times (Graphviz's default) */
	font_families(text, &total, &others, bad, sizeof bad);
	CU_ASSERT_TRUE(total > 20);
	if (others)
		printf("\nstate diagram: %d of %d font-family attributes are \"%s\" or another", others, total, bad);
	CU_ASSERT_EQUAL(others, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "font-family=\"" STYLE_FONT "\""));
	CU_ASSERT_PTR_NULL(strstr(text, "font-family=\"" STYLE_FONT_MONO "\""));
	free(text);
	free(svg);
	fixture_free(&tr, &log);
}

/* ---- the ladder -------------------------------------------------------- */

/* The stroke of the ladder's header box of the endpoint named `name` (a
 * group of class "node endpoint" whose first text is the name), into out. */
static bool ladder_header_stroke(const char *svg, const char *name, char *out, size_t n)
{
	char text[96];

	snprintf(text, sizeof text, ">%s</text>", name);
	for (const char *g = strstr(svg, "class=\"node endpoint\""); g;
	     g = strstr(g + 1, "class=\"node endpoint\"")) {
		const char *end = strstr(g, "</g>");
		const char *t = strstr(g, "<text");
		const char *close = t ? strstr(t, "</text>") : NULL;
		if (!end || !t || !close || t > end)
			continue;
		const char *gt = strchr(t, '>');
		size_t len = (size_t)(close - gt) + strlen("</text>");
		if (gt && len == strlen(text) && strncmp(gt, text, len) == 0) {
			const char *path = strstr(g, "<path");
			return path && path < end && attr_in(path, end, "stroke", out, n);
		}
	}
	return false;
}

/* The ladder's side colours and fonts, against style.h: the same as the
 * state diagram's (the ladder drew #1F5FA8 and a green server in Courier
 * and Helvetica before). */
static void test_ladder_colours_and_font(void)
{
	struct trace tr;
	struct trace_log log;
	char err[256] = "", client[32] = "", server[32] = "", bad[128], *svg = NULL;
	size_t len = 0;
	int total, others;

	fixture_simultaneous_close(&tr, &log);
	CU_ASSERT_EQUAL_FATAL(graph_ladder_render(&log, GRAPH_BOTH, "svg", &svg, &len, err, sizeof err), 0);
	char *text = malloc(len + 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	memcpy(text, svg, len);
	text[len] = '\0';
	bool found = ladder_header_stroke(text, "client", client, sizeof client) &&
		     ladder_header_stroke(text, "server", server, sizeof server);
	font_families(text, &total, &others, bad, sizeof bad);
	CU_ASSERT_TRUE(found);
	CU_ASSERT_TRUE(same_colour(client, STYLE_CLIENT_COLOUR));
	CU_ASSERT_TRUE(same_colour(server, STYLE_SERVER_COLOUR));
	CU_ASSERT_TRUE(total > 0);
	CU_ASSERT_EQUAL(others, 0);
	free(text);
	free(svg);
	fixture_free(&tr, &log);
}

TCPSIM_SUITE(style,
	     { "state diagram: client and server strokes and the font family are style.h's",
	       test_state_diagram_colours_and_font },
	     { "ladder: side colours and fonts are style.h's",
	       test_ladder_colours_and_font })
