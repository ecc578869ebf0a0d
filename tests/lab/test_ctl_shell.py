"""The interactive vrrpctl shell in a real terminal (tmux): host-name prompt,
Tab completion of a command and of a live instance name, `?` help,
abbreviations, an error message, Ctrl-C cancelling a line, Ctrl-D leaving
and history kept in the home directory."""

import os
import shutil
import socket
import subprocess
import time

import pytest

import lab as labmod
import seed

VRRPCTL_BIN = os.environ.get("VRRPCTL_BIN", os.path.join(labmod.ROOT, "vrrpctl", "vrrpctl"))


class Tmux:
    def __init__(self, name, cmd, env):
        self.name = name
        subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", "160", "-y", "50",
                        "env"] + ["%s=%s" % kv for kv in env.items()] + cmd, check=True)

    def keys(self, *keys, literal=False):
        subprocess.run(["tmux", "send-keys", "-t", self.name] + (["-l"] if literal else [])
                       + list(keys), check=True)

    def type(self, text):
        self.keys(text, literal=True)

    def screen(self):
        r = subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name],
                           stdout=subprocess.PIPE, text=True)
        return r.stdout

    def alive(self):
        return subprocess.run(["tmux", "has-session", "-t", self.name],
                              stderr=subprocess.DEVNULL).returncode == 0

    def wait(self, pred, what, timeout=5.0):
        try:
            return labmod.wait_for(lambda: pred(self.screen()), timeout, interval=0.05,
                                   what=what)
        except labmod.LabTimeout:
            raise AssertionError("%s; screen:\n%s" % (what, self.screen()))

    def last_line(self):
        """The cursor line (capture-pane drops trailing blanks)."""
        lines = [ln for ln in self.screen().splitlines() if ln.strip()]
        return lines[-1].rstrip() if lines else ""

    def kill(self):
        subprocess.run(["tmux", "kill-session", "-t", self.name], stderr=subprocess.DEVNULL)


@pytest.fixture
def shell(make_lab, impl):
    if impl != "vrrpd":
        pytest.skip("the control socket is vrrpd's")
    if not shutil.which("tmux"):
        pytest.skip("tmux not installed")
    if not os.access(VRRPCTL_BIN, os.X_OK):
        pytest.fail("vrrpctl not built (%s)" % VRRPCTL_BIN)
    lab = make_lab(1, client=False)
    d = lab.start("r1", impl, seed.load("single-master-node1"))
    labmod.wait_for(lambda: os.path.exists(d.socket), 5, what="control socket")
    t = Tmux(lab.prefix + "-sh", [VRRPCTL_BIN, "--socket", d.socket],
             {"HOME": lab.dir, "TERM": "xterm", "INPUTRC": "/dev/null"})
    t.lab, t.daemon = lab, d
    yield t
    t.kill()


def test_shell_completion_help_errors(shell):
    t = shell
    prompt = socket.gethostname() + ">"
    t.wait(lambda s: t.last_line() == prompt, "the prompt names the host")

    # Tab completes a command...
    t.type("sh")
    t.keys("Tab")
    t.wait(lambda s: t.last_line() == prompt + " show", "'sh' + Tab -> 'show '")
    # ...and an instance name asked from the daemon.
    t.type("instance V")
    t.keys("Tab")
    t.wait(lambda s: t.last_line() == prompt + " show instance VI_1", "instance name completed")
    t.keys("Enter")
    t.wait(lambda s: "master-transitions" in s and "priority" in s, "show instance output")

    # `?` lists what may come next, with help, and keeps the line.
    t.type("show ")
    t.type("?")
    t.wait(lambda s: "running-config" in s and "Summary table of every instance" in s,
           "? lists the show keywords")
    t.wait(lambda s: t.last_line() == prompt + " show", "line kept after ?")
    t.keys("C-u")

    # Abbreviations.
    t.keys("C-l")
    t.type("sh inst")
    t.keys("Enter")
    t.wait(lambda s: "PRIO(EFF/CFG)" in s and "100/100" in s, "'sh inst' shows the table")

    # An error is one line and the shell goes on.
    t.type("set instance VI_1 priority 999")
    t.keys("Enter")
    t.wait(lambda s: "priority: expected a number 1-255" in s, "range error shown")
    t.type("failover VI_7")
    t.keys("Enter")
    t.wait(lambda s: 'no instance "VI_7"' in s, "daemon error shown")

    # Ctrl-C cancels the line being typed, not the shell.
    t.type("delete instance VI_1")
    t.keys("C-c")
    t.wait(lambda s: t.last_line() == prompt, "Ctrl-C gives a fresh prompt")
    assert t.alive()
    t.type("show daemon")
    t.keys("Enter")
    t.wait(lambda s: "uptime-seconds" in s, "show daemon after Ctrl-C")
    assert "VI_1" in subprocess.run([VRRPCTL_BIN, "--socket", t.daemon.socket, "show",
                                     "instances"], stdout=subprocess.PIPE, text=True).stdout

    # Ctrl-D leaves; history is kept in the home directory.
    t.keys("C-d")
    labmod.wait_for(lambda: not t.alive(), 5, what="vrrpctl exits on Ctrl-D")
    hist = open(os.path.join(t.lab.dir, ".vrrpctl_history")).read()
    assert "sh inst" in hist and "show daemon" in hist
