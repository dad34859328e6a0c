/* yaml_fixture.h - a scenario from a YAML text, for tests that run one. */
#ifndef TCPSIM_YAML_FIXTURE_H
#define TCPSIM_YAML_FIXTURE_H

#include "scenario.h"

/* Writes yaml to a temporary file, loads it into *sc and removes the file;
 * a load error fails the calling test (its message printed). */
void yaml_fixture_load(const char *yaml, struct scenario *sc);

#endif
