// SPDX-License-Identifier: GPL-2.0
/* libyaml documents with limits; see yaml_tree.h. */
#include "yaml_tree.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Line and column of a byte offset, for reader errors (which carry no mark). */
static void offset_pos(const struct ytree *t, size_t off, struct ytree_error *e)
{
	size_t line = 1, col = 1;

	if (off > t->len)
		off = t->len;
	for (size_t i = 0; i < off; i++) {
		if (t->buf[i] == '\n') {
			line++;
			col = 1;
		} else if ((t->buf[i] & 0xc0) != 0x80) {
			col++;	/* count characters, not UTF-8 continuation bytes */
		}
	}
	e->line = line > UINT32_MAX ? UINT32_MAX : (uint32_t)line;
	e->col = col > UINT32_MAX ? UINT32_MAX : (uint32_t)col;
}

static uint32_t mark_u32(size_t v)
{
	return v >= UINT32_MAX ? UINT32_MAX : (uint32_t)v + 1;
}

static void parser_error(const struct ytree *t, const yaml_parser_t *p, struct ytree_error *e)
{
	const char *problem = p->problem ? p->problem : "unknown error";

	switch (p->error) {
	case YAML_MEMORY_ERROR:
		snprintf(e->msg, sizeof(e->msg), "out of memory while reading YAML");
		e->line = e->col = 0;
		return;
	case YAML_READER_ERROR:
		offset_pos(t, p->problem_offset, e);
		if (p->problem_value >= 0)
			snprintf(e->msg, sizeof(e->msg), "not valid YAML text: %s (byte 0x%02x)",
				 problem, (unsigned)p->problem_value);
		else
			snprintf(e->msg, sizeof(e->msg), "not valid YAML text: %s", problem);
		return;
	default:
		break;
	}
	e->line = mark_u32(p->problem_mark.line);
	e->col = mark_u32(p->problem_mark.column);
	if (p->context)
		snprintf(e->msg, sizeof(e->msg), "YAML syntax error: %s (%s at line %u, column %u)",
			 problem, p->context, mark_u32(p->context_mark.line),
			 mark_u32(p->context_mark.column));
	else
		snprintf(e->msg, sizeof(e->msg), "YAML syntax error: %s", problem);
}

/* One pass over the events: count complete documents, enforce the limits. */
static void prescan(struct ytree *t)
{
	yaml_parser_t p;
	yaml_event_t ev;
	size_t depth = 0, anchors = 0;

	if (!yaml_parser_initialize(&p)) {
		t->scan_failed = true;
		snprintf(t->scan_err.msg, sizeof(t->scan_err.msg), "out of memory while reading YAML");
		return;
	}
	yaml_parser_set_input_string(&p, t->buf, t->len);
	for (;;) {
		const char *anchor = NULL;
		bool stop = false;

		if (!yaml_parser_parse(&p, &ev)) {
			t->scan_failed = true;
			parser_error(t, &p, &t->scan_err);
			break;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			stop = true;
			break;
		case YAML_DOCUMENT_START_EVENT:
			anchors = 0;
			break;
		case YAML_DOCUMENT_END_EVENT:
			t->docs_ok++;
			break;
		case YAML_SCALAR_EVENT:
			anchor = (const char *)ev.data.scalar.anchor;
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			anchor = ev.type == YAML_SEQUENCE_START_EVENT
					 ? (const char *)ev.data.sequence_start.anchor
					 : (const char *)ev.data.mapping_start.anchor;
			if (++depth > YTREE_MAX_DEPTH) {
				t->scan_failed = true;
				t->scan_err.line = mark_u32(ev.start_mark.line);
				t->scan_err.col = mark_u32(ev.start_mark.column);
				snprintf(t->scan_err.msg, sizeof(t->scan_err.msg),
					 "nesting deeper than %d levels", YTREE_MAX_DEPTH);
				stop = true;
			}
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		default:
			break;
		}
		/* libyaml resolves each alias by a linear search over the anchors. */
		if (anchor && ++anchors > YTREE_MAX_ANCHORS && !stop) {
			t->scan_failed = true;
			t->scan_err.line = mark_u32(ev.start_mark.line);
			t->scan_err.col = mark_u32(ev.start_mark.column);
			snprintf(t->scan_err.msg, sizeof(t->scan_err.msg),
				 "more than %d anchors in one document", YTREE_MAX_ANCHORS);
			stop = true;
		}
		yaml_event_delete(&ev);
		if (stop)
			break;
	}
	yaml_parser_delete(&p);
}

