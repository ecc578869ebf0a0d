/* Completion for shells: `vrrpctl --complete -- WORD... PARTIAL` prints
 * what may replace PARTIAL, one candidate per line, from the same command
 * table (and live instance names) as interactive Tab. The bash completion
 * (scripts/vrrpctl.bash-completion) calls it. */
#ifndef VRRPCTL_COMPLETE_WORDS_H
#define VRRPCTL_COMPLETE_WORDS_H

#include <stddef.h>
#include <stdio.h>

#include "commands.h"

/* Exit status when the next word is a file name: the shell completes it
 * itself (as readline does interactively). */
#define COMPLETE_FILE 3

/* words[0..n-2] are complete words, words[n-1] the partial one (n == 0:
 * an empty partial at the start). Placeholders such as <1-255> are not
 * printed: nothing can be inserted for them. Returns 0 or COMPLETE_FILE. */
int complete_words(const struct cli_env *env, char **words, size_t n, FILE *out);

#endif
