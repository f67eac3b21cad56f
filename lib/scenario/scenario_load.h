/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading scenario and scheduler files (YAML, schema v1) into the model.
 * This is the only code in ktstr that knows YAML.
 */
#ifndef KTSTR_SCENARIO_LOAD_H
#define KTSTR_SCENARIO_LOAD_H

#include <stddef.h>

#include "base/diag.h"
#include "scenario.h"

/*
 * Append every scenario in @path (one per YAML document) to @set. Syntax,
 * type, unit and unknown-key errors go to @d as FILE:LINE:COLUMN messages;
 * scenarios with errors are not appended. Returns the number of errors
 * added (0 on success); a file that cannot be read is one error.
 */
int scenario__load_file(struct scenario_set *set, const char *path, struct diag_list *d);
/* The same from a buffer; @name is used in messages and as the file name. */
int scenario__load_buffer(struct scenario_set *set, const char *name, const char *buf, size_t len,
			  struct diag_list *d);

/* Append the scheduler definitions in @path (one per YAML document) to set->scheds. */
int sched_defs__load_file(struct scenario_set *set, const char *path, struct diag_list *d);
int sched_defs__load_buffer(struct scenario_set *set, const char *name, const char *buf,
			    size_t len, struct diag_list *d);

#endif
