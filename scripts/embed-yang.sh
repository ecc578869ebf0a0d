#!/bin/sh
# Turn YANG files into C strings so the daemon carries its own schema.
# Each file NAME.yang becomes `const char NAME_yang_module[]` ('-' -> '_'):
# yang/vrrpd.yang is vrrpd_yang_module, its submodule
# yang/vrrpd-tracking.yang is vrrpd_tracking_yang_module.
set -e
printf '/* generated from %s; do not edit */\n' "$*"
for f in "$@"; do
	name=$(basename "$f" .yang | tr -- '-' '_')
	printf 'const char %s_yang_module[] =\n' "$name"
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/\t"/' -e 's/$/\\n"/' "$f"
	printf ';\n'
done
