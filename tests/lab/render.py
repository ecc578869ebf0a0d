"""The lab's keepalived.conf writer: our RFC 7951 JSON as keepalived.conf
(lab.render_keepalived)."""


def render_keepalived(cfg):
    """Translate our RFC 7951 JSON config into an equivalent keepalived.conf.

    Only what the lab uses; this is how one scenario (written once as the
    vrrpd JSON the seed became) also runs against keepalived for interop and
    for baselines."""
    root = cfg["vrrpd:vrrpd"]
    g = root.get("global", {})
    out = ["global_defs {"]
    if "router-id" in g:
        out.append("    router_id %s" % g["router-id"])
    out.append("    vrrp_mcast_group4 %s" % g.get("multicast-group-v4", "224.0.0.18"))
    if not g.get("check-advert-addresses", True):
        out.append("    vrrp_skip_check_adv_addr")
    if "garp-master-delay" in g:
        out.append("    vrrp_garp_master_delay %d" % g["garp-master-delay"])
    if "garp-master-repeat" in g:
        out.append("    vrrp_garp_master_repeat %d" % g["garp-master-repeat"])
    out.append("}")
    for inst in root.get("instance", []):
        out.append("vrrp_instance %s {" % inst["name"])
        preempt = inst.get("preempt", True)
        state = inst.get("initial-state", "backup").upper()
        if not preempt:
            state = "BACKUP"   # keepalived ignores nopreempt unless state is BACKUP
        out.append("    state %s" % state)
        out.append("    interface %s" % inst["interface"])
        out.append("    virtual_router_id %d" % inst["vrid"])
        out.append("    priority %d" % inst.get("priority", 100))
        version = inst.get("version", 2)
        out.append("    version %d" % version)
        adv_cs = inst.get("advertisement-interval", 100)
        out.append("    advert_int %s" % ("%g" % (adv_cs / 100.0)))
        if not preempt:
            out.append("    nopreempt")
        if inst.get("preempt-delay"):
            out.append("    preempt_delay %d" % inst["preempt-delay"])
        if inst.get("accept-mode"):
            out.append("    accept")
        auth = inst.get("authentication")
        if auth and auth.get("type") == "simple-password":
            out.append("    authentication {")
            out.append("        auth_type PASS")
            out.append("        auth_pass %s" % auth["password"])
            out.append("    }")
        out.append("    virtual_ipaddress {")
        for va in inst["virtual-address"]:
            a = va["address"]
            if "prefix-length" in va:
                a += "/%d" % va["prefix-length"]
            out.append("        %s dev %s" % (a, va.get("device", inst["interface"])))
        out.append("    }")
        vm = inst.get("virtual-mac")
        if vm and vm.get("enabled"):
            out.append("    use_vmac %s" % vm.get("interface", "vrrp.%d" % inst["vrid"]))
            if vm.get("transmit-on-base"):
                out.append("    vmac_xmit_base")
        if "source-address" in inst:
            out.append("    %s %s" % ("unicast_src_ip" if inst.get("unicast") else "mcast_src_ip",
                                      inst["source-address"]))
        uc = inst.get("unicast")
        if uc:
            if "ttl" in uc:
                out.append("    unicast_ttl %d" % uc["ttl"])
            if uc.get("check-source"):
                out.append("    check_unicast_src")
            out.append("    unicast_peer {")
            for p in uc.get("peer", []):
                ttl = "".join(" %s %d" % (k.replace("-", "_"), p[k])
                              for k in ("min-ttl", "max-ttl") if k in p)
                out.append("        %s%s" % (p["address"], ttl))
            out.append("    }")
        out.append("}")
    return "\n".join(out) + "\n"
