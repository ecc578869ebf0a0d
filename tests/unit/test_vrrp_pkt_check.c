/* Unit tests for vrrp_check_expected() (lib/vrrp_pkt.c): what an instance
 * * accepts of a valid advert; test_vrrp_pkt.c has the codec itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "vrrp_pkt.h"

#include "vrrp_pkt_test_util.h"
/* ---- instance checks -------------------------------------------------- */

static void test_check_version_auth_interval(void **state)
{
	(void)state;
	struct vaddr vip = A("10.10.1.1");
	struct vrrp_expect e = expect_v2(&vip, 1);
	struct vrrp_adv a = adv_v2();

	assert_int_equal(vrrp_check_expected(&a, &e), VRRP_OK);

	/* Version mismatch between instance and advert. */
	e.version = 3;
	assert_int_equal(vrrp_check_expected(&a, &e), VRRP_DROP_VERSION);
	e.version = 2;

	/* Auth: wrong password (VI_2's), one byte off, wrong type. */
	memcpy(a.auth_data, "22221111", 8);
	assert_int_equal(vrrp_check_expected(&a, &e), VRRP_DROP_AUTH);
	memcpy(a.auth_data, "11112223", 8);
	assert_int_equal(vrrp_check_expected(&a, &e), VRRP_DROP_AUTH);
	a = adv_v2();
	a.auth_type = VRRP_AUTH_NONE;
	assert_int_equal(vrrp_check_expected(&a, &e), VRRP_DROP_AUTH);
	a.auth_type = VRRP_AUTH_AH;
	assert_int_equal(vrrp_check_expected(&a, &e), VRRP_DROP_AUTH);
	/* Short password: zero padded on both sides. */
	memcpy(e.auth_data, "pw\0\0\0\0\0\0", 8);
	a = adv_v2();
	memcpy(a.auth_data, "pw\0\0\0\0\0\0", 8);
	assert_int_equal(vrrp_check_expected(&a, &e), VRRP_OK);
	a.auth_data[7] = 'x';
	assert_int_equal(vrrp_check_expected(&a, &e), VRRP_DROP_AUTH);

	/* No auth configured: type must be none, data is ignored. */
	e.auth_type = VRRP_AUTH_NONE;
	a = adv_v2();
	assert_int_equal(vrrp_check_expected(&a, &e), VRRP_DROP_AUTH);
	a.auth_type = VRRP_AUTH_NONE;
	memcpy(a.auth_data, "whatever", 8);
	assert_int_equal(vrrp_check_expected(&a, &e), VRRP_OK);

	/* v2 interval must match (RFC 3768 7.1). */
	a.interval_cs = 200;
	assert_int_equal(vrrp_check_expected(&a, &e), VRRP_DROP_INTERVAL);
	a.interval_cs = 100;
	e.interval_cs = 300;
	assert_int_equal(vrrp_check_expected(&a, &e), VRRP_DROP_INTERVAL);
}

static void test_check_v3_interval_learned(void **state)
{
	(void)state;
	struct vaddr vip = A("10.10.1.1");
	struct vrrp_expect e = expect_v2(&vip, 1);
	struct vrrp_adv a = adv_v2();

	e.version = a.version = 3;
	/* v3 carries no authentication; whatever the config said. */
	a.auth_type = 0;
	memset(a.auth_data, 0, 8);
	e.interval_cs = 100;
	a.interval_cs = 4095;
	assert_int_equal(vrrp_check_expected(&a, &e), VRRP_OK);
	a.interval_cs = 1;
	assert_int_equal(vrrp_check_expected(&a, &e), VRRP_OK);
	/* Zero is never a valid interval. */
	a.interval_cs = 0;
	assert_int_equal(vrrp_check_expected(&a, &e), VRRP_DROP_INTERVAL);
}

