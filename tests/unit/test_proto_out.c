// SPDX-License-Identifier: GPL-2.0
/*
 * The agent's frame writer against the host's reader: frames written to a
 * pipe decode back; reports keep their arrays; counts over the maxima are
 * clamped; a writer facing a full pipe gives up after its timeout instead
 * of blocking, and the reader skips the half-written frame.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wire/proto_reader.h"
#include "agent/proto_out.h"

struct seen {
	int n;
	uint16_t types[32];
	char text[32][64];
	struct ktstr_msg_worker_report rep;
	uint64_t lat_sum, mig_sum;
};

static int on_frame(const struct proto_frame *f, void *arg)
{
	struct seen *s = arg;

	if (s->n >= 32)
		return 0;
	s->types[s->n] = f->type;
	if (f->type == KTSTR_MSG_LOG || f->type == KTSTR_MSG_HELLO)
		snprintf(s->text[s->n], sizeof(s->text[0]), "%.*s", (int)f->length,
			 (const char *)f->payload);
	if (f->type == KTSTR_MSG_WORKER_REPORT) {
		const uint8_t *lat, *mig;

		proto__worker_report(f, &s->rep, &lat, &mig);
		for (uint32_t i = 0; i < s->rep.nlatencies; i++) {
			uint64_t v;

			memcpy(&v, lat + 8 * i, 8);
			s->lat_sum += v;
		}
		for (uint32_t i = 0; i < s->rep.nmigrations; i++) {
			struct ktstr_migration m;

			memcpy(&m, mig + sizeof(m) * i, sizeof(m));
			s->mig_sum += m.to_cpu;
		}
	}
	s->n++;
	return 0;
}

/* Read everything the pipe holds now into the reader. */
static void drain(int fd, struct proto_reader *r, struct seen *s)
{
	uint8_t buf[65536];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		assert_int_equal(proto_reader__feed(r, buf, (size_t)n, on_frame, s), 0);
}

static void test_round_trip(void **state)
{
	static uint64_t lat[KTSTR_REPORT_MAX_LATENCIES + 10];
	static struct ktstr_migration mig[3];
	struct ktstr_msg_worker_report rep = { .pid = 42, .nlatencies = 5, .nmigrations = 3 };
	struct ktstr_msg_exit ex = { .code = 7 };
	struct proto_reader r;
	struct proto_out o;
	struct seen s = { 0 };
	int p[2];

	(void)state;
	assert_int_equal(pipe2(p, O_NONBLOCK), 0);
	for (size_t i = 0; i < sizeof(lat) / sizeof(lat[0]); i++)
		lat[i] = i + 1;
	for (int i = 0; i < 3; i++)
		mig[i].to_cpu = (uint16_t)(i + 1);
	proto_out__init(&o, p[1], 0);
	proto_reader__init(&r);

	assert_int_equal(proto_out__text(&o, KTSTR_MSG_HELLO, "agent %d", 1), 0);
	assert_int_equal(proto_out__report(&o, &rep, lat, mig), 0);
	drain(p[0], &r, &s);
	/* Over the maximum: clamped, never rejected by the reader. */
	rep.nlatencies = KTSTR_REPORT_MAX_LATENCIES + 10;
	rep.nmigrations = 0;
	assert_int_equal(proto_out__report(&o, &rep, lat, NULL), 0);
	drain(p[0], &r, &s);
	/* Arrays missing: counts become 0. */
	rep.nlatencies = 9;
	rep.nmigrations = 2;
	assert_int_equal(proto_out__report(&o, &rep, NULL, NULL), 0);
	assert_int_equal(proto_out__send(&o, KTSTR_MSG_EXIT, &ex, sizeof(ex)), 0);
	drain(p[0], &r, &s);
	assert_int_equal(proto_reader__finish(&r, on_frame, &s), 0);

	assert_int_equal(s.n, 5);
	assert_int_equal(s.types[0], KTSTR_MSG_HELLO);
	assert_string_equal(s.text[0], "agent 1");
	assert_int_equal(s.types[1], KTSTR_MSG_WORKER_REPORT);
	assert_int_equal(s.types[2], KTSTR_MSG_WORKER_REPORT);
	assert_int_equal(s.types[3], KTSTR_MSG_WORKER_REPORT);
	assert_int_equal(s.rep.nlatencies, 0);		/* the last report */
	assert_int_equal(s.rep.nmigrations, 0);
	/* 1..5, then 1..4096 */
	assert_int_equal(s.lat_sum, 15 + (uint64_t)KTSTR_REPORT_MAX_LATENCIES *
					      (KTSTR_REPORT_MAX_LATENCIES + 1) / 2);
	assert_int_equal(s.mig_sum, 1 + 2 + 3);
	assert_int_equal(s.types[4], KTSTR_MSG_EXIT);
	assert_int_equal(r.st.skipped_bytes, 0);
	assert_int_equal(o.sent, 5);
	assert_int_equal(o.dropped, 0);

	assert_int_equal(proto_out__send(&o, KTSTR_MSG_LOG, lat, KTSTR_FRAME_MAX + 1), -EMSGSIZE);
	proto_reader__free(&r);
	proto_out__destroy(&o);
	close(p[0]);
	close(p[1]);
}

static void test_timeout_not_block(void **state)
{
	static char big[200000];
	struct proto_reader r;
	struct proto_out o;
	struct seen s = { 0 };
	struct timespec a, b;
	long ms;
	int p[2], ret;

	(void)state;
	assert_int_equal(pipe(p), 0);
	fcntl(p[1], F_SETPIPE_SZ, 4096);
	memset(big, 'x', sizeof(big));
	proto_out__init(&o, p[1], 100 * 1000000ULL);	/* 100 ms */
	clock_gettime(CLOCK_MONOTONIC, &a);
	ret = proto_out__send(&o, KTSTR_MSG_LOG, big, sizeof(big));
	clock_gettime(CLOCK_MONOTONIC, &b);
	ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	assert_int_equal(ret, -ETIMEDOUT);
	assert_true(ms >= 90 && ms < 2000);
	assert_int_equal(o.dropped, 1);

	/* The reader skips the half frame once a good one follows. */
	proto_reader__init(&r);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	drain(p[0], &r, &s);
	assert_int_equal(proto_out__text(&o, KTSTR_MSG_LOG, "after"), 0);
	drain(p[0], &r, &s);
	proto_reader__finish(&r, on_frame, &s);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.text[0], "after");
	assert_true(r.st.truncated || r.st.skipped_bytes > 0);
	proto_reader__free(&r);
	proto_out__destroy(&o);
	close(p[0]);
	close(p[1]);
}

static void test_discard(void **state)
{
	struct proto_out o;

	(void)state;
	proto_out__init(&o, -1, 0);
	assert_int_equal(proto_out__text(&o, KTSTR_MSG_LOG, "nowhere"), 0);
	proto_out__destroy(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_timeout_not_block),
		cmocka_unit_test(test_discard),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
