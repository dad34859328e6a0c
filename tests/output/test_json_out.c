/* test_json_out.c - the JSON-lines trace: exact lines for every event type,
 * escaping, buffering across the buffer's edge, write errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "output/json_out.h"
#include "testing.h"

#define IP(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))

static struct trace_endpoint endpoints[] = {
	{ .name = 0, .ip = IP(10, 0, 0, 1), .port = 40000, .isn = 1000 },
	{ .name = 1, .ip = IP(10, 0, 0, 2), .port = 80, .isn = 5000 },
	{ .name = 2, .ip = IP(255, 254, 0, 9), .port = 65535, .isn = 4294967295u },
};

static void make_trace(struct trace *tr)
{
	memset(tr, 0, sizeof(*tr));
	tr->endpoints = endpoints;
	tr->n_endpoints = 3;
	tr->cap_endpoints = 3;
	tr->names[0] = "client";
	tr->names[1] = "server";
	tr->names[2] = "client#2";
	tr->n_names = 3;
}

/* The JSON-lines text of evs, written through the sink into memory; the
 * caller frees it. */
static char *render(const struct trace_event *evs, size_t n)
{
	struct trace tr;
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);
	struct json_out *jo;
	struct trace_sink sink;

	make_trace(&tr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	jo = json_out_new(f);
	CU_ASSERT_PTR_NOT_NULL_FATAL(jo);
	sink = json_out_sink(jo);
	for (size_t i = 0; i < n; i++)
		sink.event(sink.ctx, &tr, &evs[i]);
	CU_ASSERT_EQUAL(json_out_finish(jo), 0);
	fclose(f);
	return text;
}

static void expect_lines(const struct trace_event *evs, size_t n, const char *want)
{
	char *got = render(evs, n);

	CU_ASSERT_STRING_EQUAL(got, want);
	if (strcmp(got, want) != 0)
		fprintf(stderr, "\n--- want\n%s--- got\n%s", want, got);
	free(got);
}

static void test_scenario(void)
{
	struct trace_event evs[2] = {
		{ .type = TRACE_SCENARIO, .t_us = 0,
		  .u.scenario = { .name = "simultaneous close", .summary = "Both close.",
				  .seed = 1, .profile = "rfc9293" } },
		{ .type = TRACE_SCENARIO, .t_us = 0,
		  .u.scenario = { .name = "x", .summary = NULL,
				  .seed = UINT64_MAX, .profile = "linux" } },
	};

	expect_lines(evs, 2,
		"{\"t_us\":0,\"type\":\"scenario\",\"name\":\"simultaneous close\",\"summary\":\"Both close.\","
		"\"seed\":1,\"profile\":\"rfc9293\",\"endpoints\":{"
		"\"client\":{\"ip\":\"10.0.0.1\",\"port\":40000,\"isn\":1000},"
		"\"server\":{\"ip\":\"10.0.0.2\",\"port\":80,\"isn\":5000},"
		"\"client#2\":{\"ip\":\"255.254.0.9\",\"port\":65535,\"isn\":4294967295}}}\n"
		"{\"t_us\":0,\"type\":\"scenario\",\"name\":\"x\",\"seed\":18446744073709551615,"
		"\"profile\":\"linux\",\"endpoints\":{"
		"\"client\":{\"ip\":\"10.0.0.1\",\"port\":40000,\"isn\":1000},"
		"\"server\":{\"ip\":\"10.0.0.2\",\"port\":80,\"isn\":5000},"
		"\"client#2\":{\"ip\":\"255.254.0.9\",\"port\":65535,\"isn\":4294967295}}}\n");
}

