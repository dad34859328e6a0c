/* style.h - the one visual language of every picture tcpsim draws (the
 * state diagram, the ladder, the sweep plots, the step-through page):
 * the colours, line styles, marks and fonts, so that a slide of one reads
 * with a slide of another. docs/style.md says what each means and why.
 *
 * Every picture takes its colours and fonts from here; a test reads them
 * back from the pictures. */
#ifndef TCPSIM_STYLE_H
#define TCPSIM_STYLE_H

/* The two sides (Okabe-Ito: told apart with every common colour-vision
 * deficiency, and apart in grey-scale by lightness). */
#define STYLE_CLIENT_COLOUR "#0072B2"      /* blue */
#define STYLE_SERVER_COLOUR "#E69F00"      /* orange */
/* What nobody traversed, and its text. */
#define STYLE_IDLE_COLOUR "#C4C4C4"
#define STYLE_IDLE_TEXT_COLOUR "#5A5A5A"
/* Text and lines that belong to neither side (titles, axes, lifelines). */
#define STYLE_TEXT_COLOUR "#222222"
#define STYLE_LINE_COLOUR "#555555"


/* ---- issue 15, the ladder's marks (helper T) ---------------------------
 * The names the ladder needs that helper S adds in its own block at the
 * same time, with S's values token for token (an identical redefinition is
 * no error): whichever block merges second can be dropped. */
#define STYLE_CLIENT_LINE "solid"
#define STYLE_SERVER_LINE "dashed"
#define STYLE_CLIENT_BADGE_TEXT "#FFFFFF"
#define STYLE_SERVER_BADGE_TEXT "#000000"
#define STYLE_COMPRESSED_LINE "dotted"
#define STYLE_DROP_COLOUR "#D55E00"        /* Okabe-Ito vermillion */
#define STYLE_DROP_MARK "\u2715"           /* ✕ where it was lost */
#define STYLE_FORGED_COLOUR "#CC79A7"      /* Okabe-Ito reddish purple */
#define STYLE_FORGED_MARK "\u26A0"         /* ⚠ injected by neither side */
#define STYLE_DUPLICATE_COLOUR "#009E73"   /* Okabe-Ito bluish green */
#define STYLE_DUPLICATE_MARK "\u00D72"     /* ×2 the network delivered it twice */
#define STYLE_RETRANSMIT_COLOUR "#000000"  /* black */
#define STYLE_RETRANSMIT_MARK "\u21BB"     /* ↻ sent again by a timer ("RTO 2") */
#define STYLE_FONT "DejaVu Sans"
#define STYLE_FONT_MONO "DejaVu Sans Mono"   /* segment notation, times */
/* ---- end of helper T's block ------------------------------------------- */

#endif