static void test_check_addrlist(void **state)
{
	(void)state;
	struct vaddr vips[3] = { A("10.10.1.1"), A("10.10.1.2"), A("10.10.1.3") };
	struct vaddr other[3] = { A("10.10.1.1"), A("10.10.1.2"), A("10.10.1.1") };
	struct vrrp_expect e = expect_v2(vips, 3);
	struct vrrp_adv a = adv_v2();

	a.naddr = 3;
	a.addrs[0] = vips[2];
	a.addrs[1] = vips[0];
	a.addrs[2] = vips[1];
	/* Order does not matter. */
	assert_int_equal(vrrp_check_expected(&a, &e), VRRP_OK);

	/* Different address. */
	a.addrs[1] = A("10.10.1.4");
	assert_int_equal(vrrp_check_expected(&a, &e), VRRP_DROP_ADDRLIST);
	/* Duplicate hiding a missing one, both directions. */
	a.addrs[1] = vips[2];
	assert_int_equal(vrrp_check_expected(&a, &e), VRRP_DROP_ADDRLIST);
	a.addrs[0] = vips[0];
	a.addrs[1] = vips[1];
	a.addrs[2] = vips[2];
	e.addrs = other;
	assert_int_equal(vrrp_check_expected(&a, &e), VRRP_DROP_ADDRLIST);
	e.addrs = vips;
	/* Fewer or more addresses. */
	a.naddr = 2;
	assert_int_equal(vrrp_check_expected(&a, &e), VRRP_DROP_ADDRLIST);
	e.naddr = 2;
	assert_int_equal(vrrp_check_expected(&a, &e), VRRP_OK);
	a.naddr = 3;
	assert_int_equal(vrrp_check_expected(&a, &e), VRRP_DROP_ADDRLIST);

	/* Same bytes, other family: never equal. */
	e.naddr = 1;
	a.naddr = 1;
	a.addrs[0] = A("::a0a:101");
	assert_int_equal(vrrp_check_expected(&a, &e), VRRP_DROP_ADDRLIST);

	/* The address owner (255) is believed (RFC 3768 7.1). */
	a.priority = VRRP_PRIO_OWNER;
	assert_int_equal(vrrp_check_expected(&a, &e), VRRP_OK);
	a.priority = 254;
	assert_int_equal(vrrp_check_expected(&a, &e), VRRP_DROP_ADDRLIST);
	/* Priority 0 (master resigning) is checked like any other. */
	a.priority = VRRP_PRIO_STOP;
	assert_int_equal(vrrp_check_expected(&a, &e), VRRP_DROP_ADDRLIST);
	/* vrrp_skip_check_adv_addr. */
	e.check_addrs = 0;
	assert_int_equal(vrrp_check_expected(&a, &e), VRRP_OK);
}

static void test_naddr_zero(void **state)
{
	(void)state;
	struct vrrp_rx_meta m = meta_of("10.10.10.101", "224.0.122.22");
	struct vaddr vip = A("10.10.1.1");
	struct vrrp_expect e = expect_v2(&vip, 1);
	uint8_t p[16] = { 0x21, 0x0b, 0x64, 0x00, 0x01, 0x01, 0, 0,
			  '1', '1', '1', '1', '2', '2', '2', '2' };
	struct vrrp_adv out;

	/* Decodes (the length is consistent) but no instance accepts it,
	 * even the address owner or with address checks off (RFC 5798 5.2.5). */
	fix_cksum_v2(p, 16);
	assert_int_equal(vrrp_decode(p, 16, &m, &out), VRRP_OK);
	assert_int_equal(out.naddr, 0);
	assert_int_equal(vrrp_check_expected(&out, &e), VRRP_DROP_ADDRLIST);
	out.priority = VRRP_PRIO_OWNER;
	e.check_addrs = 0;
	assert_int_equal(vrrp_check_expected(&out, &e), VRRP_DROP_ADDRLIST);
}

static void test_drop_names(void **state)
{
	(void)state;
	static const char *const want[VRRP_DROP__MAX] = {
		"ok", "packet-length-errors", "ip-ttl-errors", "version-errors",
		"invalid-type-pkts-rcvd", "checksum-errors", "vrid-errors",
		"auth-errors", "interval-errors", "address-list-errors",
		"unicast-source-errors",
	};
	int d;

	for (d = 0; d < VRRP_DROP__MAX; d++)
		assert_string_equal(vrrp_drop_name((enum vrrp_drop)d), want[d]);
	assert_string_equal(vrrp_drop_name(VRRP_DROP_VRID), "vrid-errors");
	assert_string_equal(vrrp_drop_name(VRRP_DROP__MAX), "unknown");
	assert_string_equal(vrrp_drop_name((enum vrrp_drop)-1), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_version_auth_interval),
		cmocka_unit_test(test_check_v3_interval_learned),
		cmocka_unit_test(test_check_addrlist),
		cmocka_unit_test(test_naddr_zero),
		cmocka_unit_test(test_drop_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