static void test_call(void)
{
	struct trace_event evs[7] = {
		{ .type = TRACE_CALL, .t_us = 0, .endpoint = 1, .u.call = { .call = CALL_LISTEN } },
		{ .type = TRACE_CALL, .t_us = 10000, .endpoint = 0, .u.call = { .call = CALL_CONNECT } },
		{ .type = TRACE_CALL, .t_us = 200000, .endpoint = 0, .u.call = { .call = CALL_SEND, .bytes = 100 } },
		{ .type = TRACE_CALL, .t_us = 400000, .endpoint = 0, .u.call = { .call = CALL_CLOSE } },
		{ .type = TRACE_CALL, .t_us = 500000, .endpoint = 1, .u.call = { .call = CALL_ABORT } },
		{ .type = TRACE_CALL, .t_us = 2000000, .endpoint = 1, .u.call = { .call = CALL_INJECT } },
		{ .type = TRACE_CALL, .t_us = 2000001, .endpoint = 0,
		  .u.call = { .call = CALL_SEND, .bytes = 7, .error = "connection \"closing\"" } },
	};

	expect_lines(evs, 7,
		"{\"t_us\":0,\"type\":\"call\",\"endpoint\":\"server\",\"call\":\"listen\"}\n"
		"{\"t_us\":10000,\"type\":\"call\",\"endpoint\":\"client\",\"call\":\"connect\"}\n"
		"{\"t_us\":200000,\"type\":\"call\",\"endpoint\":\"client\",\"call\":\"send\",\"bytes\":100}\n"
		"{\"t_us\":400000,\"type\":\"call\",\"endpoint\":\"client\",\"call\":\"close\"}\n"
		"{\"t_us\":500000,\"type\":\"call\",\"endpoint\":\"server\",\"call\":\"abort\"}\n"
		"{\"t_us\":2000000,\"type\":\"call\",\"endpoint\":\"server\",\"call\":\"inject\"}\n"
		"{\"t_us\":2000001,\"type\":\"call\",\"endpoint\":\"client\",\"call\":\"send\",\"bytes\":7,"
		"\"error\":\"connection \\\"closing\\\"\"}\n");
}

static void test_state(void)
{
	struct trace_event evs[2] = {
		{ .type = TRACE_STATE, .t_us = 60000, .endpoint = 1,
		  .u.state = { .from = TCPS_LISTEN, .to = TCPS_SYN_RECEIVED, .cause = "rcv SYN", .arc = "T3" } },
		{ .type = TRACE_STATE, .t_us = 4050000, .endpoint = 2,
		  .u.state = { .from = TCPS_TIME_WAIT, .to = TCPS_CLOSED, .cause = "timeout 2MSL", .arc = NULL } },
	};

	expect_lines(evs, 2,
		"{\"t_us\":60000,\"type\":\"state\",\"endpoint\":\"server\",\"from\":\"LISTEN\","
		"\"to\":\"SYN_RECEIVED\",\"cause\":\"rcv SYN\",\"arc\":\"T3\"}\n"
		"{\"t_us\":4050000,\"type\":\"state\",\"endpoint\":\"client#2\",\"from\":\"TIME_WAIT\","
		"\"to\":\"CLOSED\",\"cause\":\"timeout 2MSL\"}\n");
}

