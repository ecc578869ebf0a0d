"""Issue 4 in the namespace lab: the seed's keepalived.conf files run
unchanged on `vrrpd --keepalived-conf`, beside real keepalived running the
very same file (and vrrpd on both routers), and the routers behave as the
write-up observed (../shared/README.md scenarios 1-4).  Also: instances
loaded from a keepalived.conf are ordinary instances on the control socket,
`vrrpctl convert` prints the checked-in JSON, a malformed keepalived.conf
is refused with file:line and the reason before anything runs, SIGHUP
re-reads the file, and the seed as VRRPv3 with advert_int 0.5 interoperates.

Timings come from pcap timestamps at the client, as in steps.py."""

import glob
import json
import os
import re
import signal
import subprocess
import time

import pytest

import kaimport_lab as ka
import lab as labmod
import seed
from steps import R1, R2, MARGIN_S, assert_seed_advert, garps_after, wait_quiet_s

VIP1, VIP2 = seed.VIP1, seed.VIP2
ROLES = [("vrrpd", "keepalived"), ("keepalived", "vrrpd"), ("vrrpd", "vrrpd")]
ROLE_IDS = ["vrrpd-node1", "vrrpd-node2", "vrrpd-both"]
GARP_REPEAT = 5     # keepalived's vrrp_garp_master_repeat default; the seed keeps it


@pytest.fixture(autouse=True)
def _built():
    for b in (labmod.VRRPD_BIN, labmod.VRRPCTL_BIN):
        if not os.access(b, os.X_OK):
            pytest.fail("%s not built; run make" % b)


def _seed_adverts_ok(pkts, src, vrid, prio, password, vip, t_from=None, t_to=None):
    ads = [p for p in labmod.adverts(pkts, src=src, vrid=vrid)
           if p["prio"] > 0 and (t_from is None or p["t"] >= t_from) and
           (t_to is None or p["t"] <= t_to)]
    for p in ads:
        assert_seed_advert(p, src, vrid=vrid, prio=prio, password=password, addrs=(vip,))
    return ads


def _takeover(pkts, old, new, vrid, after):
    """(prio-0 advert of old after `after`, first advert of new after it, delay s)."""
    p0 = [p for p in labmod.adverts(pkts, src=old, vrid=vrid, prio=0) if p["t"] >= after]
    assert len(p0) == 1, "expected one priority-0 advert from %s, got %s" % (old, p0)
    nxt = [p for p in labmod.adverts(pkts, src=new, vrid=vrid)
           if p["t"] > p0[0]["t"] and p["prio"] > 0]
    assert nxt, "no advert from %s after %s resigned" % (new, old)
    return p0[0], nxt[0], nxt[0]["t"] - p0[0]["t"]


def _garp_burst(lab, pkts, vip, router, first_advert):
    """Gratuitous ARPs of router for vip sent with its first advert as master."""
    return [g for g in garps_after(lab, pkts, vip, router, first_advert["t"] - 0.05)
            if g["t"] - first_advert["t"] < 0.1]


# ---------------------------------------------------------------- scenario 1-3

