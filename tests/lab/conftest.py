"""pytest fixtures for the namespace lab.

Implementation under test: vrrpd by default; VRRP_LAB_IMPL=keepalived (or
--impl keepalived) runs the very same scenarios with keepalived on every
router, which is how the harness itself is validated and how baseline
timings are taken.  Every test has a hard deadline (SIGALRM, no plugin
needed) and every lab is torn down even when the test fails; a failed test
keeps its logs and pcaps and prints where they are.
"""

import os
import shutil
import signal

import pytest

import lab as labmod

TEST_TIMEOUT_S = int(os.environ.get("VRRP_LAB_TEST_TIMEOUT", "90"))
_timings = []


def pytest_addoption(parser):
    parser.addoption("--impl", default=os.environ.get("VRRP_LAB_IMPL", "vrrpd"),
                     choices=["vrrpd", "keepalived"],
                     help="daemon run on the routers in the scenario tests")


# Slow or timing-heavy variants that `make check` leaves to `make lab-full`
# (every feature keeps at least one test in `make check`): node-id prefixes.
FULL_ONLY = (
    "test_ctl_budget.py::test_flood_keeps_adverts_on_schedule[rr]",
    "test_install.py::test_make_deb",
    "test_interop_frr.py::test_ipv6_frr_master_ours_backup",
    "test_interop_keepalived.py::test_interop_failover_both_ways[vrrpd-master-v3]",
    "test_interop_keepalived.py::test_interop_failover_both_ways[keepalived-master-v2-password]",
    "test_keepalived_import.py::test_dual_master_seed[vrrpd-both]",
    "test_keepalived_import.py::test_single_master_v3_fractional_interval[vrrpd-node2]",
    "test_unicast.py::test_unicast_one_master_and_failover[vrrpd-master-keepalived]",
    "test_vmac.py::test_client_keeps_the_virtual_mac[vrrpd-master-keepalived]",
    "test_vmac.py::test_frr_with_virtual_mac[frr-master]",
    "test_robustness.py::test_link_flap_storm",
    "test_robustness.py::test_sighup_storm_keeps_master",
    "test_keepalived_import.py::test_single_master_seed[vrrpd-both]",
    "test_keepalived_import.py::test_dual_master_seed[vrrpd-node2]",
    "test_link_fault.py::test_link_down_fault_and_back[admin]",
    "test_unicast.py::test_unicast_same_keepalived_conf[keepalived-node1]",
    # node2 imports the same seed file in make check
    "test_keepalived_import.py::test_single_master_seed[vrrpd-node1]",
    # test_robustness' restart after kill -9 checks the same removal, sampled
    "test_addresses.py::test_stale_vip_of_killed_daemon_removed_at_start",
)


def pytest_configure(config):
    config.addinivalue_line("markers", "interop: vrrpd against Debian's keepalived")
    config.addinivalue_line("markers", "full: only in make lab-full (slow variants)")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.nodeid.startswith(FULL_ONLY):
            item.add_marker(pytest.mark.full)


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)


def pytest_terminal_summary(terminalreporter):
    if not _timings:
        return
    terminalreporter.section("lab timings")
    for test, what, ms in _timings:
        terminalreporter.write_line("%-62s %-44s %8.1f ms" % (test, what, ms))


@pytest.fixture(scope="session", autouse=True)
def _require_root():
    if os.geteuid() != 0:
        pytest.skip("the namespace lab needs root")
    for tool in ("ip", "tcpdump", "ping"):
        if not shutil.which(tool):
            pytest.skip("missing tool: %s" % tool)
    swept = labmod.sweep_stale()
    if swept:
        print("\nremoved namespaces left by killed lab runs: %s" % " ".join(swept))


@pytest.fixture(autouse=True)
def _deadline(request):
    """Hard per-test deadline: a hung wait can never stall the whole suite."""
    def expired(signum, frame):
        raise labmod.LabTimeout("test exceeded %ds" % TEST_TIMEOUT_S)
    old = signal.signal(signal.SIGALRM, expired)
    signal.alarm(TEST_TIMEOUT_S)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.fixture
def impl(request):
    kind = request.config.getoption("--impl")
    if kind == "vrrpd" and not os.access(labmod.VRRPD_BIN, os.X_OK):
        pytest.fail("vrrpd not built (%s); run make" % labmod.VRRPD_BIN)
    return kind


@pytest.fixture
def make_lab(request):
    """Factory: make_lab(routers=2) -> a running Lab, closed after the test."""
    labs = []

    def factory(routers=2, client=True):
        lab = labmod.Lab(routers=routers, client=client)
        labs.append(lab)
        return lab.__enter__()

    yield factory
    failed = any(getattr(request.node, "rep_" + w, None) is not None and
                 getattr(request.node, "rep_" + w).failed for w in ("setup", "call"))
    sanitized = []
    for lab in labs:
        lab.keep = True
        lab.close()     # daemons stop first: LeakSanitizer reports at exit
        bad = lab.sanitizer_reports()
        if failed or bad:
            print("\nlab artifacts kept in %s" % lab.dir)
            sanitized += [os.path.join(lab.dir, b) for b in bad]
        else:
            shutil.rmtree(lab.dir, ignore_errors=True)
    if sanitized:
        pytest.fail("sanitizer report in %s" % ", ".join(sanitized))


@pytest.fixture
def lab(make_lab):
    return make_lab(2)


@pytest.fixture
def lab3(make_lab):
    return make_lab(3)


@pytest.fixture
def timing(request):
    """timing(what, ms): recorded and printed in the 'lab timings' summary."""
    def record(what, ms):
        _timings.append((request.node.name, what, ms))
    return record
