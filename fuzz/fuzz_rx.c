/* libFuzzer harness for the receive path of vrrpd/net/vsock.c:
 * vsock_parse_rx() turns one datagram as recvmsg() returned it into a VRRP
 * payload and struct vrrp_rx_meta, then the codec decodes that payload, as
 * engine.c does for every packet. Everything the kernel could hand over is
 * fuzzed: the IPv4 header inside the data, the IPv4 control buffer with its
 * IP_PKTINFO message (the shared virtual-MAC receiver dispatches on its
 * arrival interface), and for IPv6 the sender address (msg_name,
 * msg_namelen) and the control buffer with its IPV6_HOPLIMIT /
 * IPV6_PKTINFO messages (msg_control, msg_controllen); both families'
 * buffers may hold the SCM_TIMESTAMPNS receive stamp. Each part is an
 * exactly sized heap copy, so ASan catches any read past its end.
 *
 * Input layout:
 *   byte 0          flags (F_*)
 *   IPv4:  without F_V4_CTL the rest is the datagram, IP header first
 *          (no msghdr at all, as the seeds of before F_V4_CTL meant);
 *          with it, 1 byte controllen, controllen bytes of control
 *          messages, then the datagram
 *   IPv6:  byte 1 = namelen, then namelen bytes of sender address,
 *          then 1 byte controllen, then controllen bytes of control
 *          messages, then the payload (parts cut short by the input end
 *          are short) */
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "fuzz_util.h"
#include "vrrp_pkt.h"
#include "vsock.h"

enum {
	F_IPV6 = 1 << 0,      /* an AF_INET6 socket */
	F_FIX_CKSUM = 1 << 1, /* fix the VRRP checksum after parsing */
	F_V4_CTL = 1 << 2,    /* IPv4: a control buffer precedes the datagram */
};

/* Take the next part of the input: at most want bytes, as its own
 * allocation (NULL when empty). */
static uint8_t *take(const uint8_t **data, size_t *size, size_t want,
		     size_t *got)
{
	uint8_t *p;

	*got = want < *size ? want : *size;
	if (*got == 0)
		return NULL;
	p = malloc(*got);
	if (!p)
		abort();
	memcpy(p, *data, *got);
	*data += *got;
	*size -= *got;
	return p;
}

/* What vsock_parse_rx promises whatever it was given. */
static void check_parsed(const struct vsock_pkt *p, int af, const uint8_t *buf,
			 size_t n)
{
	if (p->bad_ip)
		return;
	if (n && (p->payload < buf || p->len > n ||
		  (size_t)(p->payload - buf) > n - p->len))
		abort();
	if (!n && p->len)
		abort();
	if (p->meta.src.af != af || (p->meta.dst.af && p->meta.dst.af != af))
		abort();
	if (af == AF_INET && (p->meta.ttl < 0 || p->meta.ttl > 255))
		abort();
	if (p->rx_real_ns < 0) /* a receive stamp is after 1970 or absent */
		abort();
}

/* Decode the payload as the engine would; a copy of exactly len bytes. */
static void decode(const struct vsock_pkt *p, bool fix)
{
	static struct vrrp_adv adv;
	uint8_t *pl = malloc(p->len ? p->len : 1);
	enum vrrp_drop d;

	if (!pl)
		abort();
	if (p->len)
		memcpy(pl, p->payload, p->len);
	if (fix)
		fuzz_fix_cksum(pl, p->len, &p->meta);
	d = vrrp_decode(pl, p->len, &p->meta, &adv);
	if (d >= VRRP_DROP__MAX || !vrrp_drop_name(d))
		abort();
	/* RFC 5798 7.1: a multicast advert with a hop limit other than 255
	 * is never accepted (unicast ones are the instance's to check
	 * against its peers' TTL bounds). */
	if (d == VRRP_OK && p->meta.ttl != VRRP_TTL && vaddr_is_multicast(&p->meta.dst))
		abort();
	free(pl);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vsock_pkt pkt;
	struct msghdr h;
	uint8_t flags, *name = NULL, *ctl = NULL, *buf;
	size_t namelen = 0, ctllen = 0, n;
	int af;

	if (size < 1)
		return 0;
	flags = data[0];
	data++;
	size--;
	af = (flags & F_IPV6) ? AF_INET6 : AF_INET;
	memset(&h, 0, sizeof(h));
	if (af == AF_INET6 && size >= 1) {
		size_t want = data[0];

		data++;
		size--;
		name = take(&data, &size, want, &namelen);
		if (size >= 1) {
			want = data[0];
			data++;
			size--;
			ctl = take(&data, &size, want, &ctllen);
		}
		h.msg_name = name;
		h.msg_namelen = (socklen_t)namelen;
		h.msg_control = ctl;
		h.msg_controllen = ctllen;
	} else if (af == AF_INET && (flags & F_V4_CTL) && size >= 1) {
		size_t want = data[0];

		data++;
		size--;
		ctl = take(&data, &size, want, &ctllen);
		h.msg_control = ctl;
		h.msg_controllen = ctllen;
	}
	buf = take(&data, &size, size, &n);
	vsock_parse_rx(af, buf, n,
		       (af == AF_INET6 || (flags & F_V4_CTL)) ? &h : NULL, &pkt);
	check_parsed(&pkt, af, buf, n);
	if (!pkt.bad_ip)
		decode(&pkt, flags & F_FIX_CKSUM);
	free(buf);
	free(ctl);
	free(name);
	return 0;
}