@pytest.mark.parametrize("roles", ROLES, ids=ROLE_IDS)
def test_single_master_seed(lab, roles, timing):
    """single-master-node1/2.conf: node2 first (alone it becomes master), node1
    takes over (write-up step 1); graceful stop of node1: one priority-0 advert,
    node2 takes over after its skew time with gratuitous ARPs (step 2); node1
    returns and preempts (step 3)."""
    impl1, impl2 = roles
    skew = seed.skew_s(98)
    with lab.capture() as cap:
        d2 = ka.start(lab, "r2", impl2, "single-master-node2")
        lab.wait_holder(VIP1, ["r2"], timeout=seed.master_down_s(98) + 2)
        d1 = ka.start(lab, "r1", impl1, "single-master-node1")
        lab.wait_holder(VIP1, ["r1"], timeout=seed.master_down_s(100) + 1.5)
        d2.wait_log("backup", timeout=3)
        d2.wait_log("removing_vips", timeout=2)
        m = d2.grep("higher_prio")
        assert m and (m[-1].group(1), m[-1].group(2)) == ("100", "98"), d2.log()
        d1.wait_log("master", timeout=2)

        # One advert a second, from the master only.
        t_obs = time.time()
        wait_quiet_s(2.1)
        t_stop = time.time()
        assert d1.stop() == 0, d1.log()
        lab.wait_holder(VIP1, ["r2"], timeout=skew + 1)
        t_took = time.time()
        n_prio0_sent = d1.count("prio0_sent")   # this start's log: the restart opens a new one
        wait_quiet_s(0.3)

        n_backup = d2.count("backup")
        t_back = time.time()
        d1.start()
        lab.wait_holder(VIP1, ["r1"], timeout=seed.master_down_s(100) + 1.5)
        d2.wait_log("backup", n=n_backup + 1, timeout=2)
        wait_quiet_s(0.2)
    pkts = cap.packets()

    steady = [p for p in labmod.adverts(pkts) if t_obs <= p["t"] <= t_stop]
    assert {p["src"] for p in steady} == {R1}, "only the master advertises: %s" % steady
    assert 2 <= len(steady) <= 3, steady
    gaps = [b["t"] - a["t"] for a, b in zip(steady, steady[1:])]
    assert all(0.9 <= g <= 1.1 for g in gaps), gaps
    _seed_adverts_ok(pkts, R1, 11, 100, "11112222", VIP1)
    _seed_adverts_ok(pkts, R2, 11, 98, "11112222", VIP1)

    p0, first, delay = _takeover(pkts, R1, R2, 11, t_stop - 0.05)
    assert_seed_advert(p0, R1, prio=0)
    timing("%s->%s prio0 -> takeover (skew %.1f)" % (impl1, impl2, skew * 1000), delay * 1000)
    assert skew - MARGIN_S <= delay <= skew + MARGIN_S, delay
    burst = _garp_burst(lab, pkts, VIP1, "r2", first)
    assert len(burst) == GARP_REPEAT, "gratuitous ARPs of r2 at takeover: %s" % burst
    assert n_prio0_sent == 1, "node1 logged %d priority-0 adverts" % n_prio0_sent
    d2.wait_log("prio0_rcvd", timeout=1)
    d2.wait_log("adding_vips", n=2, timeout=1)
    assert t_took - t_stop < skew + 0.5

    # Preemption: node1 advertises again, node2 falls silent, node1 sends GARPs.
    back = [p for p in labmod.adverts(pkts, src=R1, vrid=11) if p["t"] >= t_back and p["prio"]]
    assert back, "node1 did not advertise after its restart"
    assert garps_after(lab, pkts, VIP1, "r1", t_back), "no gratuitous ARP from node1 on return"
    late = [p for p in labmod.adverts(pkts, src=R2) if p["t"] > back[0]["t"] + 0.05]
    assert not late, "node2 still advertises after node1 preempted: %s" % late
    m = d2.grep("higher_prio")
    assert m and (m[-1].group(1), m[-1].group(2)) == ("100", "98"), d2.log()
    assert d1.last_state() == "master" and d2.last_state() == "backup"


