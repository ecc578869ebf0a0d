"""Control socket and vrrpctl against real daemons in the namespace lab
(issue 3): failover timing and hold, priority change causing preemption,
create/delete beside an undisturbed instance, one-shot and --json output,
exit codes, permissions, and socket abuse while adverts stay on time.

vrrpctl runs in the host namespace: the control socket is a file, so it
reaches a daemon in any network namespace."""

import json
import os
import socket
import subprocess
import time

import pytest

import lab as labmod
import seed
from steps import R1, R2, MARGIN_S, start_pair, takeover_after_prio0, wait_quiet_s

VRRPCTL_BIN = os.environ.get("VRRPCTL_BIN", os.path.join(labmod.ROOT, "vrrpctl", "vrrpctl"))
VIP = seed.VIP1
VIP9 = "10.10.9.9"


@pytest.fixture(autouse=True)
def _vrrpd_only(impl):
    if impl != "vrrpd":
        pytest.skip("the control socket is vrrpd's")
    if not os.access(VRRPCTL_BIN, os.X_OK):
        pytest.fail("vrrpctl not built (%s); run make" % VRRPCTL_BIN)


def ctl(d, *args, check=None, user=None, timeout=15):
    """Run vrrpctl against daemon d; returns CompletedProcess."""
    cmd = [VRRPCTL_BIN, "--socket", d.socket] + list(args)
    if user:
        cmd = ["setpriv", "--reuid=%d" % user[0], "--regid=%d" % user[1],
               "--clear-groups"] + cmd
    r = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=timeout)
    if check is not None:
        assert r.returncode == check, "%s -> %d\nstdout:%s\nstderr:%s\n%s" % (
            args, r.returncode, r.stdout, r.stderr, d.log()[-3000:])
    return r


def ctl_json(d, *args):
    r = ctl(d, *(list(args) + ["--json"]), check=0)
    return json.loads(r.stdout)


def wait_socket(d, timeout=5):
    labmod.wait_for(lambda: os.path.exists(d.socket), timeout,
                    what="control socket %s" % d.socket)


def advert_gaps(pkts, src, vrid):
    ads = [p for p in labmod.adverts(pkts, src=src, vrid=vrid) if p["prio"] > 0]
    return [b["t"] - a["t"] for a, b in zip(ads, ads[1:])]


def test_failover_moves_vip_and_holds(lab, impl, timing):
    """failover on the master: priority-0 advert, backup takes over within its
    skew time + 100 ms, and the old master does not preempt back during the
    hold even though preempt is on; afterwards it does."""
    d1, d2 = start_pair(lab, impl, seed.load("single-master-node1"),
                        impl, seed.load("single-master-node2"))
    wait_socket(d1)
    hold_s = 4
    with lab.capture() as cap:
        t0 = time.time()
        r = ctl(d1, "failover", "VI_1", "hold", str(hold_s), check=0)
        assert "backup" in r.stdout
        lab.wait_holder(VIP, ["r2"], timeout=2)
        # The VIP must stay on r2 for the hold time.
        while time.time() < t0 + hold_s - 0.3:
            assert lab.who_has(VIP) == ["r2"], "VIP left r2 during the hold"
            time.sleep(0.05)
    pkts = cap.packets()
    _, _, delay = takeover_after_prio0(pkts, R1, R2, 11)
    timing("failover: prio-0 -> r2 advert", delay * 1000)
    assert delay <= seed.skew_s(98) + MARGIN_S, delay
    st = ctl_json(d1, "show", "instance", "VI_1")
    assert st["state"]["state"] == "backup"
    # After the hold, preempt brings r1 back (master-down interval later).
    lab.wait_holder(VIP, ["r1"], timeout=hold_s + seed.master_down_s(100) + 2)


def test_failover_alone_comes_back(make_lab, impl, timing):
    """With no other router, a failed-over master is master again after the
    master-down interval despite the hold: the VIP is never unowned long."""
    lab = make_lab(1)
    d1 = lab.start("r1", impl, seed.load("single-master-node1"))
    wait_socket(d1)
    lab.wait_holder(VIP, ["r1"], timeout=seed.master_down_s(100) + 2)
    t0 = time.time()
    ctl(d1, "failover", "VI_1", "hold", "60", check=0)
    lab.wait_holder(VIP, [], timeout=1)
    lab.wait_holder(VIP, ["r1"], timeout=seed.master_down_s(100) + 1)
    timing("failover alone: VIP back", (time.time() - t0) * 1000)
    assert time.time() - t0 <= seed.master_down_s(100) + MARGIN_S + 0.2


