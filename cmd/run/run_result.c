// SPDX-License-Identifier: GPL-2.0
/* A run's result: what its stage means, and freeing it. */
#include "run_result.h"

#include <stdlib.h>

#include "monitor/monitor_run.h"

const char *run_stage__str(enum run_stage s)
{
	switch (s) {
	case STAGE_NOT_BOOTED:
		return "the guest agent never started: kernel or initramfs problem";
	case STAGE_AGENT_STARTED:
		return "the agent started but the scenario never began: setup failed";
	case STAGE_SCENARIO_STARTED:
		return "the scenario started but never finished";
	case STAGE_SCENARIO_ENDED:
		return "the scenario finished but the agent did not exit";
	case STAGE_EXITED:
		return "the agent finished";
	}
	return "?";
}

void run_result__free(struct run_result *res)
{
	verdict__free(&res->verdict);
	free(res->sched_log);
	res->sched_log = NULL;
	res->sched_log_len = 0;
	free(res->sched_exit);
	res->sched_exit = NULL;
	free(res->steps);
	res->steps = NULL;
	res->nsteps = 0;
	free(res->console_log);
	res->console_log = NULL;
	res->console_log_len = 0;
	mon_series__free(res->monitor.series);
	free(res->monitor.verdict);
	free(res->monitor.summary);
	res->monitor.series = NULL;
	res->monitor.verdict = NULL;
	res->monitor.summary = NULL;
	run_bpf__free(&res->bpf);
}
