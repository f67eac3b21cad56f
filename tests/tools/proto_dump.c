// SPDX-License-Identifier: GPL-2.0
/*
 * proto_dump FILE: decode an agent frame stream with the host's reader and
 * print one line per frame, then a summary line; exit 0 when the stream
 * was clean, 1 when it had garbage or ended inside a frame, 2 on usage.
 *
 *   hello "ktstr-agent ..."
 *   step index=0 elapsed_ms=1 nops=0 ncgroups=1 nworkers=2 status=0
 *   worker_report cgroup=cg0 step=backdrop group=0 pid=12 type=0 exit=0/0 ...
 *   end frames=7 skipped=0 bad_crc=0 truncated=no
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "wire/proto_reader.h"

static void print_text(const struct proto_frame *f)
{
	putchar('"');
	for (uint32_t i = 0; i < f->length; i++) {
		unsigned char c = f->payload[i];

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void print_step_index(uint32_t s)
{
	if (s == UINT32_MAX)
		fputs("backdrop", stdout);
	else
		printf("%u", s);
}

static void print_report(const struct proto_frame *f)
{
	struct ktstr_msg_worker_report r;
	unsigned ncpus = 0;

	proto__worker_report(f, &r, NULL, NULL);
	for (size_t i = 0; i < KTSTR_MAX_CPUS_WIRE / 64; i++)
		ncpus += (unsigned)__builtin_popcountll(r.cpus_used[i]);
	printf(" cgroup=%.*s step=", KTSTR_NAME_MAX, r.cgroup[0] ? r.cgroup : "-");
	print_step_index(r.step);
	printf(" group=%u pid=%d type=%u exit=%u/%d work_units=%" PRIu64 " iterations=%" PRIu64
	       " cpu_ms=%" PRIu64 " wall_ms=%" PRIu64 " max_gap_ms=%" PRIu64 " cpus_used=%u"
	       " migrations=%u latencies=%u",
	       r.group, r.pid, r.work_type, r.exit_kind, r.exit_value, r.work_units, r.iterations,
	       r.cpu_time_ns / 1000000, r.wall_time_ns / 1000000, r.max_gap_ns / 1000000, ncpus,
	       r.migration_count, r.nlatencies);
}

static int on_frame(const struct proto_frame *f, void *arg)
{
	(void)arg;
	fputs(proto__type_name(f->type), stdout);
	switch (f->type) {
	case KTSTR_MSG_HELLO:
	case KTSTR_MSG_LOG:
	case KTSTR_MSG_ERROR:
	case KTSTR_MSG_TOPOLOGY:
		putchar(' ');
		print_text(f);
		break;
	case KTSTR_MSG_SCENARIO_START: {
		struct ktstr_msg_scenario_start m;

		memcpy(&m, f->payload, sizeof(m));
		printf(" ncpus=%u nsteps=%u", m.ncpus, m.nsteps);
		break;
	}
	case KTSTR_MSG_STEP: {
		struct ktstr_msg_step m;

		memcpy(&m, f->payload, sizeof(m));
		fputs(" index=", stdout);
		print_step_index(m.index);
		printf(" elapsed_ms=%u nops=%u ncgroups=%u nworkers=%u status=%u", m.elapsed_ms,
		       m.nops, m.ncgroups, m.nworkers, m.status);
		break;
	}
	case KTSTR_MSG_WORKER_REPORT:
		print_report(f);
		break;
	case KTSTR_MSG_SCENARIO_END: {
		struct ktstr_msg_scenario_end m;

		memcpy(&m, f->payload, sizeof(m));
		printf(" elapsed_ms=%u status=%d", m.elapsed_ms, m.status);
		break;
	}
	case KTSTR_MSG_SCHED_EXIT: {
		struct ktstr_msg_sched_exit m;
		struct proto_frame t = *f;

		memcpy(&m, f->payload, sizeof(m));
		printf(" pid=%d exit=%d/%d elapsed_ms=%u ", m.pid, m.exit_kind, m.exit_value,
		       m.elapsed_ms);
		t.payload += sizeof(m);
		t.length -= sizeof(m);
		print_text(&t);
		break;
	}
	case KTSTR_MSG_EXIT: {
		struct ktstr_msg_exit m;

		memcpy(&m, f->payload, sizeof(m));
		printf(" code=%d", m.code);
		break;
	}
	default:
		printf(" length=%u", f->length);
	}
	putchar('\n');
	return 0;
}

int main(int argc, char **argv)
{
	struct proto_reader r;
	unsigned char buf[65536];
	size_t n;
	FILE *f;
	int ret;

	if (argc != 2) {
		fprintf(stderr, "usage: proto_dump FILE\n");
		return 2;
	}
	f = strcmp(argv[1], "-") ? fopen(argv[1], "rb") : stdin;
	if (!f) {
		fprintf(stderr, "proto_dump: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	proto_reader__init(&r);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		if (proto_reader__feed(&r, buf, n, on_frame, NULL) == -ENOMEM) {
			fprintf(stderr, "proto_dump: out of memory\n");
			return 2;
		}
	ret = proto_reader__finish(&r, on_frame, NULL);
	printf("end frames=%" PRIu64 " skipped=%" PRIu64 " bad_crc=%" PRIu64 " truncated=%s\n",
	       r.st.frames, r.st.skipped_bytes, r.st.bad_crc, r.st.truncated ? "yes" : "no");
	if (r.first_error[0])
		printf("error %s\n", r.first_error);
	if (r.st.truncated)
		printf("error %s\n", r.truncation);
	if (f != stdin)
		fclose(f);
	proto_reader__free(&r);
	return ret || r.st.skipped_bytes ? 1 : 0;
}