def test_failover_on_backup_names_master(lab, impl):
    d1, d2 = start_pair(lab, impl, seed.load("single-master-node1"),
                        impl, seed.load("single-master-node2"))
    wait_socket(d2)
    r = ctl(d2, "failover", "VI_1", check=1)
    assert R1 in r.stderr and "not master" in r.stderr, r.stderr
    assert r.stdout == ""
    r = ctl(d2, "failover", "VI_1", "--json", check=1)
    assert r.stdout == ""
    assert lab.who_has(VIP) == ["r1"]


def test_priority_change_preempts(lab, impl, timing):
    """A backup raised above the master's priority preempts (RFC 5798 6.4.2):
    on the master's next advert it stops resetting its timer and takes over
    when its master-down timer expires."""
    d1, d2 = start_pair(lab, impl, seed.load("single-master-node1"),
                        impl, seed.load("single-master-node2"))
    wait_socket(d2)
    t0 = time.time()
    r = ctl(d2, "set", "instance", "VI_1", "priority", "110", check=0)
    assert "priority" in r.stdout
    lab.wait_holder(VIP, ["r2"], timeout=seed.master_down_s(110) + 1.5)
    timing("priority 98->110: VIP on r2", (time.time() - t0) * 1000)
    d1.wait_log("backup", timeout=3)
    st = ctl_json(d2, "show", "instances")
    assert st[0]["priority"] == 110 and st[0]["state"] == "master", st
    # A rejected change names the YANG path and changes nothing.
    r = ctl(d2, "set", "instance", "VI_1", "advertisement-interval", "150", check=1)
    assert "advertisement-interval" in r.stderr, r.stderr
    assert ctl_json(d2, "show", "instance", "VI_1")["config"]["advertisement-interval"] == 100


def test_create_delete_leaves_other_instance_alone(lab, impl):
    """create and delete a working instance on r1 while a client pings VI_1's
    VIP: the new VIP appears and answers, then goes; VI_1 never flaps and its
    adverts stay once a second."""
    d1, d2 = start_pair(lab, impl, seed.load("single-master-node1"),
                        impl, seed.load("single-master-node2"))
    wait_socket(d1)
    probe = lab.prober(VIP).start()
    with lab.capture() as cap:
        t0 = time.time()
        # accept-mode: the client pings VIP9 (a non-owner master drops
        # them otherwise, RFC 5798 6.4.3)
        ctl(d1, "create", "instance", "VI_9", "interface", "eth0", "vrid", "99",
            "priority", "200", "address", VIP9 + "/16", "accept-mode", "true", check=0)
        lab.wait_holder(VIP9, ["r1"], timeout=seed.master_down_s(200) + 1.5)
        p9 = lab.prober(VIP9).start(timeout=3)
        p9.stop()
        names = [i["name"] for i in ctl_json(d1, "show", "instances")]
        assert names == ["VI_1", "VI_9"], names
        ctl(d1, "delete", "instance", "VI_9", check=0)
        lab.wait_holder(VIP9, [], timeout=2)
        wait_quiet_s(1.2)
    probe.stop()
    out = probe.outage_ms(since=t0)
    assert out is not None and out < 100, "VI_1 VIP flapped: %s ms outage" % out
    gaps = advert_gaps(cap.packets(), R1, 11)
    assert gaps and all(0.9 <= g <= 1.1 for g in gaps), gaps
    assert d2.count("master") == 0, d2.log()
    assert [i["name"] for i in ctl_json(d1, "show", "instances")] == ["VI_1"]
    ctl(d1, "delete", "instance", "VI_9", check=1)


