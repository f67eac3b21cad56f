// SPDX-License-Identifier: GPL-2.0
/*
 * Finding a scenario's scheduler definition (inline, eevdf, in the set, or
 * in "<dir of the scenario>/schedulers/NAME.yaml" or the one in its parent
 * folder, loaded on first use), and
 * learning a definition's flags from its binary's --list-flags.
 */
#include "scenario_validate_int.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scenario_load.h"

static const struct sched_def *find_def(const struct scenario_set *set, const char *name)
{
	for (size_t i = 0; i < set->nscheds; i++)
		if (set->scheds[i]->name && !strcmp(set->scheds[i]->name, name))
			return set->scheds[i];
	return NULL;
}

/*
 * "<dir of @file>/schedulers" ("schedulers" for a file in the current
 * directory); with @up, the one in the parent of that dir, so that a
 * catalog's category folders share one schedulers/ beside them.
 */
static void sched_dir(const char *file, bool up, char *buf, size_t len)
{
	const char *slash = file ? strrchr(file, '/') : NULL;

	if (!up) {
		if (!slash)
			snprintf(buf, len, "schedulers");
		else
			snprintf(buf, len, "%.*s/schedulers", (int)(slash - file), file);
		return;
	}
	if (!slash)
		snprintf(buf, len, "../schedulers");
	else
		snprintf(buf, len, "%.*s/../schedulers", (int)(slash - file), file);
}

/* The schedulers/ dir that has NAME.yaml: the scenario's own, else its parent's; the own one when neither. */
static void pick_sched_dir(const char *file, const char *name, char *dir, size_t len)
{
	char path[1200];

	sched_dir(file, true, dir, len);
	snprintf(path, sizeof(path), "%s/%s.yaml", dir, name);
	if (!strchr(name, '/') && access(path, F_OK) == 0) {
		sched_dir(file, false, path, sizeof(path));
		snprintf(path + strlen(path), sizeof(path) - strlen(path), "/%s.yaml", name);
		if (access(path, F_OK) != 0)
			return;		/* only the parent's has it */
	}
	sched_dir(file, false, dir, len);
}

/* The record of @path, added (not yet tried) when new; NULL on OOM. */
static struct tried_file *tried_file(struct vstate *vs, const char *path, bool *is_new)
{
	struct tried_file *p;

	*is_new = false;
	for (size_t i = 0; i < vs->ntried; i++)
		if (!strcmp(vs->tried[i].path, path))
			return &vs->tried[i];
	p = realloc(vs->tried, (vs->ntried + 1) * sizeof(*p));
	if (!p)
		return NULL;
	vs->tried = p;
	p[vs->ntried].path = strdup(path);
	p[vs->ntried].failed = false;
	p[vs->ntried].loaded = false;
	if (!p[vs->ntried].path)
		return NULL;
	*is_new = true;
	return &p[vs->ntried++];
}

static void suggest_scheduler(struct vstate *vs, const char *name, const char *dir,
			      char *buf, size_t len)
{
	const char **names = malloc((vs->set->nscheds + 1 + 64) * sizeof(*names));
	char stems[64][128];
	size_t n = 0, nstems = 0;
	const char *pick;
	DIR *dh;

	buf[0] = '\0';
	if (!names)
		return;
	names[n++] = "eevdf";
	for (size_t i = 0; i < vs->set->nscheds; i++)
		names[n++] = vs->set->scheds[i]->name;
	dh = opendir(dir);
	if (dh) {
		struct dirent *e;

		while ((e = readdir(dh)) && nstems < 64) {
			size_t l = strlen(e->d_name);

			if (l <= 5 || l - 5 >= sizeof(stems[0]) || strcmp(e->d_name + l - 5, ".yaml"))
				continue;
			snprintf(stems[nstems], sizeof(stems[0]), "%.*s", (int)(l - 5), e->d_name);
			names[n++] = stems[nstems++];
		}
		closedir(dh);
	}
	pick = diag__suggest(name, names, n);
	if (pick)
		snprintf(buf, len, "; did you mean '%s'?", pick);
	free(names);
}

const struct sched_def *validate__find_scheduler(struct vstate *vs, struct vctx *c)
{
	const struct scenario *sc = c->sc;
	const char *name = sc->sched_name ? sc->sched_name : "eevdf";
	const struct sched_def *def;
	char dir[1024], path[1200], hint[160];
	struct tried_file *tf;
	bool is_new;

	if (sc->sched_inline)
		return sc->sched_inline;
	if (!strcmp(name, "eevdf"))
		return sched_def__eevdf();
	def = find_def(vs->set, name);
	if (def)
		return def;

	pick_sched_dir(sc->file, name, dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/%s.yaml", dir, name);
	/* A name with a '/' would reach outside the schedulers directory. */
	tf = strchr(name, '/') ? NULL : tried_file(vs, path, &is_new);
	if (tf && is_new && access(path, F_OK) == 0) {
		size_t before = vs->d->n;

		if (sched_defs__load_file(vs->set, path, vs->d)) {
			/* Its own errors say what is wrong; do not pile on. */
			c->nerr += (int)(vs->d->n - before);
			tf->failed = true;
			return NULL;
		}
		tf->loaded = true;
		def = find_def(vs->set, name);
		if (def)
			return def;
	}
	if (tf && tf->failed) {
		vctx__report(c, STRUCTURAL, sc->sched_loc, "scheduler '%s': %s has errors",
			     name, path);
		return NULL;
	}
	if (tf && tf->loaded) {
		vctx__report(c, STRUCTURAL, sc->sched_loc,
			     "unknown scheduler '%s': %s does not define it (its 'name' must be '%s')",
			     name, path, name);
		return NULL;
	}
	suggest_scheduler(vs, name, dir, hint, sizeof(hint));
	vctx__report(c, STRUCTURAL, sc->sched_loc,
		     "unknown scheduler '%s': define it in %s or pass --schedulers FILE%s", name,
		     path, hint);
	return NULL;
}

void validate__learn_flags(struct vstate *vs, struct vctx *c, const struct sched_def *def)
{
	struct sched_def *d = (struct sched_def *)def;	/* the set's own */
	char err[768] = "no way to run it here";

	if (!def || !def->flags_from_binary || def->flags_learned)
		return;
	d->flags_learned = true;	/* tried once, whatever the outcome */
	if (!vs->set->learn_flags) {
		d->flags_unknown = true;	/* not ours to run here (check, list) */
		return;
	}
	if (vs->set->learn_flags(vs->set, d, err, sizeof(err)))
		vctx__report(c, STRUCTURAL, def->loc,
			     "scheduler '%s' has flags: from-binary, and its --list-flags could "
			     "not be read: %s", def->name, err);
}
