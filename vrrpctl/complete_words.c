/* `vrrpctl --complete`: candidates for a shell (see complete_words.h). */
#include "complete_words.h"

#include <string.h>

#define MAX_WORD_CANDS 300

int complete_words(const struct cli_env *env, char **words, size_t n, FILE *out)
{
	static struct cli_cand cands[MAX_WORD_CANDS];
	const char *partial = n ? words[n - 1] : "";
	size_t nw = n ? n - 1 : 0, nc;
	int rc = 0;

	if (nw > CLI_MAX_WORDS)
		return 0;
	nc = cli_candidates(env, words, nw, partial, cands, MAX_WORD_CANDS);
	for (size_t i = 0; i < nc; i++) {
		if (!cands[i].hint)
			fprintf(out, "%s\n", cands[i].text);
		else if (strcmp(cands[i].text, "<FILE>") == 0)
			rc = COMPLETE_FILE;
	}
	return rc;
}
