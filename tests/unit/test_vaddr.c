/* Unit tests for lib/vaddr.c: parsing, printing and ordering of the
 * family-neutral address type used by the codec and the engine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "vaddr.h"

static void test_parse_plain(void **state)
{
	(void)state;
	struct vaddr a;
	int plen = -1;

	assert_int_equal(vaddr_parse("10.10.1.1", &a, &plen), 0);
	assert_int_equal(a.af, AF_INET);
	assert_int_equal(plen, 32);
	assert_memory_equal(a.u.bytes, "\x0a\x0a\x01\x01", 4);
	assert_int_equal(vaddr_len(&a), 4);
	assert_true(vaddr_is_set(&a));

	assert_int_equal(vaddr_parse("2001:db8::1", &a, &plen), 0);
	assert_int_equal(a.af, AF_INET6);
	assert_int_equal(plen, 128);
	assert_int_equal(a.u.bytes[0], 0x20);
	assert_int_equal(a.u.bytes[1], 0x01);
	assert_int_equal(a.u.bytes[15], 0x01);
	assert_int_equal(vaddr_len(&a), 16);

	/* plen may be NULL when no prefix is given. */
	assert_int_equal(vaddr_parse("224.0.122.22", &a, NULL), 0);
	assert_int_equal(a.af, AF_INET);
	/* IPv4-mapped IPv6 is IPv6. */
	assert_int_equal(vaddr_parse("::ffff:10.0.0.1", &a, NULL), 0);
	assert_int_equal(a.af, AF_INET6);
}

static void test_parse_prefix(void **state)
{
	(void)state;
	struct vaddr a;
	int plen = -1;

	assert_int_equal(vaddr_parse("10.10.1.1/16", &a, &plen), 0);
	assert_int_equal(plen, 16);
	assert_int_equal(a.af, AF_INET);
	assert_int_equal(vaddr_parse("10.10.1.1/0", &a, &plen), 0);
	assert_int_equal(plen, 0);
	assert_int_equal(vaddr_parse("10.10.1.1/32", &a, &plen), 0);
	assert_int_equal(plen, 32);
	assert_int_equal(vaddr_parse("fe80::1/64", &a, &plen), 0);
	assert_int_equal(plen, 64);
	assert_int_equal(a.af, AF_INET6);
	assert_int_equal(vaddr_parse("fe80::1/128", &a, &plen), 0);
	assert_int_equal(plen, 128);

	/* Out of range for the family. */
	assert_int_equal(vaddr_parse("10.10.1.1/33", &a, &plen), -1);
	assert_int_equal(vaddr_parse("fe80::1/129", &a, &plen), -1);
	assert_int_equal(vaddr_parse("10.10.1.1/-1", &a, &plen), -1);
	/* Malformed prefixes. */
	assert_int_equal(vaddr_parse("10.10.1.1/", &a, &plen), -1);
	assert_int_equal(vaddr_parse("10.10.1.1/16x", &a, &plen), -1);
	assert_int_equal(vaddr_parse("10.10.1.1/99999999999999999999", &a, &plen), -1);
	/* A prefix where none is allowed. */
	assert_int_equal(vaddr_parse("10.10.1.1/16", &a, NULL), -1);
}

static void test_parse_garbage(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "/24", "10.10.1", "10.10.1.256", "10.10.1.1.1", "eth0",
		" 10.10.1.1", "10.10.1.1 ", "fe80::1%eth0", ":::1", "1.2.3.4:80",
		"0123456789abcdef0123456789abcdef0123456789abcdef0123456789",
	};
	struct vaddr a;
	int plen;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(vaddr_parse(bad[i], &a, &plen), -1);
}

