// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz the host's frame decoder: the input is a byte stream from the guest.
 * The first byte picks a chunk size; the rest is fed in chunks of that size
 * and, to a second reader, in one piece: both must deliver the same frames.
 * Every delivered worker report's arrays are read in full, and every BPF
 * programs frame is decoded as ktstr verifier does.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "run/run_bpf.h"
#include "wire/proto_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct tally {
	uint64_t frames, bytes, sum;
};

static int on_frame(const struct proto_frame *f, void *arg)
{
	struct tally *t = arg;

	t->frames++;
	t->bytes += f->length;
	if (f->type == KTSTR_MSG_BPF_PROGS) {	/* ktstr verifier's decoder over what passed */
		struct run_bpf b = { 0 };

		if (!run_bpf__parse(&b, f->payload, f->length))
			for (size_t i = 0; i < b.nprogs; i++)
				t->sum += strlen(b.progs[i].name) + b.progs[i].verified_insns;
		run_bpf__free(&b);
	}
	if (f->type == KTSTR_MSG_WORKER_REPORT) {
		struct ktstr_msg_worker_report r;
		const uint8_t *lat, *mig;
		uint64_t v;

		proto__worker_report(f, &r, &lat, &mig);
		for (uint32_t i = 0; i < r.nlatencies; i++) {
			memcpy(&v, lat + 8 * i, 8);
			t->sum += v;
		}
		for (uint32_t i = 0; i < r.nmigrations; i++) {
			struct ktstr_migration m;

			memcpy(&m, mig + sizeof(m) * i, sizeof(m));
			t->sum += m.to_cpu;
		}
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proto_reader a, b;
	struct tally ta = { 0 }, tb = { 0 };
	size_t chunk;
	int ra, rb;

	if (!size)
		return 0;
	chunk = (size_t)data[0] + 1;
	data++;
	size--;
	proto_reader__init(&a);
	proto_reader__init(&b);
	for (size_t off = 0; off < size; off += chunk)
		proto_reader__feed(&a, data + off, size - off < chunk ? size - off : chunk, on_frame,
				   &ta);
	ra = proto_reader__finish(&a, on_frame, &ta);
	proto_reader__feed(&b, data, size, on_frame, &tb);
	rb = proto_reader__finish(&b, on_frame, &tb);
	if (ra != rb || ta.frames != tb.frames || ta.bytes != tb.bytes || ta.sum != tb.sum ||
	    a.st.skipped_bytes != b.st.skipped_bytes)
		abort();
	proto_reader__free(&a);
	proto_reader__free(&b);
	return 0;
}
