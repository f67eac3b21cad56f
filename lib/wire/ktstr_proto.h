/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lib/wire: what the host and the guest agent must agree on, byte for byte:
 * this frame protocol, the work-type catalog (workload.h) and the plan format
 * (plan_format.h), and the host's frame reader (proto_reader.h). The room may
 * include lib/base, but only from its .c files: the agent compiles these
 * headers with lib/wire as its only include path besides its own, so they
 * include nothing outside lib/wire.
 */

/*
 * The wire protocol between the guest agent and the host, over virtio-serial
 * ports (and, line-based, over COM2 as a fallback).
 *
 * Both sides compile this header: it holds only types and constants, no
 * code. Everything is little-endian with fixed-width fields (the guest is
 * x86_64; a host on another architecture must still decode it explicitly).
 *
 * A stream is a sequence of frames. Each frame is a 16-byte header followed by
 * `length` payload bytes whose zlib crc32 is `crc32`. A reader must survive a
 * truncated last frame (the guest may die mid-write) and garbage: it resyncs
 * by scanning for the magic, and reports what it skipped.
 */
#ifndef KTSTR_PROTO_H
#define KTSTR_PROTO_H

#include <stdint.h>

#define KTSTR_PROTO_MAGIC	0x5253544bu	/* "KTSR" as little-endian bytes */
#define KTSTR_PROTO_VERSION	1
#define KTSTR_FRAME_MAX		(1u << 20)	/* largest payload a reader accepts */

/* Names of the virtio-serial ports (/sys/class/virtio-ports/ * /name). */
#define KTSTR_PORT_RESULTS	"org.ktstr.results"	/* guest -> host: frames */
#define KTSTR_PORT_CONTROL	"org.ktstr.control"	/* host -> guest: frames */
#define KTSTR_PORT_SCHED	"org.ktstr.sched"	/* guest -> host: scheduler output, raw */

struct ktstr_frame_hdr {
	uint32_t magic;
	uint16_t version;
	uint16_t type;		/* enum ktstr_msg */
	uint32_t length;	/* payload bytes, <= KTSTR_FRAME_MAX */
	uint32_t crc32;		/* zlib crc32 of the payload */
} __attribute__((packed));

_Static_assert(sizeof(struct ktstr_frame_hdr) == 16, "frame header is 16 bytes");

enum ktstr_msg {
	/* guest -> host */
	KTSTR_MSG_HELLO = 1,		/* agent is up: text, agent version */
	KTSTR_MSG_SCENARIO_START = 2,	/* struct ktstr_msg_scenario_start */
	KTSTR_MSG_STEP = 3,		/* struct ktstr_msg_step */
	KTSTR_MSG_WORKER_REPORT = 4,	/* struct ktstr_msg_worker_report + arrays */
	KTSTR_MSG_LOG = 5,		/* text: an agent log line */
	KTSTR_MSG_ERROR = 6,		/* text: the scenario could not run, and why */
	KTSTR_MSG_SCENARIO_END = 7,	/* struct ktstr_msg_scenario_end */
	KTSTR_MSG_SCHED_EXIT = 8,	/* struct ktstr_msg_sched_exit + text (format below) */
	KTSTR_MSG_EXIT = 9,		/* struct ktstr_msg_exit: the agent's last word */
	KTSTR_MSG_TOPOLOGY = 10,	/* text: the guest's topology in sysfs (format below) */
	KTSTR_MSG_BPF_PROGS = 11,	/* struct ktstr_msg_bpf_progs + records (below) */
	/* host -> guest */
	KTSTR_MSG_SHUTDOWN = 64,	/* stop now: collect what you can and exit */
	KTSTR_MSG_DUMP = 65,		/* trigger the sched_ext debug dump */
};

#define KTSTR_NAME_MAX 128		/* cgroup and program names, NUL-padded */

struct ktstr_msg_scenario_start {
	uint64_t monotonic_ns;		/* guest CLOCK_MONOTONIC at start */
	uint32_t ncpus;			/* online CPUs the guest sees */
	uint32_t nsteps;
} __attribute__((packed));

struct ktstr_msg_step {
	uint32_t index;			/* 0-based step, or UINT32_MAX for the backdrop */
	uint32_t elapsed_ms;		/* since scenario start */
	uint32_t nops;
	uint32_t ncgroups;		/* live after the step's setup */
	uint32_t nworkers;
	uint32_t status;		/* 0 ok, else an errno; details follow in a LOG/ERROR */
} __attribute__((packed));

/* How a worker ended. */
enum ktstr_worker_exit {
	KTSTR_WORKER_COMPLETED = 0,	/* stopped on request and reported */
	KTSTR_WORKER_EXITED = 1,	/* exited on its own: exit_value = status */
	KTSTR_WORKER_SIGNALED = 2,	/* killed: exit_value = signal */
	KTSTR_WORKER_TIMED_OUT = 3,	/* no report by the deadline; killed */
	KTSTR_WORKER_LOST = 4,		/* waitpid failed */
};

