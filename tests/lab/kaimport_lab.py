"""Lab helpers for issue 4: routers that run a keepalived.conf unchanged.

A router runs either `vrrpd --keepalived-conf FILE` or Debian's keepalived
with `-f FILE`, where FILE is the seed's own keepalived.conf from
tests/data/keepalived/ with only the interface name changed (ens33 -> eth0,
the lab's LAN interface).  Both implementations get byte-identical files, so
a difference in behaviour is a difference between the daemons, never between
their configurations.
"""

import os
import re
import subprocess
import time

import lab as labmod
import seed

KA_DIR = os.path.join(seed.DATA_DIR, "keepalived")
SEEDS = ["single-master-node1", "single-master-node2", "dual-master-node1", "dual-master-node2"]


def seed_path(name):
    return os.path.join(KA_DIR, name + ".conf")


def seed_text(name):
    """The seed file as a router runs it: verbatim but for the interface."""
    return seed.keepalived_original(name, labmod.IFNAME)


class KeepalivedConfDaemon(labmod.Daemon):
    """vrrpd started with --keepalived-conf instead of --config.

    kind stays "vrrpd" so the log patterns, the control socket and the pid
    file handling of lab.Daemon apply unchanged."""

    def __init__(self, lab, router, name, text=None):
        super().__init__(lab, router, "vrrpd", seed_text(name) if text is None else text)
        self.seed_name = name

    @property
    def conf_path(self):
        # The seed's own file name, so error messages read like the user's.
        return os.path.join(self.lab.dir, "%s-%s.conf" % (self.router, self.seed_name))

    def _write_config(self):
        with open(self.conf_path, "w") as f:
            f.write(self.config)
        return self.conf_path

    def command(self, conf):
        cmd = super().command(conf)
        cmd[cmd.index("--config")] = "--keepalived-conf"
        # config.save writes only into --save-dir (there is no JSON
        # startup file): the lab's directory.
        return cmd + ["--save-dir", self.lab.dir]


def start(lab, router, impl, name, wait_ready=True, edit=None):
    """Start `impl` ("vrrpd" or "keepalived") on router with seed config
    `name`, optionally passed through edit(text) first (the same edit for
    both implementations keeps their files identical)."""
    text = seed_text(name)
    if edit is not None:
        text = edit(text)
    if impl == "vrrpd":
        d = KeepalivedConfDaemon(lab, router, name, text)
        lab.daemons[router] = d
        return d.start(wait_ready)
    return lab.start(router, "keepalived", text, wait_ready)


def as_v3_half_second(text):
    """The seed as VRRPv3 at advert_int 0.5 (keepalived's fractional
    interval, 50 cs on the wire): vrrp_version 3 in global_defs, and no
    authentication block, which RFC 5798 removed."""
    text = re.sub(r"(?m)^(\s*vrrp_mcast_group4 .*)$", r"\1\n     vrrp_version 3", text, count=1)
    text = re.sub(r"(?m)^(\s*advert_int) 1$", r"\1 0.5", text)
    text = re.sub(r"(?ms)^\s*authentication \{.*?\}\n", "", text)
    assert "vrrp_version 3" in text and "advert_int 0.5" in text and "auth_pass" not in text
    return text


def vrrpctl(*args, socket=None, timeout=10):
    """Run vrrpctl (host namespace: the socket is a file); CompletedProcess."""
    cmd = [labmod.VRRPCTL_BIN] + (["--socket", socket] if socket else []) + list(args)
    return _no_sanitizer_report(subprocess.run(
        cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, timeout=timeout))


def vrrpd_run(args, ns=None, timeout=10):
    """Run vrrpd to completion (optionally inside a namespace); returns
    (CompletedProcess, seconds it took)."""
    cmd = [labmod.VRRPD_BIN] + list(args)
    if ns:
        cmd = ["ip", "netns", "exec", ns] + cmd
    t0 = time.monotonic()
    r = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=timeout)
    return _no_sanitizer_report(r), time.monotonic() - t0


