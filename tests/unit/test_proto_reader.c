// SPDX-License-Identifier: GPL-2.0
/*
 * The host's frame decoder: good frames, every split point, bad CRC, bad
 * version, oversize length, per-type payload sizes, garbage in between,
 * and streams that end inside a frame.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "wire/proto_reader.h"

struct buf {
	uint8_t d[1 << 16];
	size_t n;
};

static void put(struct buf *b, const void *p, size_t n)
{
	assert_true(b->n + n <= sizeof(b->d));
	memcpy(b->d + b->n, p, n);
	b->n += n;
}

static void frame_v(struct buf *b, uint16_t version, uint16_t type, const void *p, uint32_t len)
{
	struct ktstr_frame_hdr h = { .magic = KTSTR_PROTO_MAGIC, .version = version, .type = type,
				     .length = len };

	h.crc32 = (uint32_t)crc32(0L, p, len);
	put(b, &h, sizeof(h));
	put(b, p, len);
}

static void frame(struct buf *b, uint16_t type, const void *p, uint32_t len)
{
	frame_v(b, KTSTR_PROTO_VERSION, type, p, len);
}

/* A worker report with @nlat latencies and @nmig migrations. */
static size_t report(uint8_t *out, uint32_t nlat, uint32_t nmig, int32_t pid)
{
	struct ktstr_msg_worker_report r = { .pid = pid, .nlatencies = nlat, .nmigrations = nmig };
	size_t n = 0;

	strcpy(r.cgroup, "cg0");
	r.work_units = 1234;
	memcpy(out, &r, sizeof(r));
	n += sizeof(r);
	for (uint32_t i = 0; i < nlat; i++, n += 8) {
		uint64_t v = 1000 + i;

		memcpy(out + n, &v, 8);
	}
	for (uint32_t i = 0; i < nmig; i++, n += sizeof(struct ktstr_migration)) {
		struct ktstr_migration m = { .at_ns = i, .from_cpu = 0, .to_cpu = 1 };

		memcpy(out + n, &m, sizeof(m));
	}
	return n;
}

/* A stream of the usual conversation: hello, start, step, 2 reports, end, exit. */
static void conversation(struct buf *b)
{
	struct ktstr_msg_scenario_start ss = { .ncpus = 4, .nsteps = 1 };
	struct ktstr_msg_step st = { .index = 0, .nworkers = 2 };
	struct ktstr_msg_scenario_end se = { .elapsed_ms = 300 };
	struct ktstr_msg_exit ex = { .code = 0 };
	static uint8_t rep[sizeof(struct ktstr_msg_worker_report) + 64 * 8 + 8 * 16];
	size_t n;

	frame(b, KTSTR_MSG_HELLO, "agent", 5);
	frame(b, KTSTR_MSG_SCENARIO_START, &ss, sizeof(ss));
	frame(b, KTSTR_MSG_STEP, &st, sizeof(st));
	n = report(rep, 64, 8, 10);
	frame(b, KTSTR_MSG_WORKER_REPORT, rep, (uint32_t)n);
	n = report(rep, 0, 0, 11);
	frame(b, KTSTR_MSG_WORKER_REPORT, rep, (uint32_t)n);
	frame(b, KTSTR_MSG_SCENARIO_END, &se, sizeof(se));
	frame(b, KTSTR_MSG_EXIT, &ex, sizeof(ex));
}

struct seen {
	int n;
	uint16_t types[64];
	int32_t pids[64];
	uint64_t lat_sum;
};

static int on_frame(const struct proto_frame *f, void *arg)
{
	struct seen *s = arg;

	if (s->n < 64) {
		s->types[s->n] = f->type;
		if (f->type == KTSTR_MSG_WORKER_REPORT) {
			struct ktstr_msg_worker_report r;
			const uint8_t *lat;

			proto__worker_report(f, &r, &lat, NULL);
			s->pids[s->n] = r.pid;
			for (uint32_t i = 0; i < r.nlatencies; i++) {
				uint64_t v;

				memcpy(&v, lat + 8 * i, 8);
				s->lat_sum += v;
			}
		}
	}
	s->n++;
	return 0;
}

static const uint16_t conv_types[] = {
	KTSTR_MSG_HELLO, KTSTR_MSG_SCENARIO_START, KTSTR_MSG_STEP, KTSTR_MSG_WORKER_REPORT,
	KTSTR_MSG_WORKER_REPORT, KTSTR_MSG_SCENARIO_END, KTSTR_MSG_EXIT,
};

static void assert_conversation(const struct seen *s)
{
	assert_int_equal(s->n, 7);
	for (int i = 0; i < 7; i++)
		assert_int_equal(s->types[i], conv_types[i]);
	assert_int_equal(s->pids[3], 10);
	assert_int_equal(s->pids[4], 11);
	assert_int_equal(s->lat_sum, 64 * 1000 + 63 * 64 / 2);
}