@pytest.mark.parametrize("roles", ROLES, ids=ROLE_IDS)
def test_dual_master_seed(lab, roles, timing):
    """dual-master-node1/2.conf (write-up step 4): node2 alone holds both VIPs;
    node1 takes 10.10.1.1 back, one VIP each; node2 stops, node1 holds both."""
    impl1, impl2 = roles
    skew = seed.skew_s(98)
    with lab.capture() as cap:
        d2 = ka.start(lab, "r2", impl2, "dual-master-node2")
        lab.wait_holder(VIP1, ["r2"], timeout=seed.master_down_s(98) + 2)
        lab.wait_holder(VIP2, ["r2"], timeout=2)

        d1 = ka.start(lab, "r1", impl1, "dual-master-node1")
        lab.wait_holder(VIP1, ["r1"], timeout=seed.master_down_s(100) + 1.5)
        d1.wait_log("backup", "VI_2", timeout=2)
        d2.wait_log("backup", "VI_1", timeout=2)
        assert lab.who_has(VIP2) == ["r2"]
        assert d1.count("master", "VI_2") == 0, d1.log()
        assert d2.last_state("VI_22") == "master", d2.log()
        m = d2.grep("higher_prio", "VI_1")
        assert m and (m[-1].group(1), m[-1].group(2)) == ("100", "98"), d2.log()

        wait_quiet_s(0.3)   # the last advert of node2's VI_1 as master is past
        t_obs = time.time()
        wait_quiet_s(1.1)
        t_stop = time.time()
        assert d2.stop() == 0, d2.log()
        lab.wait_holder(VIP2, ["r1"], timeout=skew + MARGIN_S + 0.5)
        wait_quiet_s(0.2)
    pkts = cap.packets()

    steady = [p for p in labmod.adverts(pkts) if t_obs <= p["t"] <= t_stop]
    assert {(p["src"], p["vrid"], p["prio"]) for p in steady} == {(R1, 11, 100), (R2, 21, 100)}, \
        steady
    _seed_adverts_ok(pkts, R1, 11, 100, "11112222", VIP1)
    _seed_adverts_ok(pkts, R2, 21, 100, "22221111", VIP2)
    _seed_adverts_ok(pkts, R1, 21, 98, "22221111", VIP2)
    _seed_adverts_ok(pkts, R2, 11, 98, "11112222", VIP1)

    p0, first, delay = _takeover(pkts, R2, R1, 21, t_stop - 0.05)
    assert_seed_advert(p0, R2, vrid=21, prio=0, password="22221111", addrs=(VIP2,))
    timing("%s/%s VI_2 prio0 -> takeover" % (impl1, impl2), delay * 1000)
    assert skew - MARGIN_S <= delay <= skew + MARGIN_S, delay
    assert len(_garp_burst(lab, pkts, VIP2, "r1", first)) == GARP_REPEAT
    # node2 was backup for VI_1: it must not have sent a priority 0 for it.
    assert not labmod.adverts(pkts, src=R2, vrid=11, prio=0)
    assert lab.who_has(VIP1) == ["r1"]
    assert d1.last_state("VI_1") == "master" and d1.last_state("VI_2") == "master"


@pytest.mark.parametrize("roles", ROLES[:2], ids=ROLE_IDS[:2])
def test_single_master_v3_fractional_interval(lab, roles, timing):
    """The seed turned VRRPv3 with advert_int 0.5 (the same edited file on
    both routers): 50 cs on the wire from both implementations, the backup
    stays quiet, and the skew takeover scales with the interval."""
    impl1, impl2 = roles
    skew = seed.skew_s(98, 50)
    with lab.capture() as cap:
        d2 = ka.start(lab, "r2", impl2, "single-master-node2", edit=ka.as_v3_half_second)
        lab.wait_holder(VIP1, ["r2"], timeout=seed.master_down_s(98, 50) + 2)
        d1 = ka.start(lab, "r1", impl1, "single-master-node1", edit=ka.as_v3_half_second)
        lab.wait_holder(VIP1, ["r1"], timeout=seed.master_down_s(100, 50) + 1.5)
        d2.wait_log("backup", timeout=2)
        wait_quiet_s(0.3)
        t_obs = time.time()
        wait_quiet_s(1.1)
        t_stop = time.time()
        assert d1.stop() == 0, d1.log()
        lab.wait_holder(VIP1, ["r2"], timeout=skew + 1)
        wait_quiet_s(0.2)
    pkts = cap.packets()
    ads = labmod.adverts(pkts)
    assert {(p["version"], p["intvl_cs"], p["cksum_ok"]) for p in ads} == {(3, 50, True)}, ads
    steady = [p for p in ads if t_obs <= p["t"] <= t_stop]
    assert {p["src"] for p in steady} == {R1} and 2 <= len(steady) <= 3, steady
    gaps = [b["t"] - a["t"] for a, b in zip(steady, steady[1:])]
    assert all(0.45 <= g <= 0.55 for g in gaps), gaps
    p0, first, delay = _takeover(pkts, R1, R2, 11, t_stop - 0.05)
    timing("v3 0.5s %s->%s prio0 -> takeover (skew %.1f)" % (impl1, impl2, skew * 1000),
           delay * 1000)
    assert skew - MARGIN_S <= delay <= skew + MARGIN_S, delay
    assert len(_garp_burst(lab, pkts, VIP1, "r2", first)) == GARP_REPEAT


