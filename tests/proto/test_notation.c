/* test_notation.c - state names and tcpdump flag letters. */
#include <string.h>
#include "proto/segment.h"
#include "proto/tcp_state.h"
#include "testing.h"

static const char *const contract_names[TCP_NSTATES] = {
	"CLOSED", "LISTEN", "SYN_SENT", "SYN_RECEIVED", "ESTABLISHED", "CLOSE_WAIT",
	"FIN_WAIT_1", "CLOSING", "LAST_ACK", "FIN_WAIT_2", "TIME_WAIT",
};

static void test_state_names(void)
{
	for (int s = 0; s < TCP_NSTATES; s++)
		CU_ASSERT_STRING_EQUAL(tcp_state_name((enum tcp_state)s), contract_names[s]);
	CU_ASSERT_STRING_EQUAL(tcp_state_name(TCPS_SYN_RECEIVED), "SYN_RECEIVED");
	CU_ASSERT_STRING_EQUAL(tcp_state_name((enum tcp_state)TCP_NSTATES), "?");
	CU_ASSERT_STRING_EQUAL(tcp_state_name((enum tcp_state)-1), "?");
}

static void test_state_parse_contract_names(void)
{
	enum tcp_state s;

	for (int i = 0; i < TCP_NSTATES; i++) {
		s = TCPS_CLOSED;
		CU_ASSERT_EQUAL(tcp_state_parse(contract_names[i], &s), 0);
		CU_ASSERT_EQUAL(s, (enum tcp_state)i);
	}
}

static void test_state_parse_aliases(void)
{
	static const struct {
		const char *name;
		enum tcp_state s;
	} cases[] = {
		{ "SYN-RECEIVED", TCPS_SYN_RECEIVED }, { "syn-received", TCPS_SYN_RECEIVED },
		{ "SYN_RCVD", TCPS_SYN_RECEIVED },     { "syn_recv", TCPS_SYN_RECEIVED },
		{ "SYN-SENT", TCPS_SYN_SENT },         { "FIN-WAIT-1", TCPS_FIN_WAIT_1 },
		{ "FIN-WAIT-2", TCPS_FIN_WAIT_2 },     { "FIN_WAIT1", TCPS_FIN_WAIT_1 },
		{ "fin_wait2", TCPS_FIN_WAIT_2 },      { "CLOSE-WAIT", TCPS_CLOSE_WAIT },
		{ "LAST-ACK", TCPS_LAST_ACK },         { "Time-Wait", TCPS_TIME_WAIT },
		{ "established", TCPS_ESTABLISHED },   { "Listen", TCPS_LISTEN },
		{ "closing", TCPS_CLOSING },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum tcp_state s = TCPS_CLOSED;
		CU_ASSERT_EQUAL(tcp_state_parse(cases[i].name, &s), 0);
		CU_ASSERT_EQUAL(s, cases[i].s);
	}
}

static void test_state_parse_rejects(void)
{
	static const char *const bad[] = {
		"", "ESTABLISH", "SYN", "SYNSENT", "SYN RECEIVED", " CLOSED", "CLOSED ",
		"FIN_WAIT_3", "TIME_WAIT_", "SYN_RECEIVED_AND_MORE_THAN_FITS_IN_A_BUFFER",
	};
	enum tcp_state s = TCPS_LISTEN;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CU_ASSERT_EQUAL(tcp_state_parse(bad[i], &s), -1);
	CU_ASSERT_EQUAL(tcp_state_parse(NULL, &s), -1);
	CU_ASSERT_EQUAL(s, TCPS_LISTEN);   /* untouched on error */
}

static void test_flags_format(void)
{
	static const struct {
		uint8_t flags;
		const char *text;
	} cases[] = {
		{ TH_SYN, "S" },
		{ TH_SYN | TH_ACK, "S." },
		{ TH_ACK, "." },
		{ TH_PSH | TH_ACK, "P." },
		{ TH_FIN | TH_ACK, "F." },
		{ TH_FIN | TH_PSH | TH_ACK, "FP." },
		{ TH_RST, "R" },
		{ TH_RST | TH_ACK, "R." },
		{ TH_SYN | TH_FIN | TH_ACK, "FS." },
		{ TH_URG | TH_ACK, ".U" },
		{ TH_SYN | TH_FIN | TH_PSH | TH_RST | TH_URG | TH_ACK, "FSRP.U" },
		{ 0, "none" },
		{ 0xc0 | TH_SYN, "S" },   /* ECE/CWR are not written */
	};
	char out[8];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tcp_flags_format(cases[i].flags, out);
		CU_ASSERT_STRING_EQUAL(out, cases[i].text);
	}
}

static void test_flags_parse(void)
{
	static const struct {
		const char *text;
		uint8_t flags;
	} cases[] = {
		{ "S", TH_SYN },
		{ "S.", TH_SYN | TH_ACK },
		{ ".S", TH_SYN | TH_ACK },
		{ ".", TH_ACK },
		{ "FP.", TH_FIN | TH_PSH | TH_ACK },
		{ "PF.", TH_FIN | TH_PSH | TH_ACK },
		{ "R", TH_RST },
		{ "R.", TH_RST | TH_ACK },
		{ "SF.", TH_SYN | TH_FIN | TH_ACK },
		{ "U", TH_URG },
		{ "none", 0 },
	};
	uint8_t f;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		f = 0xff;
		CU_ASSERT_EQUAL(tcp_flags_parse(cases[i].text, &f), 0);
		CU_ASSERT_EQUAL(f, cases[i].flags);
	}
}

static void test_flags_parse_rejects(void)
{
	static const char *const bad[] = { "", "X", "SS", "S..", "s", "S ", "A", "SYN", "[S.]", "nonE" };
	uint8_t f = 0x42;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CU_ASSERT_EQUAL(tcp_flags_parse(bad[i], &f), -1);
	CU_ASSERT_EQUAL(tcp_flags_parse(NULL, &f), -1);
	CU_ASSERT_EQUAL(f, 0x42);
}

static void test_flags_round_trip(void)
{
	char out[8];
	uint8_t f;

	for (unsigned v = 0; v < 0x40; v++) {
		tcp_flags_format((uint8_t)v, out);
		CU_ASSERT_EQUAL_FATAL(tcp_flags_parse(out, &f), 0);
		CU_ASSERT_EQUAL(f, v);
	}
}

TCPSIM_SUITE(notation,
	{ "state names are the contract's spelling", test_state_names },
	{ "every contract name parses back", test_state_parse_contract_names },
	{ "RFC, BSD and Linux spellings, any case", test_state_parse_aliases },
	{ "names that are no state are rejected", test_state_parse_rejects },
	{ "flags in tcpdump letters: S F P R U then .", test_flags_format },
	{ "flag letters in any order", test_flags_parse },
	{ "bad flag texts are rejected", test_flags_parse_rejects },
	{ "all 64 flag combinations round-trip", test_flags_round_trip })
