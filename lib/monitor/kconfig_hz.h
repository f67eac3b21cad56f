/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest kernel's CONFIG_HZ, which the monitor needs to turn "10 ticks"
 * into host nanoseconds (monitor_eval.h's stall rule): from the vmlinux's
 * embedded config (CONFIG_IKCONFIG: the gzipped .config between the symbols
 * kernel_config_data and kernel_config_data_end), else from a .config file,
 * else MON_EVAL_HZ_DEFAULT (250), saying so.
 */
#ifndef KTSTR_MONITOR_KCONFIG_HZ_H
#define KTSTR_MONITOR_KCONFIG_HZ_H

#include <stddef.h>
#include <stdint.h>

/* A gzipped .config larger than this, inflated, is refused (-EFBIG). */
#define KCONFIG_HZ_MAX_TEXT	(8u << 20)

/*
 * CONFIG_HZ in the .config text @text[0..@len): a line "CONFIG_HZ=<n>",
 * 1 <= n <= 100000. Returns n; -ENOENT without such a line; -EINVAL when
 * its value is no such number. Pure.
 */
int kconfig_hz__parse(const char *text, size_t len);

/* The same in @gz[0..@len), a gzip stream (IKCONFIG's); -EINVAL when it does not inflate. */
int kconfig_hz__parse_gzip(const void *gz, size_t len);

/*
 * From @vmlinux's embedded config. -ENOENT (with @err) when it has none
 * (built without CONFIG_IKCONFIG) or no CONFIG_HZ; other -errno with @err.
 */
int kconfig_hz__from_vmlinux(const char *vmlinux, char *err, size_t errlen);

/* From the .config file @path; -errno with @err. */
int kconfig_hz__from_file(const char *path, char *err, size_t errlen);

/*
 * The guest's HZ: @vmlinux's embedded config, then @config (either may be
 * NULL), else MON_EVAL_HZ_DEFAULT. @how (may be NULL) says where it came
 * from, or why it is the default: "CONFIG_HZ=1000 from /x/vmlinux's
 * embedded config", "HZ 250 assumed: /x/vmlinux: no embedded config
 * (CONFIG_IKCONFIG); no .config".
 */
uint32_t kconfig_hz__guest(const char *vmlinux, const char *config, char *how, size_t howlen);

/*
 * kconfig_hz__guest() with the .config beside @vmlinux (a build tree has
 * one; a cache entry has none): what the monitor's callers want.
 */
uint32_t kconfig_hz__beside(const char *vmlinux, char *how, size_t howlen);

#endif
