#!/usr/bin/python3
"""Regenerate the libFuzzer dictionaries fuzz/*.dict from the sources (run
from the repository root: /usr/bin/python3 fuzz/make_dicts.py)."""
import re, glob
yang = open('yang/vrrpd.yang').read()
names = sorted(set(re.findall(r'^\s*(?:leaf|leaf-list|container|list) ([a-z0-9-]+)', yang, re.M)))
enums = sorted(set(re.findall(r'enum ([a-z0-9-]+)', yang)))
def q(s): return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'
hdr = lambda what: "# libFuzzer dictionary for %s (fuzz/README.md); made from %s.\n" % what
model = [q('"%s"' % n) for n in names] + [q('"%s"' % e) for e in enums] + \
    [q('"vrrpd:vrrpd"'), q('"vrrpd:'), q('10.10.1.1'), q('2001:db8::1'), q('fe80::1'),
     q('224.0.0.18'), q('ff02::12'), q('true'), q('false'), q('null'), q('[]'), q('{}'), q(':')]
open('fuzz/fuzz_model.dict', 'w').write(hdr(("fuzz_model", "the node names and enums of yang/vrrpd.yang")) + "\n".join(model) + "\n")
methods = re.findall(r'\{ \{ "([a-z.]+)"', open('vrrpd/ctl/rpc.c').read())
rpc = model + [q('"%s"' % m) for m in methods] + [q(s) for s in [
    '"jsonrpc"', '"2.0"', '"id"', '"method"', '"params"', '"config"', '"with-defaults"',
    '"hold"', '"path"', '"authentication/type"', '"authentication/password"', '\\n']]
open('fuzz/fuzz_rpc.dict', 'w').write(hdr(("fuzz_rpc", "yang/vrrpd.yang, the method table of vrrpd/ctl/rpc.c and JSON-RPC 2.0")) + "\n".join(rpc) + "\n")
words = set()
for f in glob.glob('kaconf/*.c'):
    words |= set(re.findall(r'"([a-z][a-z_0-9]+)"', open(f).read()))
words -= {'r', 'w'}
ka = [q(w) for w in sorted(words)] + [q(s) for s in ['{', '}', '\\n', '#', '!', '"', 'MASTER', 'BACKUP',
    '10.10.1.1/16', 'dev', 'eth0', '2001:db8::1/64', 'include', 'global.conf', 'vi*.conf', 'loop.conf',
    '@fuzz ', '@^fuzz ', '@r1 ', '${_INSTANCE}', '$_PWD', '~SEQ(', '$X=']]
open('fuzz/fuzz_kaconf.dict', 'w').write(hdr(("fuzz_kaconf", "the keywords kaconf/*.c knows")) + "\n".join(ka) + "\n")