#define KTSTR_MAX_CPUS_WIRE 256		/* bitmap width for cpus_used */
#define KTSTR_REPORT_MAX_LATENCIES 4096	/* wake-latency samples per report (reservoir) */
#define KTSTR_REPORT_MAX_MIGRATIONS 256	/* first N migrations kept */
#define KTSTR_REPORT_MAX_NODES 64

struct ktstr_migration {
	uint64_t at_ns;			/* since the worker started */
	uint16_t from_cpu, to_cpu;
	uint32_t pad;
} __attribute__((packed));

/*
 * One worker's report. Followed on the wire by nlatencies uint64_t samples
 * (ns) and then nmigrations struct ktstr_migration. A reader must check that
 * length == sizeof(struct) + the arrays exactly.
 */
struct ktstr_msg_worker_report {
	char cgroup[KTSTR_NAME_MAX];	/* relative to the ktstr cgroup root; "" = root */
	uint32_t step;			/* step that spawned it, UINT32_MAX = backdrop */
	uint32_t group;			/* index of its work group in the cgroup */
	int32_t pid;
	uint16_t work_type;		/* enum work_type numbering (lib/wire/workload.h) */
	uint16_t exit_kind;		/* enum ktstr_worker_exit */
	int32_t exit_value;
	uint32_t flags;			/* KTSTR_REPORT_F_* */
	uint64_t work_units;
	uint64_t iterations;
	uint64_t cpu_time_ns;
	uint64_t wall_time_ns;
	uint64_t off_cpu_ns;		/* wall - cpu */
	uint64_t max_gap_ns;
	uint64_t max_gap_at_ns;		/* since the worker started */
	uint32_t max_gap_cpu;
	uint32_t migration_count;
	uint64_t cpus_used[KTSTR_MAX_CPUS_WIRE / 64];
	uint64_t schedstat_run_delay_ns;
	uint64_t schedstat_run_count;
	uint64_t schedstat_cpu_time_ns;
	uint64_t wake_sample_total;	/* samples seen; nlatencies were kept */
	uint64_t numa_pages[KTSTR_REPORT_MAX_NODES];
	uint64_t vmstat_numa_pages_migrated;
	uint32_t nlatencies;		/* <= KTSTR_REPORT_MAX_LATENCIES */
	uint32_t nmigrations;		/* <= KTSTR_REPORT_MAX_MIGRATIONS */
} __attribute__((packed));

#define KTSTR_REPORT_F_MESSENGER (1u << 0)	/* fan-out messenger, not a receiver */
#define KTSTR_REPORT_F_EXEC      (1u << 1)	/* exec worker: exit status is its result */
#define KTSTR_REPORT_F_EXEC_SIGNALED (1u << 2)	/* ...killed by signal exit_value instead */
#define KTSTR_REPORT_F_EXEC_STOPPED (1u << 3)	/* ...still running at stop; the worker ended it */
#define KTSTR_REPORT_F_AFFINITY_FAILED (1u << 4)	/* sched_setaffinity failed; ran unpinned */
#define KTSTR_REPORT_F_POLICY_FAILED (1u << 5)	/* sched_setscheduler/nice failed (e.g. EPERM) */
#define KTSTR_REPORT_F_MEMPOL_FAILED (1u << 6)	/* set_mempolicy failed */

struct ktstr_msg_scenario_end {
	uint32_t elapsed_ms;
	int32_t status;			/* 0 ran to the end, else an errno */
} __attribute__((packed));

/*
 * KTSTR_MSG_SCHED_EXIT: the scheduler died or sched_ext disabled it (written
 * by the agent's watcher, initramfs/agent/sched_proc.c; parsed by the host,
 * cmd/run). The struct is followed by text: "key: value" lines, then
 * sections each opened by a "--- NAME ---" line:
 *
 *   event: died | disabled | not-attached | died-before-attach | running
 *          (running: still attached at the end; sent only after a
 *          KTSTR_MSG_DUMP, to carry the dump)
 *   reason: runnable task stall            (the kernel's exit reason, or empty)
 *   message: kworker/1:2[45] failed to run for 3.120s   (the kernel's message)
 *   exit: exited with code 1 | killed by signal 12 (SIGUSR2) | still running
 *   state: disabled                        (/sys/kernel/sched_ext/state)
 *   restart: restart_scheduler at step 2   (only when it failed to come back
 *                                           after that op)
 *   --- kernel log ---                     (sched_ext lines of /dev/kmsg)
 *   --- sched_ext dump ---                 (the sched_ext_dump tracepoint)
 *   --- scheduler log ---                  (the last lines of its output)
 */
struct ktstr_msg_sched_exit {
	int32_t pid;
	int32_t exit_kind;		/* as enum ktstr_worker_exit */
	int32_t exit_value;
	uint32_t elapsed_ms;		/* since scenario start */
	/* followed by the text above */
} __attribute__((packed));