def _expected(name, ifname=None):
    with open(os.path.join(ka.KA_DIR, name + ".expected.json")) as f:
        text = f.read()
    return text if ifname is None else text.replace('"ens33"', '"%s"' % ifname)


# The contract's defaults (BRIEF data model), for comparing a running-config.
GLOBAL_DEFAULTS = {"multicast-group-v4": "224.0.0.18", "multicast-group-v6": "ff02::12",
                   "garp-master-delay": 5, "garp-master-repeat": 5, "garp-master-refresh": 0,
                   "check-advert-addresses": True, "enable-script-security": True,
                   "notify-timeout": 30}
INSTANCE_DEFAULTS = {"version": 2, "address-family": "ipv4", "priority": 100, "preempt": True,
                     "preempt-delay": 0, "accept-mode": False, "advertisement-interval": 100,
                     "initial-state": "backup"}


def _contains(got, want):
    """Every member of want is in got with the same value (recursively;
    list entries matched in order); got may have more."""
    if isinstance(want, dict):
        return isinstance(got, dict) and all(k in got and _contains(got[k], v)
                                             for k, v in want.items())
    if isinstance(want, list):
        return isinstance(got, list) and len(got) == len(want) and \
            all(_contains(g, w) for g, w in zip(got, want))
    return got == want


def _with_defaults(cfg):
    root = cfg["vrrpd:vrrpd"]
    root["global"] = dict(GLOBAL_DEFAULTS, **root.get("global", {}))
    root["instance"] = [dict(INSTANCE_DEFAULTS, **i) for i in root.get("instance", [])]
    return cfg


