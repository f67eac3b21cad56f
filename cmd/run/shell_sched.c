// SPDX-License-Identifier: GPL-2.0
/* ktstr shell's scenario from --topology and --scheduler; see shell_sched.h. */
#include "shell_sched.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/diag.h"
#include "sched_find.h"
#include "scenario/scenario_load.h"
#include "scenario/scenario_validate.h"

/* Where a definition S.yaml is looked for, here; then shell_sched_opts.extra_dir. */
static const char *const sched_dirs[] = { "schedulers", "scenarios/schedulers" };

int shell_sched__flags(const struct sched_def *d, const char *list, flag_mask *out, char *err,
		       size_t errlen)
{
	char buf[512], *save = NULL, names[256] = "";
	flag_mask m = 0;

	*out = 0;
	for (size_t i = 0; i < d->nflags; i++)
		snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
			 i ? ", " : "", d->flags[i].name);
	snprintf(buf, sizeof(buf), "%s", list);
	for (char *f = strtok_r(buf, "+,", &save); f; f = strtok_r(NULL, "+,", &save)) {
		int idx = sched_def__flag_index(d, f);

		if (idx < 0 || idx >= SCHED_MAX_FLAGS) {
			snprintf(err, errlen, "scheduler %s has no flag '%s' (%s%s)", d->name, f,
				 d->nflags ? "its flags: " : "it has none", names);
			return -EINVAL;
		}
		m |= (flag_mask)1 << idx;
	}
	for (size_t i = 0; i < d->nflags && i < SCHED_MAX_FLAGS; i++) {
		if (!(m & ((flag_mask)1 << i)))
			continue;
		for (size_t r = 0; r < d->flags[i].nrequires; r++) {
			int idx = sched_def__flag_index(d, d->flags[i].requires[r]);

			if (idx >= 0 && !(m & ((flag_mask)1 << idx))) {
				snprintf(err, errlen, "flag '%s' of scheduler %s requires '%s': give "
					 "both, as in %s:%s+%s", d->flags[i].name, d->name,
					 d->flags[i].requires[r], d->name, d->flags[i].requires[r],
					 d->flags[i].name);
				return -EINVAL;
			}
		}
	}
	*out = m;
	return 0;
}

static bool has_def(const struct scenario_set *set, const char *name)
{
	for (size_t i = 0; i < set->nscheds; i++)
		if (set->scheds[i]->name && !strcmp(set->scheds[i]->name, name))
			return true;
	return false;
}

/* A name goes into the YAML as it is, a path quoted: check they stay what they are. */
static int check_name(const char *name, bool path, char *err, size_t errlen)
{
	for (const char *c = name; *c; c++) {
		bool ok = path ? (*c != '"' && *c != '\\' && (unsigned char)*c >= 0x20) :
			  ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
			   (*c >= '0' && *c <= '9') || strchr("_.-", *c));

		if (!ok) {
			snprintf(err, errlen, "--scheduler '%s': %s", name,
				 path ? "a path without quotes, backslashes or control characters" :
				 "a name is letters, digits, '_', '.' and '-' (or give a path)");
			return -EINVAL;
		}
	}
	if (!*name) {
		snprintf(err, errlen, "--scheduler: no name before ':'");
		return -EINVAL;
	}
	return 0;
}

/* The "scheduler:" line for @name, loading its definition into @s->set when found. */
static int sched_line(struct shell_sched *s, const char *name, const char *extra_dir,
		      char *line, size_t len, struct diag_list *d, char *err, size_t errlen)
{
	char path[PATH_MAX], found[PATH_MAX], why[1024];
	const char *base;
	int ret;

	if (strchr(name, '/')) {
		if ((ret = check_name(name, true, err, errlen)))
			return ret;
		base = strrchr(name, '/') + 1;
		snprintf(line, len, "scheduler: {name: \"%s\", binary: \"%s\"}\n",
			 *base ? base : "scheduler", name);
		return 0;
	}
	if ((ret = check_name(name, false, err, errlen)))
		return ret;
	if (!strcmp(name, "eevdf") || has_def(&s->set, name)) {
		snprintf(line, len, "scheduler: %s\n", name);
		return 0;
	}
	for (size_t i = 0; i <= sizeof(sched_dirs) / sizeof(sched_dirs[0]); i++) {
		const char *dir = i < sizeof(sched_dirs) / sizeof(sched_dirs[0]) ? sched_dirs[i] :
				  extra_dir;

		if (!dir)
			continue;
		snprintf(path, sizeof(path), "%s/%s.yaml", dir, name);
		if (access(path, R_OK))
			continue;
		if (sched_defs__load_file(&s->set, path, d)) {
			snprintf(err, errlen, "--scheduler %s: %s is not a valid definition (above)",
				 name, path);
			return -EINVAL;
		}
		snprintf(line, len, "scheduler: %s\n", name);
		return 0;
	}
	/* No definition: the binary alone, with no arguments. */
	if (sched_find(name, found, sizeof(found), why, sizeof(why))) {
		snprintf(err, errlen, "--scheduler %s: no definition (--schedulers FILE, or %s.yaml "
			 "in ./schedulers or ./scenarios/schedulers%s%s) and %s", name, name,
			 extra_dir ? " or " : "", extra_dir ? extra_dir : "", why);
		return -ENOENT;
	}
	snprintf(line, len, "scheduler: {name: %s, binary: %s}\n", name, name);
	return 0;
}

