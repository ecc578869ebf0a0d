"""scripts/install-deps.sh with stubbed dpkg-query, apt-get and id: it must
install only what is missing, never let a service start (a policy-rc.d that
says 101 is in place while apt runs), leave an existing policy-rc.d alone
(every Debian container image has one), and exit with apt's status."""

import os
import stat
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, "scripts", "install-deps.sh")

STUBS = {
    # installed packages are listed in $INSTALLED (space separated)
    "dpkg-query": """#!/bin/sh
pkg=$(eval echo \\${$#})
case " $INSTALLED " in *" $pkg "*) printf 'install ok installed'; exit 0;; esac
exit 1
""",
    # records every call and what policy-rc.d said at that moment
    "apt-get": """#!/bin/sh
pol=missing
[ -x "$POLICY_RC_D" ] && { "$POLICY_RC_D" x start >/dev/null 2>&1; pol=$?; }
echo "$* | policy=$pol" >> "$APT_LOG"
case "$1" in install) exit ${APT_INSTALL_RC:-0};; esac
exit 0
""",
    "id": "#!/bin/sh\necho 0\n",
}


@pytest.fixture
def env(tmp_path):
    bindir = tmp_path / "bin"
    bindir.mkdir()
    for name, text in STUBS.items():
        p = bindir / name
        p.write_text(text)
        p.chmod(0o755)
    e = dict(os.environ)
    e.update(PATH="%s:%s" % (bindir, e["PATH"]), APT_LOG=str(tmp_path / "apt.log"),
             POLICY_RC_D=str(tmp_path / "policy-rc.d"), INSTALLED="")
    return e


def all_packages():
    out = subprocess.run(["sh", "-c", ". /dev/stdin; echo $PKGS"],
                         input=open(SCRIPT).read().split("\nmissing=")[0].replace("set -eu", ""),
                         capture_output=True, text=True, check=True).stdout
    return out.split()


def run(env):
    return subprocess.run(["sh", SCRIPT], env=env, capture_output=True, text=True, timeout=60)


def apt_calls(env):
    return open(env["APT_LOG"]).read().splitlines() if os.path.exists(env["APT_LOG"]) else []


def test_nothing_missing_runs_no_apt(env):
    env["INSTALLED"] = " ".join(all_packages())
    r = run(env)
    assert r.returncode == 0, r.stderr
    assert apt_calls(env) == []


def test_installs_missing_with_temporary_policy(env):
    pkgs = all_packages()
    env["INSTALLED"] = " ".join(p for p in pkgs if p not in ("keepalived", "tmux"))
    r = run(env)
    assert r.returncode == 0, r.stdout + r.stderr
    calls = apt_calls(env)
    assert calls[0].startswith("update"), calls
    install = [c for c in calls if c.startswith("install")]
    assert len(install) == 1 and " keepalived " in install[0] + " " and "tmux" in install[0]
    assert "policy=101" in install[0], "no policy-rc.d forbidding starts while apt ran"
    assert not os.path.exists(env["POLICY_RC_D"]), "our policy-rc.d was left behind"


def test_existing_policy_rc_d_kept_and_exit_zero(env):
    """The container-image case that used to exit 1 after installing."""
    with open(env["POLICY_RC_D"], "w") as f:
        f.write("#!/bin/sh\nexit 101\n# the image's own\n")
    os.chmod(env["POLICY_RC_D"], stat.S_IRWXU)
    env["INSTALLED"] = " ".join(p for p in all_packages() if p != "frr")
    r = run(env)
    assert r.returncode == 0, r.stdout + r.stderr
    assert any(c.startswith("install") and "frr" in c for c in apt_calls(env))
    assert open(env["POLICY_RC_D"]).read().endswith("# the image's own\n")


def test_apt_failure_is_the_exit_status(env):
    env["APT_INSTALL_RC"] = "100"
    r = run(env)
    assert r.returncode == 100, (r.returncode, r.stderr)
    assert not os.path.exists(env["POLICY_RC_D"])
