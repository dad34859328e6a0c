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

#endif