def test_control_socket_sees_ordinary_instances(lab, tmp_path, timing):
    """Instances loaded with --keepalived-conf show over the socket like any
    other, take a priority change (node2 at 120 preempts node1), and save as
    JSON that --config accepts."""
    d1 = ka.start(lab, "r1", "vrrpd", "single-master-node1")
    d2 = ka.start(lab, "r2", "vrrpd", "single-master-node2")
    lab.wait_holder(VIP1, ["r1"], timeout=seed.master_down_s(100) + 1.5)
    d2.wait_log("backup", timeout=seed.master_down_s(98))
    ka.wait_socket(d1)
    ka.wait_socket(d2)

    lst = d1.ctl("show", "instances")
    assert [(i["name"], i["vrid"], i["priority"], i["state"]) for i in lst] == \
        [("VI_1", 11, 100, "master")], lst
    assert lst[0]["virtual-address"] == [VIP1 + "/16"], lst
    lst = d2.ctl("show", "instances")
    assert [(i["name"], i["priority"], i["state"]) for i in lst] == [("VI_1", 98, "backup")], lst

    # The running configuration is the conversion of the file it runs (it
    # leaves out values equal to the model's defaults; convert spells them out).
    for d, name in ((d1, "single-master-node1"), (d2, "single-master-node2")):
        running = _with_defaults(d.ctl("show", "running-config"))
        assert running == json.loads(_expected(name, "eth0")), (name, running)
        one = d.ctl("show", "instance", "VI_1")
        want = json.loads(_expected(name, "eth0"))["vrrpd:vrrpd"]["instance"][0]
        # instance.get spells out every default of the model, so the
        # conversion must be contained in it, default-valued leaves aside
        assert _contains(one["config"], want), (one["config"], want)

    t0 = time.time()
    r = ka.vrrpctl("set", "instance", "VI_1", "priority", "120", socket=d2.socket)
    assert r.returncode == 0, r.stderr
    lab.wait_holder(VIP1, ["r2"], timeout=seed.master_down_s(120) + 1.5)
    timing("set priority 98->120 on node2: VIP on node2", (time.time() - t0) * 1000)
    d1.wait_log("backup", timeout=3)
    m = d1.grep("higher_prio")
    assert m and (m[-1].group(1), m[-1].group(2)) == ("120", "100"), d1.log()
    lst = d2.ctl("show", "instances")
    assert (lst[0]["priority"], lst[0]["state"]) == (120, "master"), lst

    # Savable as JSON: vrrpd --config accepts what was saved.
    saved = os.path.join(lab.dir, "saved.json")
    r = ka.vrrpctl("save", saved, socket=d2.socket)
    assert r.returncode == 0, r.stderr
    with open(saved) as f:
        doc = json.load(f)
    assert doc["vrrpd:vrrpd"]["instance"][0]["priority"] == 120
    r, _ = ka.vrrpd_run(["--config", saved, "--check"])
    assert r.returncode == 0, r.stderr
    # There is no JSON startup file: a bare save must not write JSON over the
    # keepalived.conf the daemon was started with.
    before = open(d2.conf_path).read()
    r = ka.vrrpctl("save", socket=d2.socket)
    assert r.returncode != 0, r.stdout
    assert open(d2.conf_path).read() == before


@pytest.mark.parametrize("name", ka.SEEDS)
def test_convert_matches_expected(name):
    """vrrpctl convert (no daemon) prints the checked-in JSON byte for byte."""
    r = ka.vrrpctl("--socket", "/nonexistent/vrrpd.sock", "convert", ka.seed_path(name))
    assert r.returncode == 0, r.stderr
    want = _expected(name)
    assert json.loads(r.stdout) == json.loads(want)
    assert r.stdout == want


# ---------------------------------------------------------------- scenario 4

@pytest.mark.parametrize("case", ka.malformed(), ids=[c[0] for c in ka.malformed()])
def test_malformed_check(tmp_path, case):
    """--check refuses a malformed file naming file:line and what was expected."""
    cid, text, line, reason = case
    path = str(tmp_path / ("bad-%s.conf" % cid))
    with open(path, "w") as f:
        f.write(text)
    r, _ = ka.vrrpd_run(["--keepalived-conf", path, "--check"])
    assert r.returncode != 0, r.stdout + r.stderr
    errs = [l for l in r.stderr.splitlines() if not l.startswith("warning:")]
    hit = [l for l in errs if "%s:%d:" % (path, line) in l]
    assert hit, "no error naming %s:%d in:\n%s" % (path, line, r.stderr)
    assert re.search(reason, hit[0]), hit[0]


@pytest.mark.parametrize("case", ka.corrected(), ids=[c[0] for c in ka.corrected()])
def test_corrected_check(tmp_path, case):
    """--check accepts what keepalived corrects, with a warning naming
    file:line; --strict refuses it."""
    cid, text, line, reason = case
    path = str(tmp_path / ("fix-%s.conf" % cid))
    with open(path, "w") as f:
        f.write(text)
    r, _ = ka.vrrpd_run(["--keepalived-conf", path, "--check"])
    assert r.returncode == 0, r.stdout + r.stderr
    hit = [l for l in r.stderr.splitlines() if l.startswith("warning: %s:%d:" % (path, line))]
    assert hit and re.search(reason, hit[0]), r.stderr
    r, _ = ka.vrrpd_run(["--keepalived-conf", path, "--strict", "--check"])
    assert r.returncode != 0, r.stdout + r.stderr