static void test_segment(void)
{
	struct trace_event evs[4] = {
		{ .type = TRACE_SEGMENT, .t_us = 10000,
		  .u.segment = { .src = 0, .dst = 1, .event = SEGEV_SEND,
				 .seg = { .seq = 1000, .ack = 0, .win = 65535, .flags = TH_SYN, .mss = 1460 } } },
		{ .type = TRACE_SEGMENT, .t_us = 60000,
		  .u.segment = { .src = 1, .dst = 0, .event = SEGEV_DELIVER,
				 .seg = { .seq = 5000, .ack = 1001, .win = 29200, .flags = TH_SYN | TH_ACK, .mss = 536 } } },
		{ .type = TRACE_SEGMENT, .t_us = 200000,
		  .u.segment = { .src = 0, .dst = 1, .event = SEGEV_DROP,
				 .seg = { .seq = 4294967295u, .ack = 5001, .win = 0, .flags = TH_PSH | TH_ACK,
					  .len = 100 } } },
		{ .type = TRACE_SEGMENT, .t_us = 2000000,
		  .u.segment = { .src = 1, .dst = 0, .event = SEGEV_DUPLICATE, .forged = true,
				 .seg = { .seq = 5001, .ack = 0, .win = 0, .flags = TH_RST } } },
	};

	expect_lines(evs, 4,
		"{\"t_us\":10000,\"type\":\"segment\",\"src\":\"client\",\"dst\":\"server\",\"event\":\"send\","
		"\"flags\":\"S\",\"seq\":1000,\"ack\":0,\"len\":0,\"win\":65535,\"mss\":1460}\n"
		"{\"t_us\":60000,\"type\":\"segment\",\"src\":\"server\",\"dst\":\"client\",\"event\":\"deliver\","
		"\"flags\":\"S.\",\"seq\":5000,\"ack\":1001,\"len\":0,\"win\":29200,\"mss\":536}\n"
		"{\"t_us\":200000,\"type\":\"segment\",\"src\":\"client\",\"dst\":\"server\",\"event\":\"drop\","
		"\"flags\":\"P.\",\"seq\":4294967295,\"ack\":5001,\"len\":100,\"win\":0}\n"
		"{\"t_us\":2000000,\"type\":\"segment\",\"src\":\"server\",\"dst\":\"client\",\"event\":\"duplicate\","
		"\"flags\":\"R\",\"seq\":5001,\"ack\":0,\"len\":0,\"win\":0,\"forged\":true}\n");
}

static void test_timer(void)
{
	struct trace_event evs[5] = {
		{ .type = TRACE_TIMER, .t_us = 10000, .endpoint = 0,
		  .u.timer = { .timer = TIMER_RTO, .event = TIMER_SET, .due = 1010000 } },
		{ .type = TRACE_TIMER, .t_us = 60000, .endpoint = 0,
		  .u.timer = { .timer = TIMER_RTO, .event = TIMER_CANCEL, .due = 1010000 } },
		{ .type = TRACE_TIMER, .t_us = 120000000, .endpoint = 1,
		  .u.timer = { .timer = TIMER_TIME_WAIT, .event = TIMER_FIRE } },
		{ .type = TRACE_TIMER, .t_us = 5, .endpoint = 2,
		  .u.timer = { .timer = TIMER_FIN_WAIT_2, .event = TIMER_SET, .due = 60000005 } },
		{ .type = TRACE_TIMER, .t_us = 350000, .endpoint = 1,
		  .u.timer = { .timer = TIMER_DELACK, .event = TIMER_SET, .due = 390000 } },
	};

	expect_lines(evs, 5,
		"{\"t_us\":10000,\"type\":\"timer\",\"endpoint\":\"client\",\"timer\":\"rto\",\"event\":\"set\",\"due_us\":1010000}\n"
		"{\"t_us\":60000,\"type\":\"timer\",\"endpoint\":\"client\",\"timer\":\"rto\",\"event\":\"cancel\"}\n"
		"{\"t_us\":120000000,\"type\":\"timer\",\"endpoint\":\"server\",\"timer\":\"time_wait\",\"event\":\"fire\"}\n"
		"{\"t_us\":5,\"type\":\"timer\",\"endpoint\":\"client#2\",\"timer\":\"fin_wait_2\",\"event\":\"set\",\"due_us\":60000005}\n"
		"{\"t_us\":350000,\"type\":\"timer\",\"endpoint\":\"server\",\"timer\":\"delack\",\"event\":\"set\",\"due_us\":390000}\n");
}