SANITIZER_RE = re.compile(r"AddressSanitizer|LeakSanitizer|runtime error:")


def _no_sanitizer_report(r):
    """With VRRPD_BIN/VRRPCTL_BIN pointing at an ASan build, a report fails
    the test (the lab's log scan covers daemons, this covers one-shot runs)."""
    assert not SANITIZER_RE.search(r.stderr), "sanitizer report:\n" + r.stderr
    return r


def wait_socket(d, timeout=5):
    labmod.wait_for(lambda: os.path.exists(d.socket), timeout,
                    what="control socket %s" % d.socket)


# ---------------------------------------------------------------- bad configs

def _replace_line(lines, old, new):
    """Replace the one line equal to `old`; returns its 1-based number."""
    idx = [i for i, line in enumerate(lines) if line == old]
    assert len(idx) == 1, "seed line %r not found exactly once" % old
    lines[idx[0]] = new
    return idx[0] + 1


def malformed(seed_name="single-master-node1"):
    """Malformed variants of a seed: [(case id, text, line, reason regex)].

    Each differs from the seed in one place; `line` is the line the error
    must name and the regex what it must say was expected."""
    base = seed_text(seed_name).split("\n")
    cases = []

    def variant(cid, edit, reason):
        lines = list(base)
        line = edit(lines)
        cases.append((cid, "\n".join(lines), line, reason))

    def drop_last_brace(lines):
        # The closing brace of vrrp_instance VI_1: the block opened on its line stays open.
        last = max(i for i, line in enumerate(lines) if line.strip() == "}")
        del lines[last]
        return 1 + next(i for i, line in enumerate(lines) if line.startswith("vrrp_instance"))

    def extra_brace(lines):
        lines.insert(len(lines) - 1 if lines[-1] == "" else len(lines), "}")
        return 1 + max(i for i, line in enumerate(lines) if line == "}")

    variant("unbalanced-open", drop_last_brace, r"not closed|unbalanced|missing '?}")
    variant("unbalanced-close", extra_brace, r"unexpected '?}|unbalanced|no block is open")
    variant("unknown-keyword",
            lambda l: _replace_line(l, "        priority 100",
                                    "        priority 100\n        bogus_keyword 7") + 1,
            r"unknown keyword.*bogus_keyword|bogus_keyword.*unknown keyword")
    # The inserted line shifts nothing before it: the error is on the line after priority.
    variant("vrid-0", lambda l: _replace_line(l, "virtual_router_id 11", "virtual_router_id 0"),
            r"virtual_router_id.*1\.\.255")
    variant("vrid-256",
            lambda l: _replace_line(l, "virtual_router_id 11", "virtual_router_id 256"),
            r"virtual_router_id.*1\.\.255")
    # keepalived truncates a long auth_pass and takes priority 0 as the
    # default: those are corrections with a warning now (corrected() below).
    variant("auth-ah",
            lambda l: _replace_line(l, "auth_type PASS", "auth_type AH"),
            r"auth_type.*AH.*not supported")
    variant("priority-word",
            lambda l: _replace_line(l, "        priority 100", "        priority high"),
            r"priority.*1\.\.255")
    variant("undefined-parameter",
            lambda l: _replace_line(l, "        interface " + labmod.IFNAME, "        interface $IF"),
            r"undefined parameter")
    return cases


def corrected(seed_name="single-master-node1"):
    """Variants keepalived 2.2.7 accepts with a correction of its own:
    [(case id, text, line, warning regex)]; vrrpd accepts them the same way
    with a warning naming the line."""
    base = seed_text(seed_name).split("\n")
    cases = []
    for cid, old, new, reason in (
            ("password-too-long", "auth_pass 11112222", "auth_pass 111122223",
             r"auth_pass.*truncated to the first 8"),
            ("priority-0", "        priority 100", "        priority 0",
             r"priority.*using the default"),
            ("state-lowercase", "        state MASTER", "        state master",
             r"state.*using BACKUP")):
        lines = list(base)
        line = _replace_line(lines, old, new)
        cases.append((cid, "\n".join(lines), line, reason))
    return cases
