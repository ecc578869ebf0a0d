#!/usr/bin/python3
"""Importer sweep (issue 12): every statement of the vrrp_instance section
and every vrrp_* keyword of global_defs in `man keepalived.conf`, as the man
page writes it (its own example values), put into a minimal valid
configuration and given to both `vrrpctl convert` and `keepalived -t`.
Prints a Markdown table: keyword | keepalived -t | vrrpd | what vrrpd said.

    python3 scripts/kaconf-sweep.py [--vrrpctl vrrpctl/vrrpctl] > sweep.md

Placeholders of the man page (<BOOL>, <IPADDR>, ...) are replaced by sample
values so keepalived can parse the line; a keyword whose example keepalived
itself refuses is reported as such."""

import argparse
import os
import re
import subprocess
import tempfile

SAMPLES = {
    "<BOOL>": "", "<STRING>": "x", "<INTEGER>": "1", "<IPADDR>": "10.0.0.9",
    "<VMAC_INTERFACE_NAME>": "vrrp.51", "<MAC_ADDRESS>": "", "<INTERFACE_NAME>": "vip1",
    "<IP_ADDRESS>": "10.0.0.9", "<NUMBER>": "1", "<FILENAME>": "/bin/true",
}

BASE = """global_defs {
%s
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority 100
%s
    virtual_ipaddress {
        10.10.1.1/16
    }
}
"""


def man_text():
    return subprocess.run("man keepalived.conf | col -b", shell=True, capture_output=True,
                          text=True, check=True).stdout


def statements(lines):
    """Top-level statements (with their blocks) of a man-page syntax block."""
    out, i = [], 0
    while i < len(lines):
        ln = lines[i].strip()
        i += 1
        if not ln or ln.startswith("#") or ln in ("}", "{"):
            continue
        stmt = [ln]
        depth = ln.count("{") - ln.count("}")
        while depth > 0 and i < len(lines):
            inner = lines[i].strip()
            i += 1
            if inner.startswith("#"):
                continue
            stmt.append(inner)
            depth += inner.count("{") - inner.count("}")
        out.append(stmt)
    return out


def block(text, start_re, end_re):
    m = re.search(start_re, text)
    body = text[m.end():]
    e = re.search(end_re, body)
    return body[:e.start()].split("\n")


def fill(stmt):
    s = "\n".join(stmt)
    for k, v in SAMPLES.items():
        s = s.replace(k, v)
    s = re.sub(r"\[([^\]|]*)\|[^\]]*\]", r"\1", s)     # [a|b] -> a
    s = re.sub(r"<[^>]*>", "1", s)                     # other placeholders
    s = re.sub(r"\[[^\]]*\]", "", s)                   # optional parts left out
    return s


def run(cmd, conf):
    r = subprocess.run(cmd + [conf], capture_output=True, text=True, timeout=20)
    return r.returncode, (r.stdout + r.stderr)


def classify(rc, out):
    msgs = [l for l in out.splitlines() if l.startswith(("warning:", "error:"))]
    if rc != 0:
        return "refused", msgs
    return ("converted" if not msgs else "converted, warned"), msgs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vrrpctl", default=os.path.join(os.path.dirname(__file__), "..",
                                                      "vrrpctl", "vrrpctl"))
    a = ap.parse_args()
    text = man_text()
    inst = statements(block(text, r"\n\s*vrrp_instance <STRING> \{\n", r"\n       \}\n"))
    glob = [s for s in statements(block(text, r"\n\s*global_defs \{\n", r"\n       \}\n"))
            if s[0].startswith("vrrp_")]
    rows = []
    with tempfile.TemporaryDirectory() as d:
        conf = os.path.join(d, "k.conf")
        for scope, stmts in (("global_defs", glob), ("vrrp_instance", inst)):
            seen = set()
            for st in stmts:
                kw = st[0].split()[0]
                if kw in seen or kw in ("interface", "virtual_router_id", "priority"):
                    continue
                seen.add(kw)
                line = fill(st)
                with open(conf, "w") as f:
                    f.write(BASE % ((line, "") if scope == "global_defs" else ("", line)))
                krc, kout = run(["keepalived", "-t", "-f"], conf)
                vrc, vout = run([a.vrrpctl, "convert"], conf)
                what, msgs = classify(vrc, vout)
                ka = "ok" if krc == 0 else "refuses (%d)" % krc
                note = "; ".join(m.split(": ", 2)[-1] for m in msgs)[:160]
                rows.append((scope, kw, ka, what, note.replace("|", "/")))
    print("| scope | keyword | keepalived -t | vrrpd convert | message |")
    print("|---|---|---|---|---|")
    for r in rows:
        print("| %s | `%s` | %s | %s | %s |" % r)
    n = len(rows)
    conv = sum(1 for r in rows if r[3] == "converted")
    warned = sum(1 for r in rows if r[3] == "converted, warned")
    print("\n%d keywords: %d converted silently, %d converted or ignored with a warning, "
          "%d refused." % (n, conv, warned, n - conv - warned))


if __name__ == "__main__":
    main()