static void test_data_and_result(void)
{
	static const char *const failures[] = { "client: expected CLOSED, got TIME_WAIT", "delivered" };
	struct trace_event evs[4] = {
		{ .type = TRACE_DATA, .t_us = 310000, .endpoint = 0,
		  .u.data = { .bytes = 5, .data = (const uint8_t *)"hello" } },
		{ .type = TRACE_DATA, .t_us = 18446744073709551615ull, .endpoint = 1, .u.data = { .bytes = 0 } },
		{ .type = TRACE_RESULT, .t_us = 9000000, .u.result = { .ok = true, .failures = NULL, .n_failures = 0 } },
		{ .type = TRACE_RESULT, .t_us = 9000000,
		  .u.result = { .ok = false, .failures = failures, .n_failures = 2 } },
	};

	expect_lines(evs, 4,
		"{\"t_us\":310000,\"type\":\"data\",\"endpoint\":\"client\",\"bytes\":5}\n"
		"{\"t_us\":18446744073709551615,\"type\":\"data\",\"endpoint\":\"server\",\"bytes\":0}\n"
		"{\"t_us\":9000000,\"type\":\"result\",\"ok\":true,\"failures\":[]}\n"
		"{\"t_us\":9000000,\"type\":\"result\",\"ok\":false,\"failures\":"
		"[\"client: expected CLOSED, got TIME_WAIT\",\"delivered\"]}\n");
}

static void test_escaping(void)
{
	static const char *const failures[] = {
		"say \"hi\" \\ bye",
		"tab\there\nnewline\r\x01\x1f\x7f end",
		"caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x98\x80",
		"",
	};
	struct trace_event evs[2] = {
		{ .type = TRACE_RESULT, .t_us = 1,
		  .u.result = { .ok = false, .failures = failures, .n_failures = 4 } },
		{ .type = TRACE_STATE, .t_us = 2, .endpoint = 0,
		  .u.state = { .from = TCPS_CLOSED, .to = TCPS_SYN_SENT, .cause = "\"q\"", .arc = "\\" } },
	};

	expect_lines(evs, 2,
		"{\"t_us\":1,\"type\":\"result\",\"ok\":false,\"failures\":["
		"\"say \\\"hi\\\" \\\\ bye\","
		"\"tab\\u0009here\\u000anewline\\u000d\\u0001\\u001f\x7f end\","
		"\"caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x98\x80\","
		"\"\"]}\n"
		"{\"t_us\":2,\"type\":\"state\",\"endpoint\":\"client\",\"from\":\"CLOSED\",\"to\":\"SYN_SENT\","
		"\"cause\":\"\\\"q\\\"\",\"arc\":\"\\\\\"}\n");
}

/* Endpoint names are escaped too, in the scenario line and elsewhere. */
static void test_escaped_endpoint_name(void)
{
	struct trace_endpoint eps[1] = { { .name = 0, .ip = 0, .port = 0, .isn = 0 } };
	struct trace tr;
	struct trace_event evs[2] = {
		{ .type = TRACE_SCENARIO, .u.scenario = { .name = "n", .seed = 0, .profile = "rfc9293" } },
		{ .type = TRACE_DATA, .t_us = 3, .endpoint = 0, .u.data = { .bytes = 1 } },
	};
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);
	struct json_out *jo = json_out_new(f);
	struct trace_sink sink = json_out_sink(jo);

	memset(&tr, 0, sizeof(tr));
	tr.endpoints = eps;
	tr.n_endpoints = 1;
	tr.names[0] = "a\"b\\c";
	tr.n_names = 1;
	for (int i = 0; i < 2; i++)
		sink.event(sink.ctx, &tr, &evs[i]);
	CU_ASSERT_EQUAL(json_out_finish(jo), 0);
	fclose(f);
	CU_ASSERT_STRING_EQUAL(text,
		"{\"t_us\":0,\"type\":\"scenario\",\"name\":\"n\",\"seed\":0,\"profile\":\"rfc9293\","
		"\"endpoints\":{\"a\\\"b\\\\c\":{\"ip\":\"0.0.0.0\",\"port\":0,\"isn\":0}}}\n"
		"{\"t_us\":3,\"type\":\"data\",\"endpoint\":\"a\\\"b\\\\c\",\"bytes\":1}\n");
	free(text);
}

