/* main.c - the tcpsim command line: picks the command. */
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"

#ifndef TCPSIM_VERSION
#define TCPSIM_VERSION "0.0.0"
#endif

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(int argc, char **argv);
	} commands[] = {
		{ "run", cmd_run },
		{ "check", cmd_check },
		{ "coverage", cmd_coverage },
		{ "graph", cmd_graph },
		{ "replay", cmd_replay },
		{ "compare", cmd_compare },
		{ "sweep", cmd_sweep },
		{ "handout", cmd_handout },
		{ "page", cmd_page },
	};
	if (argc < 2) {
		fputs(cli_usage_text, stderr);
		return EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		fputs(cli_usage_text, stdout);
		return 0;
	}
	if (!strcmp(cmd, "--version")) {
		printf("tcpsim %s\n", TCPSIM_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (!strcmp(cmd, commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "tcpsim: unknown command '%s'\n%s", cmd, cli_usage_text);
	return EXIT_USAGE;
}