def test_malformed_nothing_runs(lab, tmp_path, timing):
    """A malformed file given to a daemon in the foreground: it exits non-zero
    at once, no advert reaches the wire, no VIP, no socket, no pid file.  The
    good seed afterwards advertises at once (the capture would have seen it)."""
    ns = lab.ns("r1")
    slowest = 0.0
    with lab.capture() as cap:
        for cid, text, line, _ in ka.malformed():
            path = str(tmp_path / ("bad-%s.conf" % cid))
            with open(path, "w") as f:
                f.write(text)
            sock, pid = str(tmp_path / "s.sock"), str(tmp_path / "p.pid")
            r, took = ka.vrrpd_run(["--keepalived-conf", path, "--foreground",
                                    "--socket", sock, "--pidfile", pid], ns=ns, timeout=10)
            slowest = max(slowest, took)
            assert r.returncode != 0, (cid, r.stderr)
            assert "%s:%d:" % (path, line) in r.stderr, (cid, r.stderr)
            assert took < 1.0, (cid, took)
            assert not os.path.exists(sock) and not os.path.exists(pid), cid
        wait_quiet_s(1.2)
        assert lab.who_has(VIP1) == []
        t_good = time.time()
        good = ka.start(lab, "r1", "vrrpd", "single-master-node1")
        labmod.wait_for(lambda: good.count("master"), 3 * 1.0 + 2, what="good seed master")
        wait_quiet_s(0.2)
    timing("slowest refusal of a malformed file", slowest * 1000)
    ads = labmod.adverts(cap.packets())
    assert ads and all(p["t"] >= t_good for p in ads), \
        "adverts before the good config ran: %s" % [p for p in ads if p["t"] < t_good]


def test_strict_rejects_non_vrrp_keywords(tmp_path):
    """Without --strict the seed's mail settings are warnings naming file:line;
    with --strict they are errors and the file is not loaded."""
    path = str(tmp_path / "single-master-node1.conf")
    with open(path, "w") as f:
        f.write(ka.seed_text("single-master-node1"))
    lines = open(path).read().split("\n")
    email = 1 + next(i for i, l in enumerate(lines) if l.strip().startswith("notification_email {"))
    smtp = 1 + next(i for i, l in enumerate(lines) if l.strip().startswith("smtp_server"))

    r, _ = ka.vrrpd_run(["--keepalived-conf", path, "--check"])
    assert r.returncode == 0, r.stderr
    for n, kw in ((email, "notification_email"), (smtp, "smtp_server")):
        assert re.search(r"warning: %s:%d: .*%s" % (re.escape(path), n, kw), r.stderr), r.stderr

    r, _ = ka.vrrpd_run(["--keepalived-conf", path, "--strict", "--check"])
    assert r.returncode != 0, r.stderr
    errs = [l for l in r.stderr.splitlines() if not l.startswith("warning:")]
    for n, kw in ((email, "notification_email"), (smtp, "smtp_server")):
        assert any(re.search(r"%s:%d: .*%s" % (re.escape(path), n, kw), l) for l in errs), \
            r.stderr


