/* page_assets.c - the step-through page's script and style sheet,
 * sim/output/page.js and page.css, built into the program as they are
 * (.incbin, each ended by a NUL): the page carries them inline, and they
 * are edited, read and linted as the files they are. The Makefile rebuilds
 * this object when either changes, and builds it without -flto (a
 * link-time-optimized object would hide these symbols from the linker). */
__asm__(".pushsection .rodata\n"
	".global page_js\n"
	".type page_js, @object\n"
	"page_js:\n"
	".incbin \"sim/output/page.js\"\n"
	".byte 0\n"
	".global page_css\n"
	".type page_css, @object\n"
	"page_css:\n"
	".incbin \"sim/output/page.css\"\n"
	".byte 0\n"
	".popsection\n");
