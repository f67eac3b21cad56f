/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A thin layer over libyaml's document API for the scenario loader: node
 * kinds, scalar text, map and sequence access, 1-based positions, and
 * multi-document streams.
 *
 * Hostile input: the stream is scanned once up front with the event API so
 * that nesting deeper than YTREE_MAX_DEPTH or too many anchors is an error
 * before any document is built. Aliases make a document a graph (libyaml
 * even allows `&a [*a]`), so every child access is charged against a visit
 * budget; when it runs out the accessors return NULL and
 * ytree__exhausted() says so, which turns "billion laughs" into an error.
 */
#ifndef KTSTR_YAML_TREE_H
#define KTSTR_YAML_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

#define YTREE_MAX_DEPTH 64
#define YTREE_MAX_ANCHORS 256

enum ynode_kind { YNODE_NONE, YNODE_SCALAR, YNODE_SEQ, YNODE_MAP };

struct ytree_error {
	char msg[320];
	uint32_t line, col;	/* 1-based; line 0 = unknown */
};

struct ytree {
	yaml_parser_t parser;
	yaml_document_t doc;
	bool have_doc, done;
	size_t docs_ok;		/* complete documents before any stream error */
	size_t docs_read;
	bool scan_failed;
	struct ytree_error scan_err;
	size_t visits, budget;	/* the budget covers the whole stream */
	bool exhausted;
	const unsigned char *buf;
	size_t len;
};

/* @buf must outlive @t. Returns 0, or -ENOMEM. */
int ytree__open(struct ytree *t, const char *buf, size_t len, size_t budget);
/*
 * Load the next document: 1 when there is one (ytree__root), 0 at the end of
 * the stream, -1 on a syntax or limit error (in @err; the stream ends there).
 * Documents before the error are returned first.
 */
int ytree__next(struct ytree *t, struct ytree_error *err);
void ytree__close(struct ytree *t);

yaml_node_t *ytree__root(struct ytree *t);
enum ynode_kind ytree__kind(const yaml_node_t *n);
/* Scalar text (NUL-terminated; @len, when given, may show embedded NULs). */
const char *ytree__scalar(const yaml_node_t *n, size_t *len);
/* A plain (unquoted) scalar: only those can mean null or true/false. */
bool ytree__plain(const yaml_node_t *n);
uint32_t ytree__line(const yaml_node_t *n);
uint32_t ytree__col(const yaml_node_t *n);

size_t ytree__seq_len(const yaml_node_t *n);
/* NULL when out of range or over budget. */
yaml_node_t *ytree__seq_at(struct ytree *t, const yaml_node_t *n, size_t i);
size_t ytree__map_len(const yaml_node_t *n);
/* false when out of range or over budget. */
bool ytree__map_at(struct ytree *t, const yaml_node_t *n, size_t i, yaml_node_t **key,
		   yaml_node_t **value);

/* Charge @n visits up front (before allocating for @n items); false when over budget. */
bool ytree__charge(struct ytree *t, size_t n);
bool ytree__exhausted(const struct ytree *t);

#endif
