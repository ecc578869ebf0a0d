"""`make install` and `make deb` lay out every file where the system looks
for it, and the installed programs run from there: vrrpd --check on the
installed default configuration, vrrpctl --help, the installed unit passes
systemd-analyze verify, and the packaged daemon serves its control socket
in a lab namespace."""

import os
import shutil
import stat
import subprocess

import pytest

import lab as labmod

ROOT = labmod.ROOT

INSTALLED = {
    # path under the root: mode (None: any)
    "usr/sbin/vrrpd": 0o755,
    "usr/sbin/vrrpctl": 0o755,
    "lib/systemd/system/vrrpd.service": 0o644,
    "usr/share/bash-completion/completions/vrrpctl": 0o644,
    "usr/share/vrrpd/yang/vrrpd.yang": 0o644,
    "etc/vrrpd/vrrpd.json": 0o600,
    "etc/vrrpd": 0o750,
}
MAN_PAGES = ["man8/vrrpd.8", "man8/vrrpctl.8", "man5/vrrpd.yang.5", "man7/vrrpd-rpc.7"]


def _run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=kw.pop("timeout", 120), **kw)


def _check_tree(root, man_suffix=""):
    for rel, mode in INSTALLED.items():
        path = os.path.join(root, rel)
        assert os.path.exists(path), "not installed: /%s" % rel
        assert stat.S_IMODE(os.stat(path).st_mode) == mode, \
            "/%s has mode %o, not %o" % (rel, stat.S_IMODE(os.stat(path).st_mode), mode)
    for page in MAN_PAGES:
        assert os.path.exists(os.path.join(root, "usr/share/man", page + man_suffix)), page


def _check_runs(root):
    vrrpd = os.path.join(root, "usr/sbin/vrrpd")
    r = _run([vrrpd, "--check", "--config", os.path.join(root, "etc/vrrpd/vrrpd.json")])
    assert r.returncode == 0 and "configuration OK: 0 instance(s)" in r.stdout, r.stdout
    r = _run([os.path.join(root, "usr/sbin/vrrpctl"), "--help"])
    assert r.returncode == 0 and "usage: vrrpctl" in r.stdout, r.stdout
    unit = open(os.path.join(root, "lib/systemd/system/vrrpd.service")).read()
    assert "ExecStart=/usr/sbin/vrrpd --foreground --config /etc/vrrpd/vrrpd.json" in unit
    assert "Type=notify" in unit and "WatchdogSec=" in unit
    # privilege separation: the worker's user, its notifications accepted
    assert " --user vrrpd" in unit and "NotifyAccess=all" in unit
    assert "CAP_SETPCAP" in unit and "AmbientCapabilities" not in unit


def test_make_install_destdir(tmp_path):
    dest = str(tmp_path / "root")
    r = _run(["make", "-C", ROOT, "install", "DESTDIR=" + dest, "PREFIX=/usr"])
    assert r.returncode == 0, r.stdout
    _check_tree(dest)
    _check_runs(dest)
    # An operator's configuration is never replaced by a new install.
    conf = os.path.join(dest, "etc/vrrpd/vrrpd.json")
    with open(conf, "w") as f:
        f.write('{"vrrpd:vrrpd": {"global": {"router-id": "10.0.0.1"}}}\n')
    r = _run(["make", "-C", ROOT, "install", "DESTDIR=" + dest, "PREFIX=/usr"])
    assert r.returncode == 0, r.stdout
    assert "10.0.0.1" in open(conf).read()


