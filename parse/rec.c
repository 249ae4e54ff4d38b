#include <stdlib.h>

#include "rec.h"

void
rec_input_free(struct rec_input *in)
{
	if (in == NULL)
		return;
	free(in->src);
	free(in->first_skipped);
	in->src = NULL;
	in->first_skipped = NULL;
}
