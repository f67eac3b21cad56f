// SPDX-License-Identifier: GPL-2.0
/* The plan's shell-mode records (plan_format.h): shell, shell-cmd, shell-env, shell-size. */
#include <stdlib.h>
#include <string.h>

#include "plan_read_int.h"

/* The mode comes first; the others belong to it. */
static int pp__shell_mode(struct pp *s, struct plan_shell *sh)
{
	int ret;

	if ((ret = pp__args(s, 1)))
		return ret;
	if (sh->mode)
		return pp__fail(s, "a second 'shell'");
	if (!strcmp(s->tok[1], "tty"))
		sh->mode = PLAN_SHELL_TTY;
	else if (!strcmp(s->tok[1], "cmd"))
		sh->mode = PLAN_SHELL_CMD;
	else if (!strcmp(s->tok[1], "script"))
		sh->mode = PLAN_SHELL_SCRIPT;
	else
		return pp__fail(s, "a shell is 'tty', 'cmd' or 'script', not '%.40s'", s->tok[1]);
	return 0;
}

int pp__shell(struct pp *s, const char *k)
{
	struct plan_shell *sh = &s->p->shell;
	int ret;

	if (!strcmp(k, "shell"))
		return pp__shell_mode(s, sh);
	if (!sh->mode)
		return pp__fail(s, "'%.40s' before 'shell'", k);
	if (!strcmp(k, "shell-cmd")) {
		if ((ret = pp__args(s, 1)))
			return ret;
		if (sh->mode != PLAN_SHELL_CMD)
			return pp__fail(s, "'shell-cmd' without 'shell cmd'");
		if (sh->cmd)
			return pp__fail(s, "a second 'shell-cmd'");
		return pp__str(s, s->tok[1], false, &sh->cmd);
	}
	if (!strcmp(k, "shell-env")) {
		if ((ret = pp__args(s, 1)))
			return ret;
		/* "NAME=VALUE" with a NAME: checked after decoding. */
		ret = pp__argv_push(s, &sh->env, &sh->nenv, PLAN_MAX_SHELL_ENV, s->tok[1]);
		if (!ret && (sh->env[sh->nenv - 1][0] == '=' || !strchr(sh->env[sh->nenv - 1], '=')))
			return pp__fail(s, "shell-env '%.40s' is not NAME=VALUE",
					sh->env[sh->nenv - 1]);
		return ret;
	}
	if (!strcmp(k, "shell-size")) {
		if ((ret = pp__args(s, 2)) ||
		    (ret = pp__u32(s, s->tok[1], 10000, &sh->rows)) ||
		    (ret = pp__u32(s, s->tok[2], 10000, &sh->cols)))
			return ret;
		return 0;
	}
	return pp__fail(s, "unknown record '%.40s'", k);
}

void plan_shell__free(struct plan_shell *sh)
{
	free(sh->cmd);
	for (size_t i = 0; i < sh->nenv; i++)
		free(sh->env[i]);
	free(sh->env);
	memset(sh, 0, sizeof(*sh));
}