static void test_good_stream(void **state)
{
	static struct buf b;
	struct proto_reader r;
	struct seen s = { 0 };

	(void)state;
	b.n = 0;
	conversation(&b);
	proto_reader__init(&r);
	assert_int_equal(proto_reader__feed(&r, b.d, b.n, on_frame, &s), 0);
	assert_int_equal(proto_reader__finish(&r, on_frame, &s), 0);
	assert_conversation(&s);
	assert_int_equal(r.st.frames, 7);
	assert_int_equal(r.st.skipped_bytes, 0);
	assert_false(r.st.truncated);
	assert_string_equal(r.first_error, "");
	proto_reader__free(&r);
}

/* Two chunks split at every byte, and a byte at a time. */
static void test_every_split(void **state)
{
	static struct buf b;

	(void)state;
	b.n = 0;
	conversation(&b);
	for (size_t cut = 0; cut <= b.n; cut++) {
		struct proto_reader r;
		struct seen s = { 0 };

		proto_reader__init(&r);
		assert_int_equal(proto_reader__feed(&r, b.d, cut, on_frame, &s), 0);
		assert_int_equal(proto_reader__feed(&r, b.d + cut, b.n - cut, on_frame, &s), 0);
		assert_int_equal(proto_reader__finish(&r, on_frame, &s), 0);
		assert_conversation(&s);
		assert_int_equal(r.st.skipped_bytes, 0);
		proto_reader__free(&r);
	}
	{
		struct proto_reader r;
		struct seen s = { 0 };

		proto_reader__init(&r);
		for (size_t i = 0; i < b.n; i++)
			assert_int_equal(proto_reader__feed(&r, b.d + i, 1, on_frame, &s), 0);
		assert_int_equal(proto_reader__finish(&r, on_frame, &s), 0);
		assert_conversation(&s);
		proto_reader__free(&r);
	}
}

static void test_bad_crc(void **state)
{
	static struct buf b;
	struct proto_reader r;
	struct seen s = { 0 };
	struct ktstr_msg_exit ex = { .code = 3 };

	(void)state;
	b.n = 0;
	frame(&b, KTSTR_MSG_LOG, "hello world", 11);
	b.d[b.n - 1] ^= 0x20;			/* corrupt the payload */
	frame(&b, KTSTR_MSG_EXIT, &ex, sizeof(ex));
	proto_reader__init(&r);
	proto_reader__feed(&r, b.d, b.n, on_frame, &s);
	assert_int_equal(proto_reader__finish(&r, on_frame, &s), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.types[0], KTSTR_MSG_EXIT);
	assert_int_equal(r.st.bad_crc, 1);
	assert_int_equal(r.st.skipped_bytes, 16 + 11);
	assert_string_equal(r.first_error, "frame (log, 11 bytes) with a bad CRC");
	proto_reader__free(&r);
}

