"""vrrpctl configuration mode on two lab routers (issue 11), driven in a
real terminal (tmux): a candidate is not applied before commit; `commit
confirmed 15s` left unconfirmed is rolled back by the daemon itself and the
other router preempts back; a confirmed one stays; `rollback 1` + `show
compare` + commit; an invalid candidate (v2 with advertisement-interval 50)
refused at commit with the YANG path and nothing applied; `show commits`;
conflicting commits from two sessions; `exit` asking about uncommitted
changes.

r1 has priority 100 and is master, r2 priority 98 is backup; the shell runs
against r2 and raises it to 120, so r2 preempts (RFC 5798 6.4.2)."""

import json
import os
import shutil
import socket
import subprocess
import time

import pytest

import lab as labmod
import seed
from steps import start_pair
from test_ctl_shell import Tmux

VRRPCTL_BIN = os.environ.get("VRRPCTL_BIN", os.path.join(labmod.ROOT, "vrrpctl", "vrrpctl"))
VIP = seed.VIP1
PROMPT = socket.gethostname() + "(config)#"


def ctl_json(d, *args):
    r = subprocess.run([VRRPCTL_BIN, "--socket", d.socket, "--json"] + list(args),
                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=15)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def prio(d):
    return ctl_json(d, "show", "instances")[0]["priority"]


def run(t, line, expect, what, timeout=5.0):
    """Type a line, wait for expect (a string) on the screen after it."""
    t.keys("C-l")
    time.sleep(0.05)
    t.type(line)
    t.keys("Enter")
    return t.wait(lambda s: expect in s.split(line, 1)[-1] and
                  t.last_line().startswith(PROMPT), what, timeout)


@pytest.fixture
def pair(make_lab, impl):
    if impl != "vrrpd":
        pytest.skip("configuration mode is vrrpd's")
    if not shutil.which("tmux"):
        pytest.skip("tmux not installed")
    lab = make_lab(2, client=False)
    d1, d2 = start_pair(lab, impl, seed.load("single-master-node1"),
                        impl, seed.load("single-master-node2"))
    shells = []

    def shell(tag):
        t = Tmux("%s-%s" % (lab.prefix, tag), [VRRPCTL_BIN, "--socket", d2.socket],
                 {"HOME": lab.dir, "TERM": "xterm", "INPUTRC": "/dev/null"})
        shells.append(t)
        t.wait(lambda s: t.last_line().endswith(">"), "operational prompt")
        t.type("configure")
        t.keys("Enter")
        t.wait(lambda s: t.last_line() == PROMPT, "the (config)# prompt")
        return t

    yield lab, d1, d2, shell
    for t in shells:
        t.kill()


def test_configure_commit_confirmed_rollback(pair, timing):
    lab, d1, d2, shell = pair
    t = shell("a")

    # The candidate is not applied before commit.
    run(t, "set instance VI_1 priority 120", PROMPT, "set accepted")
    run(t, "show compare", "+set instance VI_1 priority 120", "compare shows the change")
    time.sleep(seed.master_down_s(120) + 0.5)
    assert prio(d2) == 98
    lab.wait_holder(VIP, ["r1"], timeout=0.1)

    # commit confirmed 15s, not confirmed: the daemon rolls back on its own,
    # and r1 preempts back.
    t0 = time.time()
    run(t, "commit confirmed 15s", "Rolled back in 15 s unless confirmed", "confirmed commit")
    lab.wait_holder(VIP, ["r2"], timeout=seed.master_down_s(120) + 1.5)
    timing("commit confirmed: VIP on r2", (time.time() - t0) * 1000)
    lab.wait_holder(VIP, ["r1"], timeout=15 + seed.master_down_s(100) + 3)
    took = time.time() - t0
    assert took >= 15, took
    timing("unconfirmed commit rolled back, VIP back on r1 (s)", took * 1000)
    assert prio(d2) == 98
    assert "was not confirmed in time: configuration rolled back" in d2.log()

    # Confirmed: it stays past the deadline.
    run(t, "set instance VI_1 priority 120", PROMPT, "set again")
    run(t, "commit confirmed 5s", "Rolled back in 5 s", "second confirmed commit")
    lab.wait_holder(VIP, ["r2"], timeout=seed.master_down_s(120) + 1.5)
    run(t, "confirm", "confirmed", "confirm")
    time.sleep(6)
    assert prio(d2) == 120
    lab.wait_holder(VIP, ["r2"], timeout=0.1)

    # rollback 1 (the configuration before the last commit), compare, commit.
    run(t, "rollback 1", "Loaded commit", "rollback 1")
    run(t, "show compare", "-set instance VI_1 priority 120", "compare after rollback")
    assert "+set instance VI_1 priority 98" in t.screen()
    run(t, 'commit comment "back to 98"', "complete", "commit of the rollback")
    lab.wait_holder(VIP, ["r1"], timeout=seed.master_down_s(100) + 2)
    assert prio(d2) == 98

    # An invalid candidate is refused at commit with the YANG path; nothing
    # is applied.
    before = ctl_json(d2, "show", "instance", "VI_1")["config"]
    run(t, "set instance VI_1 version 2 advertisement-interval 50", PROMPT, "invalid set")
    run(t, "commit", "/vrrpd:vrrpd/instance[name='VI_1']/advertisement-interval",
        "commit refused with the path")
    assert ctl_json(d2, "show", "instance", "VI_1")["config"] == before
    assert before["advertisement-interval"] == 100, before
    run(t, "discard", "Candidate reset", "discard")

    # show commits: newest first, user and comment.
    run(t, "show commits", "back to 98", "history listed")
    s = t.screen()
    assert "rollback: commit" in s and "not confirmed" in s and "root" in s, s
    commits = ctl_json(d2, "show", "commits")["commits"]
    assert [c["rollback"] for c in commits] == list(range(len(commits)))
    assert len(commits) == 5, commits