/* Many lines, and one string longer than the buffer, full of characters
 * that expand when escaped: every byte must come out, in order. */
static void test_large_output(void)
{
	enum { N = 60000, BIG = 3 * 1024 * 1024 + 7 };
	const char *line = "{\"t_us\":123456789,\"type\":\"segment\",\"src\":\"client\",\"dst\":\"server\","
			   "\"event\":\"send\",\"flags\":\".\",\"seq\":1001,\"ack\":5001,\"len\":0,\"win\":65535}\n";
	size_t line_len = strlen(line);
	struct trace_event ev = {
		.type = TRACE_SEGMENT, .t_us = 123456789,
		.u.segment = { .src = 0, .dst = 1, .event = SEGEV_SEND,
			       .seg = { .seq = 1001, .ack = 5001, .win = 65535, .flags = TH_ACK } },
	};
	struct trace_event *evs = calloc(N + 1, sizeof(*evs));
	char *big = malloc(BIG + 1);
	const char *failures[1] = { big };
	char *got;
	size_t pos = 0;
	int ok = 1;

	CU_ASSERT_PTR_NOT_NULL_FATAL(evs);
	CU_ASSERT_PTR_NOT_NULL_FATAL(big);
	for (size_t i = 0; i < BIG; i++)
		big[i] = (i % 3 == 0) ? '\n' : (i % 3 == 1) ? '"' : 'x';
	big[BIG] = '\0';
	for (size_t i = 0; i < N; i++)
		evs[i] = ev;
	evs[N].type = TRACE_RESULT;
	evs[N].t_us = 7;
	evs[N].u.result.failures = failures;
	evs[N].u.result.n_failures = 1;

	got = render(evs, N + 1);
	for (size_t i = 0; i < N && ok; i++, pos += line_len)
		ok = memcmp(got + pos, line, line_len) == 0;
	CU_ASSERT(ok);
	const char *head = "{\"t_us\":7,\"type\":\"result\",\"ok\":false,\"failures\":[\"";
	CU_ASSERT_EQUAL_FATAL(memcmp(got + pos, head, strlen(head)), 0);
	pos += strlen(head);
	for (size_t i = 0; i < BIG && ok; i++) {
		const char *want = (i % 3 == 0) ? "\\u000a" : (i % 3 == 1) ? "\\\"" : "x";
		size_t n = strlen(want);

		ok = memcmp(got + pos, want, n) == 0;
		pos += n;
	}
	CU_ASSERT(ok);
	CU_ASSERT_STRING_EQUAL(got + pos, "\"]}\n");
	free(got);
	free(big);
	free(evs);
}

static void test_write_error(void)
{
	FILE *f = fopen("/dev/full", "w");
	struct json_out *jo;
	struct trace_sink sink;
	struct trace tr;
	struct trace_event ev = { .type = TRACE_DATA, .t_us = 1, .endpoint = 0, .u.data = { .bytes = 1 } };

	if (!f)
		return;         /* no /dev/full here: nothing to test with */
	make_trace(&tr);
	jo = json_out_new(f);
	CU_ASSERT_PTR_NOT_NULL_FATAL(jo);
	sink = json_out_sink(jo);
	sink.event(sink.ctx, &tr, &ev);
	CU_ASSERT_EQUAL(json_out_finish(jo), -1);
	fclose(f);
}

TCPSIM_SUITE(json_out,
	{ "scenario lines", test_scenario },
	{ "call lines", test_call },
	{ "state lines", test_state },
	{ "segment lines", test_segment },
	{ "timer lines", test_timer },
	{ "data and result lines", test_data_and_result },
	{ "string escaping", test_escaping },
	{ "endpoint names are escaped", test_escaped_endpoint_name },
	{ "large output crosses the buffer intact", test_large_output },
	{ "a write error is reported", test_write_error })