def test_sighup_reloads_the_keepalived_conf(lab, timing):
    """SIGHUP re-reads the keepalived.conf the daemon was started with: a
    malformed edit is refused (file:line logged, nothing changes, no flap);
    node2's priority raised to 120 in its file makes it preempt node1."""
    d1 = ka.start(lab, "r1", "vrrpd", "single-master-node1")
    d2 = ka.start(lab, "r2", "vrrpd", "single-master-node2")
    lab.wait_holder(VIP1, ["r1"], timeout=seed.master_down_s(100) + 1.5)
    d2.wait_log("backup", timeout=seed.master_down_s(98))
    ka.wait_socket(d2)
    pid2 = labmod.read_pid(d2.pidfile)
    assert pid2, "no pid file from node2"
    good = open(d2.conf_path).read()

    bad_line = 1 + good.split("\n").index("        priority 98")
    with open(d2.conf_path, "w") as f:
        f.write(good.replace("        priority 98", "        priority high"))
    os.kill(pid2, signal.SIGHUP)
    labmod.wait_for(lambda: "%s:%d:" % (d2.conf_path, bad_line) in d2.log(), 2,
                    what="reload error naming the file and line")
    wait_quiet_s(0.3)
    assert d2.running(), d2.log()
    assert d2.last_state() == "backup" and d2.count("master") == 0, d2.log()
    assert d2.ctl("show", "instances")[0]["priority"] == 98

    with open(d2.conf_path, "w") as f:
        f.write(good.replace("        priority 98", "        priority 120"))
    t0 = time.time()
    os.kill(pid2, signal.SIGHUP)
    lab.wait_holder(VIP1, ["r2"], timeout=seed.master_down_s(120) + 1.5)
    timing("SIGHUP priority 98->120 on node2: VIP on node2", (time.time() - t0) * 1000)
    d1.wait_log("backup", timeout=3)
    assert d2.ctl("show", "instances")[0]["priority"] == 120


def test_sighup_relative_path_daemonized(lab, tmp_path):
    """vrrpd started in the background from the config's directory with
    relative --keepalived-conf, --pidfile and --socket: they stay in that
    directory after daemonizing (chdir /), and SIGHUP re-reads that same file
    (regression: fc98510)."""
    ns = lab.ns("r1")
    conf = tmp_path / "single-master-node1.conf"
    conf.write_text(ka.seed_text("single-master-node1"))
    pidfile, sock = str(tmp_path / "vrrpd.pid"), str(tmp_path / "vrrpd.sock")
    r = subprocess.run(["ip", "netns", "exec", ns, labmod.VRRPD_BIN, "--keepalived-conf",
                        conf.name, "--pidfile", "vrrpd.pid", "--socket", "vrrpd.sock"],
                       cwd=str(tmp_path), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=10)
    assert r.returncode == 0, r.stderr
    pid = labmod.wait_for(lambda: labmod.read_pid(pidfile), 3, what="pid file")
    try:
        labmod.wait_for(lambda: os.path.exists(sock), 3, what="control socket")
        conf.write_text(conf.read_text().replace("        priority 100", "        priority 77"))
        os.kill(pid, signal.SIGHUP)

        def prio():
            out = ka.vrrpctl("--json", "show", "instances", socket=sock)
            return out.returncode == 0 and json.loads(out.stdout)[0]["priority"] == 77
        labmod.wait_for(prio, 2, interval=0.1, what="priority 77 after SIGHUP")
    finally:
        os.kill(pid, signal.SIGTERM)
        labmod.wait_for(lambda: not labmod.pid_alive(pid), 5, what="vrrpd exit")


def test_daemonized_startup_failure_is_reported(lab, tmp_path):
    """Without --foreground the invoker must still learn that nothing runs:
    a control socket that cannot be created gives a non-zero exit status."""
    conf = tmp_path / "single-master-node1.conf"
    conf.write_text(ka.seed_text("single-master-node1"))
    pidfile = str(tmp_path / "vrrpd.pid")
    r, _ = ka.vrrpd_run(["--keepalived-conf", str(conf), "--pidfile", pidfile,
                         "--socket", str(tmp_path / "no" / "such" / "dir" / "s.sock")],
                        ns=lab.ns("r1"))
    time.sleep(0.3)
    running = labmod.read_pid(pidfile)
    assert not (running and labmod.pid_alive(running)), "vrrpd runs without its socket"
    assert r.returncode != 0, "exit 0 although vrrpd is not running; stderr: %r" % r.stderr