int ytree__open(struct ytree *t, const char *buf, size_t len, size_t budget)
{
	memset(t, 0, sizeof(*t));
	t->buf = (const unsigned char *)buf;
	t->len = len;
	t->budget = budget;
	if (!yaml_parser_initialize(&t->parser))
		return -ENOMEM;
	yaml_parser_set_input_string(&t->parser, t->buf, len);
	prescan(t);
	return 0;
}

static void drop_doc(struct ytree *t)
{
	if (t->have_doc) {
		yaml_document_delete(&t->doc);
		t->have_doc = false;
	}
}

int ytree__next(struct ytree *t, struct ytree_error *err)
{
	drop_doc(t);
	if (t->done)
		return 0;
	if (t->docs_read < t->docs_ok) {
		if (!yaml_parser_load(&t->parser, &t->doc)) {
			/* e.g. an undefined alias, which only the composer sees */
			parser_error(t, &t->parser, err);
			t->done = true;
			return -1;
		}
		t->have_doc = true;
		t->docs_read++;
		if (yaml_document_get_root_node(&t->doc))
			return 1;
		drop_doc(t);
	}
	t->done = true;
	if (t->scan_failed) {
		*err = t->scan_err;
		return -1;
	}
	return 0;
}

void ytree__close(struct ytree *t)
{
	drop_doc(t);
	yaml_parser_delete(&t->parser);
}

yaml_node_t *ytree__root(struct ytree *t)
{
	return t->have_doc ? yaml_document_get_root_node(&t->doc) : NULL;
}

enum ynode_kind ytree__kind(const yaml_node_t *n)
{
	if (!n)
		return YNODE_NONE;
	switch (n->type) {
	case YAML_SCALAR_NODE: return YNODE_SCALAR;
	case YAML_SEQUENCE_NODE: return YNODE_SEQ;
	case YAML_MAPPING_NODE: return YNODE_MAP;
	default: return YNODE_NONE;
	}
}

const char *ytree__scalar(const yaml_node_t *n, size_t *len)
{
	if (!n || n->type != YAML_SCALAR_NODE) {
		if (len)
			*len = 0;
		return NULL;
	}
	if (len)
		*len = n->data.scalar.length;
	return (const char *)n->data.scalar.value;
}

bool ytree__plain(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

uint32_t ytree__line(const yaml_node_t *n)
{
	return n ? mark_u32(n->start_mark.line) : 0;
}

uint32_t ytree__col(const yaml_node_t *n)
{
	return n ? mark_u32(n->start_mark.column) : 0;
}

static bool visit(struct ytree *t)
{
	if (t->visits >= t->budget) {
		t->exhausted = true;
		return false;
	}
	t->visits++;
	return true;
}

size_t ytree__seq_len(const yaml_node_t *n)
{
	if (!n || n->type != YAML_SEQUENCE_NODE)
		return 0;
	return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
}

yaml_node_t *ytree__seq_at(struct ytree *t, const yaml_node_t *n, size_t i)
{
	if (i >= ytree__seq_len(n) || !visit(t))
		return NULL;
	return yaml_document_get_node(&t->doc, n->data.sequence.items.start[i]);
}

size_t ytree__map_len(const yaml_node_t *n)
{
	if (!n || n->type != YAML_MAPPING_NODE)
		return 0;
	return (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
}

bool ytree__map_at(struct ytree *t, const yaml_node_t *n, size_t i, yaml_node_t **key,
		   yaml_node_t **value)
{
	if (i >= ytree__map_len(n) || !visit(t))
		return false;
	*key = yaml_document_get_node(&t->doc, n->data.mapping.pairs.start[i].key);
	*value = yaml_document_get_node(&t->doc, n->data.mapping.pairs.start[i].value);
	return *key && *value;
}

bool ytree__charge(struct ytree *t, size_t n)
{
	if (n > t->budget - t->visits) {
		t->exhausted = true;
		return false;
	}
	t->visits += n;
	return true;
}

bool ytree__exhausted(const struct ytree *t)
{
	return t->exhausted;
}
