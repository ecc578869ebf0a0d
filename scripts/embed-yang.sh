#!/bin/sh
# Turn a YANG file into a C string so the daemon carries its own schema.
set -e
printf '/* generated from %s; do not edit */\n' "$1"
printf 'const char vrrpd_yang_module[] =\n'
sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/\t"/' -e 's/$/\\n"/' "$1"
printf ';\n'