# ------------------------------------------------- config language, samples

def test_config_id_selects_lines(tmp_path):
    """`@ID` lines follow --config-id, on both programs; without the option
    the host name up to its first dot decides, as in keepalived."""
    conf = tmp_path / "cond.conf"
    conf.write_text(ka.seed_text("single-master-node1").replace(
        "        priority 100", "@lb1     priority 200\n@^lb1    priority 50"))
    for cid, prio in (("lb1", 200), ("lb2", 50)):
        r = ka.vrrpctl("--socket", "/nonexistent/vrrpd.sock", "convert",
                       "--config-id", cid, str(conf))
        assert r.returncode == 0, r.stderr
        assert json.loads(r.stdout)["vrrpd:vrrpd"]["instance"][0]["priority"] == prio
        r, _ = ka.vrrpd_run(["--keepalived-conf", str(conf), "--config-id", cid, "--check"])
        assert r.returncode == 0, r.stderr
    host = os.uname().nodename.split(".")[0]
    conf.write_text(ka.seed_text("single-master-node1").replace(
        "        priority 100", "@%s priority 201" % host))
    r = ka.vrrpctl("--socket", "/nonexistent/vrrpd.sock", "convert", str(conf))
    assert json.loads(r.stdout)["vrrpd:vrrpd"]["instance"][0]["priority"] == 201
    r, _ = ka.vrrpd_run(["--config-id", "lb1", "--check"])
    assert r.returncode == 2 and "--config-id" in r.stderr


SAMPLES = sorted(glob.glob("/usr/share/doc/keepalived/samples/keepalived.conf.*")
                 + glob.glob("/etc/keepalived/keepalived.conf.sample"))


@pytest.mark.parametrize("path", [p for p in SAMPLES if "vrrp_instance" in open(p).read()],
                         ids=os.path.basename)
def test_keepalived_samples_import(path):
    """Every stock keepalived sample with VRRP content imports (what is not
    supported yet is a warning naming the line), except the one that uses
    IPsec AH, which is refused with its reason."""
    r, _ = ka.vrrpd_run(["--keepalived-conf", path, "--config-id", "main", "--check"])
    if "auth_type AH" in open(path).read():
        assert r.returncode != 0 and "AH (IPsec authentication header) is not supported" in r.stderr
        return
    assert r.returncode == 0, r.stderr
    assert "configuration OK" in r.stdout + r.stderr


def test_sighup_hostile_file_keeps_master(lab, timing):
    """Issue 10: 50,000 nested braces written over the file of a running
    master crashed the parser on SIGHUP, so the master died without its
    priority-0 advert. Now the reload is refused with file:line and the
    master keeps its VIP and keeps running."""
    d1 = ka.start(lab, "r1", "vrrpd", "single-master-node1")
    lab.wait_holder(VIP1, ["r1"], timeout=seed.master_down_s(100) + 1.5)
    ka.wait_socket(d1)
    pid1 = labmod.read_pid(d1.pidfile)
    assert pid1, "no pid file from node1"
    good = open(d1.conf_path).read()
    with open(d1.conf_path, "w") as f:
        f.write(good + "a {\n" * 50000 + "}\n" * 50000)
    t0 = time.time()
    os.kill(pid1, signal.SIGHUP)
    labmod.wait_for(lambda: "%s:%d:" % (d1.conf_path, good.count("\n") + 65) in d1.log(), 5,
                    what="reload error naming the 65th nested block")
    timing("SIGHUP with 50,000 nested braces refused", (time.time() - t0) * 1000)
    wait_quiet_s(0.5)
    assert d1.running(), d1.log()
    assert d1.last_state() == "master", d1.log()
    assert lab.who_has(VIP1) == ["r1"]
