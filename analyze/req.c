#include <stdlib.h>

#include "req.h"
#include "strtab.h"

void
reqset_free(struct reqset *rs)
{
	if (rs == NULL)
		return;
	free(rs->reqs);
	free(rs->run_first);
	for (size_t i = 0; i < rs->ninputs; i++)
		trailer_free(&rs->inputs[i]);
	free(rs->inputs);
	strtab_free(rs->strings);
	rs->reqs = NULL;
	rs->run_first = NULL;
	rs->inputs = NULL;
	rs->strings = NULL;
	rs->nreqs = rs->nruns = rs->ninputs = 0;
}