static int topo_line(const char *arg, char *line, size_t len, char *err, size_t errlen)
{
	const struct topo_preset *p;
	char why[256], name[TOPOLOGY_NAME_MAX];
	struct topology t;

	line[0] = '\0';
	if (!arg)
		return 0;
	p = topo_preset__find(arg);
	if (p) {
		t = p->topo;
	} else if (topology__parse(arg, &t, why, sizeof(why)) ||
		   topology__validate(&t, why, sizeof(why))) {
		snprintf(err, errlen, "--topology %s: %s (give e.g. 1n2l4c1t or a preset name)",
			 arg, why);
		return -EINVAL;
	}
	topology__format(&t, name);
	snprintf(line, len, "topology: %s\n", name);
	return 0;
}

int shell_sched__resolve(const struct shell_sched_opts *o, struct shell_sched *s, char *err,
			 size_t errlen)
{
	char name[256], tline[64], sline[PATH_MAX + 128], yaml[PATH_MAX + 512], prof[160];
	const char *arg = o->sched ? o->sched : "eevdf", *colon = strchr(arg, ':');
	const char *flags = colon ? colon + 1 : "";
	struct diag_list d = { 0 };
	int errors = 0, ret;

	memset(s, 0, sizeof(*s));
	scenario_set__init(&s->set);
	s->loaded = true;
	snprintf(name, sizeof(name), "%.*s", (int)(colon ? (size_t)(colon - arg) : strlen(arg)),
		 arg);
	ret = topo_line(o->topology, tline, sizeof(tline), err, errlen);
	for (size_t i = 0; !ret && i < o->nsched_files; i++)
		errors += sched_defs__load_file(&s->set, o->sched_files[i], &d);
	if (!ret && !errors)
		ret = sched_line(s, name, o->extra_dir, sline, sizeof(sline), &d, err, errlen);
	if (!ret && !errors) {
		/* One step the agent never runs: a scenario must run something. */
		int n = snprintf(yaml, sizeof(yaml), "name: ktstr-shell\n%s%ssteps:\n  - hold: 1s\n",
				 tline, sline);

		errors += scenario__load_buffer(&s->set, "ktstr shell", yaml, (size_t)n, &d);
		s->set.learn_flags = sched_find__learn_flags;	/* flags: from-binary */
		errors += scenario_set__validate(&s->set, &d);
	}
	diag__print(&d, stderr);
	diag__free(&d);
	if (ret)
		return ret;
	if (errors || s->set.n != 1) {
		snprintf(err, errlen, "the scheduler's definition has errors (above)");
		return -EINVAL;
	}
	s->sc = s->set.items[0];
	topology__format(&s->sc->topology, s->topo_name);
	snprintf(s->label, sizeof(s->label), "%s", s->sc->sched->name);
	if (!*flags)
		return 0;
	if (s->sc->sched->eevdf || !s->sc->sched->nflags) {
		snprintf(err, errlen, "--scheduler %s: %s has no flags", arg, s->sc->sched->name);
		return -EINVAL;
	}
	ret = shell_sched__flags(s->sc->sched, flags, &s->profile, err, errlen);
	if (ret)
		return ret;
	sched_profile__name(s->sc->sched, s->profile, prof, sizeof(prof));
	snprintf(s->label, sizeof(s->label), "%s:%s", s->sc->sched->name, prof);
	return 0;
}

void shell_sched__free(struct shell_sched *s)
{
	if (s->loaded)
		scenario_set__free(&s->set);
	s->loaded = false;
	s->sc = NULL;
}