def test_oneshot_json_and_exit_codes(lab, impl, tmp_path):
    d1 = lab.daemon("r1", impl, seed.load("single-master-node1"))
    base_cmd = d1.command
    d1.command = lambda conf: base_cmd(conf) + ["--save-dir", str(tmp_path)]
    d1.start()
    wait_socket(d1)
    lab.wait_holder(VIP, ["r1"], timeout=seed.master_down_s(100) + 2)
    lst = ctl_json(d1, "show", "instances")
    assert lst[0]["name"] == "VI_1" and lst[0]["vrid"] == 11 and lst[0]["state"] == "master"
    assert lst[0]["virtual-address"] == [VIP + "/16"]
    one = ctl_json(d1, "sh", "inst", "VI_1")
    assert one["config"]["authentication"]["type"] == "simple-password"
    assert one["state"]["statistics"]["advertisement-sent"] >= 1
    info = ctl_json(d1, "show", "daemon")
    assert info["instances"] == 1 and info["pid"] > 0
    cfg = ctl_json(d1, "show", "running-config")
    assert cfg["vrrpd:vrrpd"]["instance"][0]["vrid"] == 11
    # Human table.
    r = ctl(d1, "show", "instances", check=0)
    assert "VI_1" in r.stdout and "master" in r.stdout and "100/100" in r.stdout
    # Exit codes: 1 refused, 2 bad command line, 3 daemon not reachable.
    r = ctl(d1, "show", "instance", "nope", check=1)
    assert "nope" in r.stderr and r.stdout == ""
    r = ctl(d1, "show", "bogus", check=2)
    r = ctl(d1, "s", "instances", check=2)
    assert "ambiguous" in r.stderr
    missing = str(tmp_path / "none.sock")
    r = subprocess.run([VRRPCTL_BIN, "--socket", missing, "show", "instances"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=10)
    assert r.returncode == 3 and "not running" in r.stderr and missing in r.stderr
    # save: atomic write to a file of --save-dir, mode 0600; anywhere else
    # (a subdirectory, outside, relative) is refused and writes nothing.
    path = str(tmp_path / "saved.json")
    ctl(d1, "save", path, check=0)
    saved = json.load(open(path))
    assert saved["vrrpd:vrrpd"]["instance"][0]["name"] == "VI_1"
    assert os.stat(path).st_mode & 0o777 == 0o600
    ctl(d1, "save", str(tmp_path / "no" / "dir.json"), check=1)
    outside = str(tmp_path.parent / ("vrrpd-save-%d.json" % os.getpid()))
    r = ctl(d1, "save", outside, check=1)
    assert "save-dir" in r.stderr or "startup file" in r.stderr, r.stderr
    assert not os.path.exists(outside)
    # The startup file itself is always allowed.
    ctl(d1, "save", check=0)
    # Script mode: one command per line, stops at the first failure.
    script = "show daemon\n# comment\nset instance VI_1 priority 120\nbogus\nshow instances\n"
    r = subprocess.run([VRRPCTL_BIN, "--socket", d1.socket], input=script,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=10)
    assert r.returncode == 2 and "line 4" in r.stderr, r.stderr
    assert ctl_json(d1, "show", "instances")[0]["priority"] == 120


def test_monitor_streams_state_changes(lab, impl):
    d1, d2 = start_pair(lab, impl, seed.load("single-master-node1"),
                        impl, seed.load("single-master-node2"))
    wait_socket(d2)
    mon = subprocess.Popen([VRRPCTL_BIN, "--socket", d2.socket, "monitor", "--json"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(0.3)
        ctl(d1, "failover", "VI_1", "hold", "2", check=0)
        lab.wait_holder(VIP, ["r2"], timeout=2)
        time.sleep(0.2)
    finally:
        mon.send_signal(2)
        out, err = mon.communicate(timeout=5)
    assert mon.returncode == 0, err
    events = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert any(e["name"] == "VI_1" and e["old-state"] == "backup" and
               e["new-state"] == "master" for e in events), out


def test_read_only_user_and_socket_mode(lab, impl):
    d1 = lab.start("r1", impl, seed.load("single-master-node1"))
    wait_socket(d1)
    st = os.stat(d1.socket)
    assert st.st_mode & 0o777 == 0o660
    os.chmod(lab.dir, 0o755)  # let other users reach the socket file
    # Group of the socket (root's group here): may read, may not change.
    r = ctl(d1, "show", "instances", user=(65534, st.st_gid), check=0)
    assert "VI_1" in r.stdout
    r = ctl(d1, "set", "instance", "VI_1", "priority", "50", user=(65534, st.st_gid), check=1)
    assert "may not" in r.stderr, r.stderr
    r = ctl(d1, "failover", "VI_1", user=(65534, st.st_gid), check=1)
    # Anyone else cannot even connect (mode 0660).
    r = ctl(d1, "show", "instances", user=(65534, 65534), check=3)
    assert "Permission denied" in r.stderr
    assert ctl_json(d1, "show", "instances")[0]["priority"] == 100


# ------------------------------------------------------------ socket abuse

def rpc_lines(sock, data, n_replies=1, timeout=5.0):
    """Send raw bytes, read n_replies JSON lines."""
    sock.settimeout(timeout)
    if data:
        sock.sendall(data)
    buf = b""
    out = []
    while len(out) < n_replies:
        chunk = sock.recv(65536)
        if not chunk:
            break
        buf += chunk
        while b"\n" in buf and len(out) < n_replies:
            line, buf = buf.split(b"\n", 1)
            out.append(json.loads(line))
    return out


def connect(d):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(d.socket)
    return s


def err_code(msg):
    return msg.get("error", {}).get("code")


KEEPALIVED_CONF = """vrrp_instance VI_5 {
    state BACKUP
    interface eth0
    virtual_router_id 55
    priority 120
    advert_int 1
    virtual_ipaddress {
        10.10.5.5/16
    }
}
"""


def test_convert_keepalived(tmp_path, impl):
    """vrrpctl convert runs locally (no daemon) and prints vrrpd JSON."""
    conf = tmp_path / "keepalived.conf"
    conf.write_text(KEEPALIVED_CONF)
    r = subprocess.run([VRRPCTL_BIN, "--socket", str(tmp_path / "none.sock"), "convert",
                        str(conf)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=10)
    assert r.returncode == 0, r.stderr
    inst = json.loads(r.stdout)["vrrpd:vrrpd"]["instance"][0]
    assert (inst["name"], inst["vrid"], inst["priority"]) == ("VI_5", 55, 120)
    conf.write_text("vrrp_instance X {\n  virtual_router_id 999\n}\n")
    r = subprocess.run([VRRPCTL_BIN, "convert", str(conf)], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=10)
    assert r.returncode == 1 and r.stdout == "" and "keepalived.conf" in r.stderr


def test_socket_abuse_keeps_daemon_and_adverts(lab, impl, timing):
    d1 = lab.start("r1", impl, seed.load("single-master-node1"))
    wait_socket(d1)
    lab.wait_holder(VIP, ["r1"], timeout=seed.master_down_s(100) + 2)
    with lab.capture() as cap:
        s = connect(d1)
        cases = [
            (b"{nope\n", -32700),
            (b"[]\n", -32600),
            (b'{"jsonrpc":"2.0","method":"instance.get","params":{"name":7},"id":1}\n', -32602),
            (b'{"jsonrpc":"2.0","method":"instance.get","params":["VI_1"],"id":2}\n', -32602),
            (b'{"jsonrpc":"2.0","method":"no.such","id":3}\n', -32601),
            (b'{"jsonrpc":"2.0","method":"instance.set","params":{"name":"VI_1","vrid":0},"id":4}\n',
             -32000),
            (b'{"jsonrpc":"2.0","method":"instance.get","params":{"name":"x"},"id":5}\n', -32001),
        ]
        for data, code in cases:
            (resp,) = rpc_lines(s, data)
            assert err_code(resp) == code, (data, resp)
        (resp,) = rpc_lines(s, b'{"jsonrpc":"2.0","method":"instance.set","params":'
                               b'{"name":"VI_1","vrid":0},"id":4}\n')
        assert "vrid" in resp["error"]["data"]["path"], resp
        # A notification gets no answer; a batch gets one array.
        s.sendall(b'{"jsonrpc":"2.0","method":"daemon.info"}\n')
        (resp,) = rpc_lines(s, b'[{"jsonrpc":"2.0","method":"daemon.info","id":"a"},'
                               b'{"jsonrpc":"2.0","method":"daemon.info"},5]\n')
        assert isinstance(resp, list) and len(resp) == 2, resp
        # Oversize (2 MiB, no newline yet), then the connection still works.
        s.sendall(b"x" * (2 << 20))
        over, resp = rpc_lines(s, b'\n{"jsonrpc":"2.0","method":"daemon.info","id":9}\n', 2)
        assert err_code(over) == -32600, over
        assert resp["id"] == 9 and resp["result"]["instances"] == 1
        s.close()
        # Half a message, then EOF: answered (parse error), no hang.
        h = connect(d1)
        h.sendall(b'{"jsonrpc":"2.0","meth')
        h.shutdown(socket.SHUT_WR)
        (resp,) = rpc_lines(h, b"")
        assert err_code(resp) == -32700
        h.close()
        # Too many clients: the extra ones are refused, not queued forever.
        many = [connect(d1) for _ in range(40)]
        refused = 0
        for m in many:
            m.settimeout(0.3)
            try:
                data = m.recv(4096)
                if b"-32006" in data:
                    refused += 1
            except socket.timeout:
                pass
        assert refused >= 8, refused
        for m in many:
            m.close()
        # A client that pipelines requests and never reads: it gets
        # back-pressure or is dropped; either way the daemon goes on.
        greedy = connect(d1)
        greedy.setblocking(False)
        req = b'{"jsonrpc":"2.0","method":"config.get","params":{"with-defaults":true},"id":1}\n'
        sent = 0
        t_end = time.time() + 2.0
        while time.time() < t_end:
            try:
                sent += greedy.send(req * 100)
            except BlockingIOError:
                time.sleep(0.01)
            except (BrokenPipeError, ConnectionResetError):
                break
        # Meanwhile another client is answered at once.
        t = time.time()
        ok = ctl(d1, "show", "daemon", check=0)
        assert time.time() - t < 1.0 and "vrrpd" in ok.stdout
        greedy.close()
        wait_quiet_s(1.5)
    gaps = advert_gaps(cap.packets(), R1, 11)
    assert len(gaps) >= 3 and all(0.9 <= g <= 1.1 for g in gaps), gaps
    timing("socket abuse: worst advert interval error", max(abs(g - 1.0) for g in gaps) * 1000)
    assert d1.running(), d1.log()