static void test_ntop(void **state)
{
	(void)state;
	static const char *const in[] = { "10.10.1.1", "0.0.0.0", "255.255.255.255",
					  "fe80::1", "2001:db8::", "::" };
	char buf[VADDR_STRLEN];
	struct vaddr a;
	size_t i;

	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		assert_int_equal(vaddr_parse(in[i], &a, NULL), 0);
		assert_string_equal(vaddr_ntop(&a, buf, sizeof(buf)), in[i]);
	}
	/* Canonical form on output. */
	assert_int_equal(vaddr_parse("FE80:0:0::0:1", &a, NULL), 0);
	assert_string_equal(vaddr_ntop(&a, buf, sizeof(buf)), "fe80::1");

	/* Unset prints "?", and so does a buffer too small. */
	memset(&a, 0, sizeof(a));
	assert_string_equal(vaddr_ntop(&a, buf, sizeof(buf)), "?");
	assert_false(vaddr_is_set(&a));
	assert_int_equal(vaddr_len(&a), 0);
	assert_int_equal(vaddr_parse("255.255.255.255", &a, NULL), 0);
	char small[4];
	assert_string_equal(vaddr_ntop(&a, small, sizeof(small)), "?");
}

static void test_cmp(void **state)
{
	(void)state;
	struct vaddr a, b;

	assert_int_equal(vaddr_parse("10.0.0.1", &a, NULL), 0);
	assert_int_equal(vaddr_parse("10.0.0.1", &b, NULL), 0);
	assert_int_equal(vaddr_cmp(&a, &b), 0);

	/* Network byte order, unsigned (RFC 5798 6.4.3): 10.0.0.2 > 10.0.0.1,
	 * 10.0.1.0 > 10.0.0.255, 192.x > 10.x. */
	assert_int_equal(vaddr_parse("10.0.0.2", &b, NULL), 0);
	assert_true(vaddr_cmp(&a, &b) < 0);
	assert_true(vaddr_cmp(&b, &a) > 0);
	assert_int_equal(vaddr_parse("10.0.0.255", &a, NULL), 0);
	assert_int_equal(vaddr_parse("10.0.1.0", &b, NULL), 0);
	assert_true(vaddr_cmp(&a, &b) < 0);
	assert_int_equal(vaddr_parse("192.168.0.1", &b, NULL), 0);
	assert_true(vaddr_cmp(&a, &b) < 0);

	/* Family first: any IPv4 sorts before any IPv6 (AF_INET < AF_INET6). */
	assert_int_equal(vaddr_parse("255.255.255.255", &a, NULL), 0);
	assert_int_equal(vaddr_parse("::", &b, NULL), 0);
	assert_true(vaddr_cmp(&a, &b) < 0);
	assert_true(vaddr_cmp(&b, &a) > 0);

	assert_int_equal(vaddr_parse("fe80::1", &a, NULL), 0);
	assert_int_equal(vaddr_parse("fe80::1:0", &b, NULL), 0);
	assert_true(vaddr_cmp(&a, &b) < 0);
}

static void test_from_raw(void **state)
{
	(void)state;
	static const uint8_t raw4[4] = { 192, 0, 2, 7 };
	static const uint8_t raw6[16] = { 0xfe, 0x80, [15] = 9 };
	struct vaddr a, b;

	/* Clears what was there: bytes past the family's length are zero,
	 * so whole-struct comparisons work. */
	memset(&a, 0xff, sizeof(a));
	vaddr_from_raw(&a, AF_INET, raw4);
	assert_int_equal(vaddr_parse("192.0.2.7", &b, NULL), 0);
	assert_memory_equal(&a, &b, sizeof(a));

	vaddr_from_raw(&a, AF_INET6, raw6);
	assert_int_equal(vaddr_parse("fe80::9", &b, NULL), 0);
	assert_int_equal(vaddr_cmp(&a, &b), 0);
	assert_memory_equal(&a, &b, sizeof(a));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_plain),
		cmocka_unit_test(test_parse_prefix),
		cmocka_unit_test(test_parse_garbage),
		cmocka_unit_test(test_ntop),
		cmocka_unit_test(test_cmp),
		cmocka_unit_test(test_from_raw),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
