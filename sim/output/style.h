/* style.h - the one visual language of every picture tcpsim draws (the
 * state diagram, the ladder, the sweep plots, the step-through page):
 * the colours, line styles, marks and fonts, so that a slide of one reads
 * with a slide of another. docs/style.md says what each means and why.
 *
 * Every picture takes its colours and fonts from here; a test
 * (tests/output/test_style.c) reads them back from the pictures. Change a
 * value here, never a name: the pictures and the test follow.
 *
 * The colours are Okabe and Ito's eight ("Color Universal Design", 2008):
 * told apart with every common colour-vision deficiency. Each colour means
 * one thing in every picture, and each meaning also has a second channel
 * that survives a grey-scale print: a line style or a glyph. */
#ifndef TCPSIM_STYLE_H
#define TCPSIM_STYLE_H

/* ---- the two sides ----------------------------------------------------- */

/* The client (the active opener) and the server, in every picture: their
 * arcs, arrows, lifelines, badges and legend rows. Blue is dark and orange
 * light in grey-scale; the line style tells them apart again. */
#define STYLE_CLIENT_COLOUR "#0072B2"      /* Okabe-Ito blue */
#define STYLE_SERVER_COLOUR "#E69F00"      /* Okabe-Ito orange */
/* A line a side drew: the client solid, the server dashed, everywhere
 * (Graphviz style names; SVG: none and STYLE_DASH_ARRAY). */
#define STYLE_CLIENT_LINE "solid"
#define STYLE_SERVER_LINE "dashed"
#define STYLE_DASH_ARRAY "5,2"             /* SVG stroke-dasharray of "dashed" */
/* The text on a side's badge (a numbered step): what reads on its colour. */
#define STYLE_CLIENT_BADGE_TEXT "#FFFFFF"
#define STYLE_SERVER_BADGE_TEXT "#000000"

/* ---- what nobody did, and the neutral ink -------------------------------- */

/* What nobody traversed (the state diagram's other arcs), and its text:
 * thin, light grey, solid. Grey means "not in this run", nothing else. */
#define STYLE_IDLE_COLOUR "#C4C4C4"
#define STYLE_IDLE_TEXT_COLOUR "#5A5A5A"
/* Time not drawn to scale (a compressed gap on a ladder's lifeline):
 * dotted, and only that. */
#define STYLE_COMPRESSED_LINE "dotted"
/* Text and lines that belong to neither side (titles, axes, lifelines,
 * node outlines), and the fill of a state's box. */
#define STYLE_TEXT_COLOUR "#222222"
#define STYLE_LINE_COLOUR "#555555"
#define STYLE_NODE_FILL "#F4F4F4"
#define STYLE_GRID_COLOUR "#DDDDDD"

/* ---- what happened to a segment --------------------------------------- */

/* Each its own colour and its own glyph (the glyph is in STYLE_FONT, so
 * it prints the same everywhere), drawn where it happened: the cross where
 * the segment was lost, the other marks at the arrow's label. The arrow
 * itself keeps its sender's colour and line style, but a forged one, which
 * no side sent. */
#define STYLE_DROP_COLOUR "#D55E00"        /* Okabe-Ito vermillion */
#define STYLE_DROP_MARK "\u2715"           /* ✕ where it was lost */
#define STYLE_FORGED_COLOUR "#CC79A7"      /* Okabe-Ito reddish purple */
#define STYLE_FORGED_MARK "\u26A0"         /* ⚠ injected by neither side */
#define STYLE_FORGED_LINE "dashdot"        /* gnuplot/SVG "8,3,2,3"; Graphviz: "dashed" */
#define STYLE_DUPLICATE_COLOUR "#009E73"   /* Okabe-Ito bluish green */
#define STYLE_DUPLICATE_MARK "\u00D72"     /* ×2 the network delivered it twice */
#define STYLE_RETRANSMIT_COLOUR "#000000"  /* black */
#define STYLE_RETRANSMIT_MARK "\u21BB"     /* ↻ sent again by a timer ("RTO 2") */

/* ---- a series of a plot ------------------------------------------------ */

/* The sweep plots' lines, in order: the sides' colours first, then the
 * rest of Okabe-Ito's (no yellow: it vanishes on white). */
#define STYLE_SERIES_COLOURS \
	{ STYLE_CLIENT_COLOUR, STYLE_SERVER_COLOUR, "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000" }

/* ---- fonts -------------------------------------------------------------- */

/* One installed family (Debian: fonts-dejavu-core, which tools/deps.sh
 * installs), named by its family name so that browsers, rsvg, Inkscape,
 * Graphviz's cairo and gnuplot all find the same face. Bold is the weight
 * of the same family (SVG font-weight="bold", Graphviz <B>), never a family
 * name of its own ("DejaVu Sans Bold" would be found by fontconfig and not
 * by a browser). */
#define STYLE_FONT "DejaVu Sans"
#define STYLE_FONT_BOLD STYLE_FONT           /* with STYLE_FONT_BOLD_WEIGHT */
#define STYLE_FONT_BOLD_WEIGHT "bold"
#define STYLE_FONT_MONO "DejaVu Sans Mono"   /* segment notation, times */
/* Name the family alone (an SVG font-family="DejaVu Sans"): a test reads
 * it back, and a list ("DejaVu Sans,sans-serif") would let a viewer
 * without the font draw another without a word. */

/* ---- size ------------------------------------------------------------- */

/* The slide a picture is made for: 16:9, 1280x720 px (13.33x7.5 in,
 * 960x540 pt). The rule (docs/style.md): a picture scaled to fit that
 * slide shows its body text at STYLE_SLIDE_TEXT_PT or more, its smallest
 * (axis ticks, legend) at STYLE_SLIDE_SMALL_PT or more. */
#define STYLE_SLIDE_WIDTH_PX 1280
#define STYLE_SLIDE_HEIGHT_PX 720
#define STYLE_SLIDE_TEXT_PT 18
#define STYLE_SLIDE_SMALL_PT 14

#endif
