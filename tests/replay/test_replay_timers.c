/* test_replay_timers.c - how long a replay waits for the kernel once its
 * timeline is done (replay_timers_bound): the scenario's longest timer, not
 * a fixed cap (a SYN given up at 127 s was cut at 30 s). */
#include "replay/replay_timers.h"
#include "scenario/scenario.h"
#include "testing.h"

#define S(x) ((usec_t)(x) * USEC_PER_SEC)

static void test_linux_syn_retries(void)
{
	struct tcp_params p;
	struct tcp_overrides ov = { 0 };

	ov.has_retries = true;
	ov.v.retries = 3;
	tcp_params_resolve(PROFILE_LINUX, &ov, &p);
	p.fin_wait_2_timeout = 0;
	/* 6 SYN retries: 1 + 2 + 4 + ... + 64 s, and 4 linear timeouts of
	 * 1 s before them (SYNs at 0 1 2 3 4 5 7 11 19 35 67 s, given up at
	 * 131 s); the data's 3 retries: 1 + 2 + 4 + 8. */
	CU_ASSERT_EQUAL(replay_timers_bound(&p), S(131));
	p.syn_linear_timeouts = 0;
	CU_ASSERT_EQUAL(replay_timers_bound(&p), S(127));
}

static void test_user_timeout_and_fin_wait_2(void)
{
	struct tcp_params p;

	tcp_params_resolve(PROFILE_LINUX, NULL, &p);
	p.syn_retries = p.synack_retries = 1;   /* 1 + 2 s */
	p.syn_linear_timeouts = 0;
	p.retries = 2;                          /* 1 + 2 + 4 s */
	p.fin_wait_2_timeout = 0;
	CU_ASSERT_EQUAL(replay_timers_bound(&p), S(7));
	p.user_timeout = S(5);                  /* instead of the data's retries */
	CU_ASSERT_EQUAL(replay_timers_bound(&p), S(5));
	p.fin_wait_2_timeout = S(60);
	CU_ASSERT_EQUAL(replay_timers_bound(&p), S(60));
}

static void test_limit(void)
{
	struct tcp_params p;

	/* 15 data retries up to 120 s each: 127 + 9 x 120 s, more than the limit. */
	tcp_params_resolve(PROFILE_LINUX, NULL, &p);
	CU_ASSERT_EQUAL(replay_timers_bound(&p), REPLAY_LIMIT_US);
	p.rto_max = S(2);                       /* 1 + 15 x 2 s */
	p.syn_retries = p.synack_retries = 1;
	p.fin_wait_2_timeout = 0;
	CU_ASSERT_EQUAL(replay_timers_bound(&p), S(31));
}

TCPSIM_SUITE(replay_timers,
	{ "the linux profile's 6 SYN retries and 4 linear timeouts: 131 s", test_linux_syn_retries },
	{ "the user timeout replaces the data's retries; FIN_WAIT_2's timeout counts", test_user_timeout_and_fin_wait_2 },
	{ "backed off to rto_max, at most the 5-minute limit", test_limit })
