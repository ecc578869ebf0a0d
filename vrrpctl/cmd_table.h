/* The command table (cmd_table.c), for commands.c: nothing else reads it
 * but through cli_commands(). */
#ifndef VRRPCTL_CMD_TABLE_H
#define VRRPCTL_CMD_TABLE_H

#include "commands.h"

extern const struct cli_cmd cli_table[];
extern const size_t cli_table_len;

#endif