static void test_bad_version_and_length(void **state)
{
	static struct buf b;
	struct proto_reader r;
	struct seen s = { 0 };
	struct ktstr_frame_hdr h = { .magic = KTSTR_PROTO_MAGIC, .version = KTSTR_PROTO_VERSION,
				     .type = KTSTR_MSG_LOG, .length = KTSTR_FRAME_MAX + 1 };

	(void)state;
	b.n = 0;
	frame_v(&b, 2, KTSTR_MSG_LOG, "v2", 2);
	put(&b, &h, sizeof(h));			/* oversize: never waits for 1 MiB */
	frame(&b, KTSTR_MSG_LOG, "ok", 2);
	proto_reader__init(&r);
	proto_reader__feed(&r, b.d, b.n, on_frame, &s);
	/* The good frame comes out before the end of the stream. */
	assert_int_equal(s.n, 1);
	assert_int_equal(proto_reader__finish(&r, on_frame, &s), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(r.st.bad_version, 1);
	assert_int_equal(r.st.bad_length, 1);
	assert_int_equal(r.st.skipped_bytes, 16 + 2 + 16);
	assert_string_equal(r.first_error, "frame of protocol version 2 (expected 1)");
	proto_reader__free(&r);
}

static void test_payload_sizes(void **state)
{
	static struct buf b;
	static uint8_t rep[sizeof(struct ktstr_msg_worker_report) + 8 * 8];
	struct ktstr_msg_worker_report wr = { .nlatencies = KTSTR_REPORT_MAX_LATENCIES + 1 };
	struct proto_reader r;
	struct seen s = { 0 };
	uint8_t junk[64] = { 0 };
	size_t n;

	(void)state;
	b.n = 0;
	frame(&b, KTSTR_MSG_STEP, junk, sizeof(struct ktstr_msg_step) - 1);
	frame(&b, KTSTR_MSG_EXIT, junk, 8);
	frame(&b, KTSTR_MSG_SHUTDOWN, junk, 1);
	n = report(rep, 8, 0, 1);
	frame(&b, KTSTR_MSG_WORKER_REPORT, rep, (uint32_t)n - 8);	/* one latency short */
	frame(&b, KTSTR_MSG_WORKER_REPORT, &wr, sizeof(wr));		/* count over the max */
	frame(&b, 999, junk, 4);
	frame(&b, KTSTR_MSG_WORKER_REPORT, rep, (uint32_t)n);		/* the good one */
	proto_reader__init(&r);
	proto_reader__feed(&r, b.d, b.n, on_frame, &s);
	assert_int_equal(proto_reader__finish(&r, on_frame, &s), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.pids[0], 1);
	assert_int_equal(r.st.bad_payload, 5);
	assert_int_equal(r.st.unknown_type, 1);
	assert_int_equal(r.st.skipped_bytes, 0);
	assert_string_equal(r.first_error, "step frame with a bad payload size 23");
	proto_reader__free(&r);
}

static void test_garbage_between(void **state)
{
	static struct buf b, g;
	struct proto_reader r;
	struct seen s = { 0 };
	static const uint8_t magic_prefix[] = { 'K', 'T', 'S' };

	(void)state;
	b.n = 0;
	g.n = 0;
	conversation(&g);
	put(&b, "garbage!", 8);
	/* Insert garbage (including a partial magic) after each frame boundary we know. */
	{
		size_t off = 0;

		while (off < g.n) {
			struct ktstr_frame_hdr h;

			memcpy(&h, g.d + off, sizeof(h));
			put(&b, g.d + off, sizeof(h) + h.length);
			off += sizeof(h) + h.length;
			put(&b, magic_prefix, sizeof(magic_prefix));
			put(&b, "\0\xff", 2);
		}
	}
	proto_reader__init(&r);
	proto_reader__feed(&r, b.d, b.n, on_frame, &s);
	assert_int_equal(proto_reader__finish(&r, on_frame, &s), 0);
	assert_conversation(&s);
	assert_int_equal(r.st.skipped_bytes, 8 + 7 * 5);
	assert_string_equal(r.first_error, "8 bytes of garbage skipped");
	proto_reader__free(&r);
}

static void test_truncated(void **state)
{
	static struct buf b;
	static uint8_t text[300];
	struct proto_reader r;
	struct seen s = { 0 };

	(void)state;
	b.n = 0;
	frame(&b, KTSTR_MSG_HELLO, "hi", 2);
	frame(&b, KTSTR_MSG_LOG, text, sizeof(text));
	b.n -= 300 - 12;			/* 12 of 300 payload bytes arrived */
	proto_reader__init(&r);
	proto_reader__feed(&r, b.d, b.n, on_frame, &s);
	assert_int_equal(proto_reader__finish(&r, on_frame, &s), -EPROTO);
	assert_int_equal(s.n, 1);
	assert_true(r.st.truncated);
	assert_string_equal(r.truncation, "stream ended inside a frame: 12 of 300 payload bytes");
	proto_reader__free(&r);

	/* Inside the header. */
	b.n = 0;
	frame(&b, KTSTR_MSG_HELLO, "hi", 2);
	b.n = 16 + 2 + 7;
	memcpy(b.d + 18, b.d, 7);
	s.n = 0;
	proto_reader__init(&r);
	proto_reader__feed(&r, b.d, b.n, on_frame, &s);
	assert_int_equal(proto_reader__finish(&r, on_frame, &s), -EPROTO);
	assert_int_equal(s.n, 1);
	assert_string_equal(r.truncation, "stream ended inside a frame header: 7 of 16 bytes");
	proto_reader__free(&r);
}

/* A frame whose length was corrupted hides the frames after it until the end. */
static void test_corrupt_length_recovered_at_end(void **state)
{
	static struct buf b;
	struct ktstr_msg_exit ex = { .code = 0 };
	struct proto_reader r;
	struct seen s = { 0 };

	(void)state;
	b.n = 0;
	frame(&b, KTSTR_MSG_LOG, "abc", 3);
	b.d[8] = 0xff;				/* length 3 -> 255 */
	frame(&b, KTSTR_MSG_EXIT, &ex, sizeof(ex));
	proto_reader__init(&r);
	proto_reader__feed(&r, b.d, b.n, on_frame, &s);
	assert_int_equal(s.n, 0);
	assert_int_equal(proto_reader__finish(&r, on_frame, &s), -EPROTO);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.types[0], KTSTR_MSG_EXIT);
	assert_string_equal(r.truncation, "stream ended inside a frame: 23 of 255 payload bytes");
	proto_reader__free(&r);
}

static int stop_after_one(const struct proto_frame *f, void *arg)
{
	(void)f;
	(*(int *)arg)++;
	return 42;
}

static void test_callback_stops(void **state)
{
	static struct buf b;
	struct proto_reader r;
	int n = 0;

	(void)state;
	b.n = 0;
	conversation(&b);
	proto_reader__init(&r);
	assert_int_equal(proto_reader__feed(&r, b.d, b.n, stop_after_one, &n), 42);
	assert_int_equal(n, 1);
	assert_int_equal(proto_reader__feed(&r, NULL, 0, stop_after_one, &n), 42);
	assert_int_equal(n, 2);
	proto_reader__free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_stream),
		cmocka_unit_test(test_every_split),
		cmocka_unit_test(test_bad_crc),
		cmocka_unit_test(test_bad_version_and_length),
		cmocka_unit_test(test_payload_sizes),
		cmocka_unit_test(test_garbage_between),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_corrupt_length_recovered_at_end),
		cmocka_unit_test(test_callback_stops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
