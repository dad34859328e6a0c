/* yaml_fixture.c - see yaml_fixture.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "testing.h"
#include "yaml_fixture.h"

void yaml_fixture_load(const char *yaml, struct scenario *sc)
{
	char path[] = "/tmp/tcpsim-test-XXXXXX.yaml", err[600];
	int fd = mkstemps(path, 5);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_FATAL(write(fd, yaml, strlen(yaml)) == (ssize_t)strlen(yaml));
	close(fd);
	int rc = scenario_load(path, sc, err, sizeof err);
	unlink(path);
	if (rc < 0)
		fprintf(stderr, "\n%s\n", err);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
}