def test_conflicting_sessions_and_exit(pair):
    lab, d1, d2, shell = pair
    a, b = shell("a"), shell("b")
    run(a, "set instance VI_1 priority 97", PROMPT, "a edits")
    run(b, "set instance VI_1 priority 96", PROMPT, "b edits the same instance")
    run(a, "commit", "complete", "a commits")
    run(b, "commit", "running configuration changed since the candidate was taken",
        "b refused")
    assert "VI_1" in b.screen().split("changed since")[-1]
    assert prio(d2) == 97
    # rollback 0 takes running again; b's commit then goes through.
    run(b, "rollback 0", "Loaded running", "b takes running")
    run(b, "set instance VI_1 priority 96", PROMPT, "b edits again")
    run(b, "commit", "complete", "b commits")
    assert prio(d2) == 96

    # exit with uncommitted changes asks; "no" stays in configuration mode.
    run(a, "set instance VI_1 priority 95", PROMPT, "a edits")
    a.keys("C-l")
    a.type("exit")
    a.keys("Enter")
    a.wait(lambda s: "Leave configuration mode? [yes/no]" in s, "exit asks")
    a.type("no")
    a.keys("Enter")
    a.wait(lambda s: a.last_line() == PROMPT, "still in configuration mode")
    a.type("exit")
    a.keys("Enter")
    a.wait(lambda s: "[yes/no]" in s, "exit asks again")
    a.type("yes")
    a.keys("Enter")
    a.wait(lambda s: a.last_line() == socket.gethostname() + ">", "operational prompt")
    assert prio(d2) == 96

    # Without a terminal, exit with uncommitted changes is refused.
    r = subprocess.run([VRRPCTL_BIN, "--socket", d2.socket], text=True,
                       input="configure\nset instance VI_1 priority 90\nexit\n",
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=15)
    assert r.returncode == 1 and "commit or discard them first" in r.stderr, r.stderr
    assert prio(d2) == 96


def test_candidate_instances_complete(pair):
    """An instance created in the candidate and not committed yet completes
    after `set instance` in configuration mode (and not in another session,
    whose candidate does not have it)."""
    lab, d1, d2, shell = pair
    a, b = shell("a"), shell("b")
    run(a, "create instance VI_NEW interface eth0 vrid 77 address 10.9.9.9/24",
        PROMPT, "a creates in its candidate")
    a.keys("C-l")
    a.type("set instance VI_N")
    a.keys("Tab")
    a.wait(lambda s: a.last_line().endswith("# set instance VI_NEW"), "VI_NEW completed")
    a.keys("C-u")
    # running does not have it, nor does b's candidate
    assert [i["name"] for i in ctl_json(d2, "show", "instances")] == ["VI_1"]
    b.keys("C-l")
    b.type("set instance VI_")
    b.keys("Tab")
    b.wait(lambda s: b.last_line().endswith("# set instance VI_1"), "b completes VI_1 only")
    b.keys("C-u")