def test_make_install_prefix_paths(tmp_path):
    """Another prefix: the unit and completion follow it."""
    dest = str(tmp_path / "root")
    r = _run(["make", "-C", ROOT, "install", "DESTDIR=" + dest, "PREFIX=/opt/vrrpd",
              "SYSCONFDIR=/opt/vrrpd/etc", "UNITDIR=/opt/vrrpd/units"])
    assert r.returncode == 0, r.stdout
    unit = open(os.path.join(dest, "opt/vrrpd/units/vrrpd.service")).read()
    assert "ExecStart=/opt/vrrpd/sbin/vrrpd --foreground --config " \
           "/opt/vrrpd/etc/vrrpd/vrrpd.json" in unit
    assert "ReadWritePaths=/opt/vrrpd/etc/vrrpd" in unit
    assert os.path.exists(os.path.join(dest, "opt/vrrpd/share/bash-completion/completions/vrrpctl"))


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze not installed")
def test_unit_verifies(tmp_path):
    """systemd-analyze verify on the unit with its paths pointing at an
    installed tree (it checks that ExecStart= exists)."""
    dest = str(tmp_path / "root")
    r = _run(["make", "-C", ROOT, "install", "DESTDIR=", "PREFIX=" + dest + "/usr",
              "SYSCONFDIR=" + dest + "/etc", "UNITDIR=" + dest + "/units"])
    assert r.returncode == 0, r.stdout
    r = _run(["systemd-analyze", "verify", "--man=no", os.path.join(dest, "units/vrrpd.service")])
    assert r.returncode == 0 and not r.stdout.strip(), r.stdout


def _deb_tools():
    return shutil.which("dpkg-buildpackage") and shutil.which("dh") and shutil.which("dpkg-deb")


@pytest.mark.skipif(not _deb_tools(), reason="make deb needs dpkg-dev and debhelper")
def test_make_deb(make_lab, tmp_path):
    debdir = str(tmp_path / "deb")
    r = _run(["make", "-C", ROOT, "deb", "DEB_DIR=" + debdir], timeout=300)
    assert r.returncode == 0, r.stdout
    debs = [f for f in os.listdir(debdir) if f.startswith("vrrpd_") and f.endswith(".deb")]
    assert len(debs) == 1, os.listdir(debdir)
    deb = os.path.join(debdir, debs[0])
    root = str(tmp_path / "root")
    assert _run(["dpkg-deb", "-x", deb, root]).returncode == 0
    _check_tree(root, ".gz")
    _check_runs(root)
    assert _ctrl(deb, tmp_path, "conffiles").split() == ["/etc/vrrpd/vrrpd.json"]

    # The maintainer scripts Debian expects, and valid shell.
    postinst = _ctrl(deb, tmp_path, "postinst")
    assert "adduser --system --group" in postinst
    assert "deb-systemd-helper enable 'vrrpd.service'" in postinst
    assert "deb-systemd-invoke start" not in postinst, "the unit must not be started"
    prerm = _ctrl(deb, tmp_path, "prerm")
    assert "deb-systemd-invoke stop vrrpd.service" in prerm
    postrm = _ctrl(deb, tmp_path, "postrm")
    assert 'rm -rf /etc/vrrpd' in postrm and "deb-systemd-helper purge" in postrm
    for name in ("postinst", "prerm", "postrm"):
        assert _run(["sh", "-n", str(tmp_path / "ctrl" / name)]).returncode == 0, name

    # The packaged daemon runs from the unpacked tree, privilege-separated
    # as the unit runs it (nobody: the vrrpd user is not made here): its
    # socket answers.
    lab = make_lab(1, client=False)
    sock = os.path.join(lab.dir, "pkg.sock")
    log = open(os.path.join(lab.dir, "pkg-vrrpd.log"), "w")
    p = subprocess.Popen(["ip", "netns", "exec", lab.ns("r1"), os.path.join(root, "usr/sbin/vrrpd"),
                          "--foreground", "--config", os.path.join(root, "etc/vrrpd/vrrpd.json"),
                          "--socket", sock, "--user", "nobody"],
                         stdout=log, stderr=subprocess.STDOUT,
                         start_new_session=True)
    lab._procs.append(p)
    labmod.wait_for(lambda: os.path.exists(sock), 5, what="packaged vrrpd socket")
    r = _run([os.path.join(root, "usr/sbin/vrrpctl"), "--socket", sock, "show", "instances"],
             timeout=5)
    assert r.returncode == 0, r.stdout
    p.terminate()
    assert p.wait(timeout=5) == 0


def _ctrl(deb, tmp_path, name):
    d = tmp_path / "ctrl"
    if not d.exists():
        assert _run(["dpkg-deb", "-e", deb, str(d)]).returncode == 0
    path = d / name
    return path.read_text() if path.exists() else ""