/*
 * A KTSTR_MSG_LOG line the host reads for its timeline: the scheduler is
 * back after a restart_scheduler op of step STEP (0-based, as in
 * struct ktstr_msg_step), DOWN_MS after sched_ext had disabled it.
 */
#define KTSTR_LOG_SCHED_RESTARTED "scheduler restarted: step %u down_ms %u pid %d"

struct ktstr_msg_exit {
	int32_t code;			/* 0 ran to the end; else failed */
} __attribute__((packed));

/*
 * KTSTR_MSG_TOPOLOGY: what the guest's kernel reports in sysfs, sent once,
 * right after HELLO (written by initramfs/agent/topo_report.c; parsed and
 * compared with the scenario's topology by the host, lib/topo/topo_guest.h).
 * Text, one line per online CPU and per online NUMA node, '\n'-terminated,
 * fields separated by one space, '-' for a file that is missing, empty or
 * not what it should be:
 *
 *   cpu N PKG DIE CORE SIBLINGS L3
 *   node N CPULIST DIST,DIST,...
 *
 * from /sys/devices/system/cpu/cpuN/topology/{physical_package_id, die_id,
 * core_id, thread_siblings_list}, the shared_cpu_list of the cpuN/cache/
 * index* whose level is 3, and /sys/devices/system/node/nodeN/{cpulist,
 * distance} (the distances to every online node, in node order, comma-
 * separated). Numbers are decimal; lists are CPU lists ("0-2,6"). At most
 * KTSTR_TOPO_MAX_CPUS CPU lines (CPUs 0 to 255) and KTSTR_TOPO_MAX_NODES node
 * lines, each line at most KTSTR_TOPO_LINE_MAX bytes with its '\n'; a list
 * longer than KTSTR_TOPO_LIST_MAX is sent as '-'. Example, 1n2l3c1t:
 *
 *   cpu 0 0 0 0 0 0-2
 *   cpu 3 1 0 0 3 3-5
 *   node 0 0-5 10
 */
#define KTSTR_TOPO_MAX_CPUS	256
#define KTSTR_TOPO_MAX_NODES	64
#define KTSTR_TOPO_LINE_MAX	4096
#define KTSTR_TOPO_LIST_MAX	1024

/*
 * KTSTR_MSG_BPF_PROGS: the BPF programs loaded in the guest, as the kernel
 * reports them (BPF_PROG_GET_NEXT_ID, BPF_OBJ_GET_INFO_BY_FD), sent only when
 * the plan has a "bpf-progs" record (ktstr verifier): once right after the
 * scheduler attached and again at the scenario's end while it still is
 * (initramfs/agent/bpf_progs.c; read by cmd/run/run_bpf.c). The struct is
 * followed by exactly nprogs struct ktstr_bpf_prog. A host of an older
 * protocol counts the type as unknown and goes on: adding it needs no
 * version bump.
 */
#define KTSTR_BPF_PROGS_MAX	256	/* records in one frame */
#define KTSTR_BPF_NAME_LEN	16	/* BPF_OBJ_NAME_LEN: the kernel keeps 15 chars */

struct ktstr_msg_bpf_progs {
	int32_t status;			/* 0, or the errno that ended the walk (EPERM, ...) */
	uint32_t nprogs;		/* records that follow, <= KTSTR_BPF_PROGS_MAX */
	uint32_t total;			/* programs seen; more than nprogs when capped */
	uint32_t stats_enabled;		/* kernel.bpf_stats_enabled was 1: run_* count */
} __attribute__((packed));

#define KTSTR_BPF_F_VERIFIED	(1u << 0)	/* the kernel has verified_insns (5.16+) */

struct ktstr_bpf_prog {
	uint32_t id;
	uint32_t type;			/* enum bpf_prog_type (linux/bpf.h) */
	char name[KTSTR_BPF_NAME_LEN];	/* NUL-padded, not always NUL-terminated */
	uint32_t verified_insns;	/* instructions the verifier processed */
	uint32_t xlated_len;		/* bytes of the translated program */
	uint32_t jited_len;		/* bytes of native code; 0 without the JIT */
	uint32_t nr_map_ids;		/* maps it uses */
	uint64_t run_time_ns;		/* with stats_enabled */
	uint64_t run_cnt;
	uint64_t recursion_misses;
	uint32_t flags;			/* KTSTR_BPF_F_* */
	uint32_t pad;
} __attribute__((packed));

_Static_assert(sizeof(struct ktstr_bpf_prog) == 72, "a BPF program record is 72 bytes");

/* COM2 fallback: plain lines, for kernels without a virtio console. */
#define KTSTR_COM2_STARTED	"KTSTR_AGENT_STARTED"
#define KTSTR_COM2_EXIT_PREFIX	"KTSTR_EXIT="
#define KTSTR_COM2_EXIT_FMT	KTSTR_COM2_EXIT_PREFIX "%d"
#define KTSTR_COM2_ERROR_FMT	"KTSTR_ERROR=%s"

#endif
