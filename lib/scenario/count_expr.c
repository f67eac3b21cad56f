// SPDX-License-Identifier: GPL-2.0
/* Count expressions: a recursive-descent parser and an evaluator; see count_expr.h. */
#include "count_expr.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"

enum count_op { N_NUM, N_VAR, N_ADD, N_SUB, N_MUL, N_DIV, N_MIN, N_MAX };

struct count_node {
	enum count_op op;
	uint32_t a, b;			/* operands: node indexes */
	int64_t val;			/* N_NUM: the number; N_VAR: enum count_var */
};

static const char *const var_names[COUNT_VAR_COUNT] = {
	"cpus", "usable", "llcs", "nodes", "cores", "llc_cpus",
};

const char *const *count_var__names(void)
{
	return var_names;
}

void count_vars__of(const struct topology *t, struct count_vars *out)
{
	struct cpuset usable;

	topology__usable_cpus(t, &usable);
	out->v[COUNT_VAR_CPUS] = topology__total_cpus(t);
	out->v[COUNT_VAR_USABLE] = cpuset__count(&usable);
	out->v[COUNT_VAR_LLCS] = t->llcs;
	out->v[COUNT_VAR_NODES] = t->numa_nodes;
	out->v[COUNT_VAR_CORES] = (int64_t)t->llcs * t->cores_per_llc;
	out->v[COUNT_VAR_LLC_CPUS] = topology__cpus_per_llc(t);
}

/* ---- parsing ---- */

/* At most one node per character: the text bounds the tree. */
#define MAX_NODES COUNT_EXPR_MAX_LEN

struct parser {
	const char *s;
	size_t pos;
	unsigned depth;
	struct count_node nodes[MAX_NODES];
	size_t n;
	uint32_t vars;
	struct count_err *err;
};

__attribute__((format(printf, 3, 4)))
static bool fail(struct parser *p, size_t pos, const char *fmt, ...)
{
	va_list ap;

	if (p->err->msg[0])
		return false;	/* the first error only */
	p->err->pos = pos;
	va_start(ap, fmt);
	vsnprintf(p->err->msg, sizeof(p->err->msg), fmt, ap);
	va_end(ap);
	return false;
}

