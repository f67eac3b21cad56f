/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's CPU topology as its kernel reports it in sysfs: one
 * KTSTR_MSG_TOPOLOGY frame (format in lib/wire/ktstr_proto.h), sent once
 * right after HELLO. The host compares it with the scenario's topology.
 */
#ifndef KTSTR_AGENT_TOPO_REPORT_H
#define KTSTR_AGENT_TOPO_REPORT_H

#include <stddef.h>

#include "proto_out.h"

/*
 * The frame's text from the sysfs tree at @sysfs ("/sys", or a stand-in in
 * tests): malloc'd into *@text, its length in *@len. Files that cannot be
 * read become '-'. Returns 0 or -ENOMEM.
 */
int topo_report__build(const char *sysfs, char **text, size_t *len);

/* Build it from @sysfs and send it on @out. Returns 0 or -errno. */
int topo_report__send(struct proto_out *out, const char *sysfs);

#endif