static void skip_space(struct parser *p)
{
	while (p->s[p->pos] == ' ' || p->s[p->pos] == '\t')
		p->pos++;
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* What the token at @pos is, for messages: "')'", "the end". */
static const char *token_name(const struct parser *p, size_t pos, char *buf, size_t len)
{
	unsigned char c = (unsigned char)p->s[pos];

	if (!c)
		return "the end";
	if (c < 0x20 || c >= 0x7f)
		snprintf(buf, len, "byte 0x%02x", c);
	else
		snprintf(buf, len, "'%c'", c);
	return buf;
}

static bool push(struct parser *p, enum count_op op, uint32_t a, uint32_t b, int64_t val,
		 uint32_t *out)
{
	if (p->n == MAX_NODES)
		return fail(p, p->pos, "expression is too complex");
	p->nodes[p->n] = (struct count_node){ op, a, b, val };
	*out = (uint32_t)p->n++;
	return true;
}

static bool expr(struct parser *p, uint32_t *out);

static bool number(struct parser *p, uint32_t *out)
{
	size_t start = p->pos;
	int64_t v = 0;

	while (is_digit(p->s[p->pos])) {
		int d = p->s[p->pos] - '0';

		if (v > (INT64_MAX - d) / 10) {
			while (is_digit(p->s[p->pos]))
				p->pos++;
			return fail(p, start, "number '%.*s' is too large", (int)(p->pos - start),
				    p->s + start);
		}
		v = v * 10 + d;
		p->pos++;
	}
	if (is_alpha(p->s[p->pos])) {
		snprintf(p->err->hint, sizeof(p->err->hint),
			 "; write '*' to multiply, e.g. 2*usable");
		return fail(p, p->pos, "a name right after a number");
	}
	return push(p, N_NUM, 0, 0, v, out);
}

/* min(a, b) or max(a, b); p->pos is at the '('. */
static bool call(struct parser *p, enum count_op op, const char *name, uint32_t *out)
{
	uint32_t a, b;
	char tok[16];

	p->pos++;
	if (!expr(p, &a))
		return false;
	skip_space(p);
	if (p->s[p->pos] != ',')
		return fail(p, p->pos, "expected ',' between the two arguments of %s(a, b), "
			    "found %s", name, token_name(p, p->pos, tok, sizeof(tok)));
	p->pos++;
	if (!expr(p, &b))
		return false;
	skip_space(p);
	if (p->s[p->pos] == ',') {
		snprintf(p->err->hint, sizeof(p->err->hint), "; nest it for more: %s(a, %s(b, c))",
			 name, name);
		return fail(p, p->pos, "%s takes two arguments", name);
	}
	if (p->s[p->pos] != ')')
		return fail(p, p->pos, "expected ')' to close %s(, found %s", name,
			    token_name(p, p->pos, tok, sizeof(tok)));
	p->pos++;
	return push(p, op, a, b, 0, out);
}

static bool name(struct parser *p, uint32_t *out)
{
	static const char *const funcs[] = { "min", "max" };
	size_t start = p->pos, len;
	const char *pick;
	char word[COUNT_EXPR_MAX_LEN + 1];

	while (is_alpha(p->s[p->pos]) || is_digit(p->s[p->pos]))
		p->pos++;
	len = p->pos - start;
	memcpy(word, p->s + start, len);
	word[len] = '\0';
	skip_space(p);
	if (p->s[p->pos] == '(') {
		if (!strcmp(word, "min"))
			return call(p, N_MIN, "min", out);
		if (!strcmp(word, "max"))
			return call(p, N_MAX, "max", out);
		pick = diag__suggest(word, funcs, 2);
		if (pick)
			snprintf(p->err->hint, sizeof(p->err->hint), "; did you mean '%s'?", pick);
		else
			snprintf(p->err->hint, sizeof(p->err->hint), " (functions: min, max)");
		return fail(p, start, "unknown function '%.40s'", word);
	}
	for (int v = 0; v < COUNT_VAR_COUNT; v++) {
		if (strcmp(word, var_names[v]))
			continue;
		p->vars |= 1u << v;
		return push(p, N_VAR, 0, 0, v, out);
	}
	if (!strcmp(word, "min") || !strcmp(word, "max")) {
		snprintf(p->err->hint, sizeof(p->err->hint), "; write %.3s(a, b)", word);
		return fail(p, start, "function '%s' without its arguments", word);
	}
	pick = diag__suggest(word, var_names, COUNT_VAR_COUNT);
	if (pick)
		snprintf(p->err->hint, sizeof(p->err->hint), "; did you mean '%s'?", pick);
	else
		snprintf(p->err->hint, sizeof(p->err->hint),
			 " (a count is an integer, or an expression over cpus, usable, llcs, nodes, "
			 "cores, llc_cpus)");
	return fail(p, start, "unknown variable '%.40s'", word);
}

static bool primary(struct parser *p, uint32_t *out)
{
	char tok[16];

	skip_space(p);
	if (is_digit(p->s[p->pos]))
		return number(p, out);
	if (is_alpha(p->s[p->pos]))
		return name(p, out);
	if (p->s[p->pos] != '(')
		return fail(p, p->pos, "expected a number, a variable or '(', found %s",
			    token_name(p, p->pos, tok, sizeof(tok)));
	p->pos++;
	if (!expr(p, out))
		return false;
	skip_space(p);
	if (p->s[p->pos] != ')')
		return fail(p, p->pos, "expected ')' to close a '(', found %s",
			    token_name(p, p->pos, tok, sizeof(tok)));
	p->pos++;
	return true;
}

static bool term(struct parser *p, uint32_t *out)
{
	uint32_t rhs;

	if (!primary(p, out))
		return false;
	for (;;) {
		char c;

		skip_space(p);
		c = p->s[p->pos];
		if (c != '*' && c != '/')
			return true;
		p->pos++;
		if (!primary(p, &rhs) || !push(p, c == '*' ? N_MUL : N_DIV, *out, rhs, 0, out))
			return false;
	}
}

static bool expr(struct parser *p, uint32_t *out)
{
	uint32_t rhs;

	/* Calls and parentheses recurse through here. */
	if (p->depth > COUNT_EXPR_MAX_DEPTH)
		return fail(p, p->pos, "nested too deeply (at most %d levels)",
			    COUNT_EXPR_MAX_DEPTH);
	p->depth++;
	if (!term(p, out))
		return false;
	for (;;) {
		char c;

		skip_space(p);
		c = p->s[p->pos];
		if (c != '+' && c != '-') {
			p->depth--;
			return true;
		}
		p->pos++;
		if (!term(p, &rhs) || !push(p, c == '+' ? N_ADD : N_SUB, *out, rhs, 0, out))
			return false;
	}
}

int count_expr__parse(const char *s, struct arena *a, const struct count_expr **out,
		      struct count_err *err)
{
	struct parser *p;
	struct count_expr *e;
	struct count_node *nodes;
	size_t len = strlen(s);
	uint32_t root;
	char tok[16];
	int ret = -EINVAL;

	memset(err, 0, sizeof(*err));
	*out = NULL;
	if (len > COUNT_EXPR_MAX_LEN) {
		snprintf(err->msg, sizeof(err->msg), "too long (%zu characters, at most %d)", len,
			 COUNT_EXPR_MAX_LEN);
		return -EINVAL;
	}
	/* The node array is too large for a stack frame in a fuzzer's worker thread. */
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->s = s;
	p->err = err;
	skip_space(p);
	if (!p->s[p->pos]) {
		fail(p, p->pos, "empty");
		goto out;
	}
	if (!expr(p, &root))
		goto out;
	skip_space(p);
	if (p->s[p->pos]) {
		fail(p, p->pos, "expected an operator (+ - * /) or the end, found %s",
		     token_name(p, p->pos, tok, sizeof(tok)));
		goto out;
	}
	ret = -ENOMEM;
	e = arena__alloc(a, sizeof(*e));
	nodes = arena__calloc(a, p->n, sizeof(*nodes));
	if (!e || !nodes || !(e->text = arena__strdup(a, s)))
		goto out;
	memcpy(nodes, p->nodes, p->n * sizeof(*nodes));
	e->nodes = nodes;
	e->nnodes = p->n;
	e->vars = p->vars;
	*out = e;
	ret = 0;
out:
	free(p);
	return ret;
}

/* ---- evaluation ---- */

static int eval_node(const struct count_expr *e, uint32_t i, const struct count_vars *v,
		     int64_t *out, char *err, size_t errlen)
{
	const struct count_node *nd = &e->nodes[i];
	int64_t a, b, r;
	int ret;

	switch (nd->op) {
	case N_NUM:
		*out = nd->val;
		return 0;
	case N_VAR:
		*out = v->v[nd->val];
		return 0;
	default:
		break;
	}
	/* Operands come before their operator: the recursion ends. */
	ret = eval_node(e, nd->a, v, &a, err, errlen);
	if (!ret)
		ret = eval_node(e, nd->b, v, &b, err, errlen);
	if (ret)
		return ret;
	switch (nd->op) {
	case N_ADD:
		if (__builtin_add_overflow(a, b, &r))
			goto overflow;
		break;
	case N_SUB:
		if (__builtin_sub_overflow(a, b, &r))
			goto overflow;
		break;
	case N_MUL:
		if (__builtin_mul_overflow(a, b, &r))
			goto overflow;
		break;
	case N_DIV:
		if (!b) {
			snprintf(err, errlen, "divides by zero");
			return -EDOM;
		}
		if (a == INT64_MIN && b == -1)
			goto overflow;
		r = a / b;
		if (a % b && (a < 0) != (b < 0))
			r--;	/* round down, not towards zero */
		break;
	case N_MIN:
		r = a < b ? a : b;
		break;
	case N_MAX:
		r = a > b ? a : b;
		break;
	default:
		snprintf(err, errlen, "bad expression node");
		return -EINVAL;
	}
	*out = r;
	return 0;
overflow:
	snprintf(err, errlen, "overflows (64-bit integers)");
	return -ERANGE;
}

int count_expr__eval(const struct count_expr *e, const struct count_vars *vars, int64_t *out,
		     char *err, size_t errlen)
{
	if (!e || !e->nnodes) {
		snprintf(err, errlen, "empty expression");
		return -EINVAL;
	}
	return eval_node(e, (uint32_t)(e->nnodes - 1), vars, out, err, errlen);
}
