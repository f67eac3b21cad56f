// SPDX-License-Identifier: GPL-2.0
/* The frame writer; see proto_out.h. */
#include "proto_out.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "util.h"

#define IOV_MAX_PARTS 8

void proto_out__init(struct proto_out *o, int fd, uint64_t timeout_ns)
{
	memset(o, 0, sizeof(*o));
	o->fd = fd;
	o->timeout_ns = timeout_ns ? timeout_ns : PROTO_OUT_TIMEOUT_NS;
	pthread_mutex_init(&o->lock, NULL);
	if (fd >= 0) {
		int fl = fcntl(fd, F_GETFL);

		if (fl >= 0)
			fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	}
}

void proto_out__destroy(struct proto_out *o)
{
	pthread_mutex_destroy(&o->lock);
}

/* Write all of @iov before @deadline; advances the iovecs in place. */
static int write_all(int fd, struct iovec *iov, int n, uint64_t deadline)
{
	while (n > 0) {
		ssize_t w;

		if (!iov->iov_len) {
			iov++;
			n--;
			continue;
		}
		w = writev(fd, iov, n);
		if (w < 0) {
			struct pollfd p = { .fd = fd, .events = POLLOUT };
			uint64_t now = mono_ns();
			int ms;

			if (now >= deadline && (errno == EINTR || errno == EAGAIN))
				return -ETIMEDOUT;
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				return -errno;
			ms = (int)((deadline - now + NSEC_PER_MSEC - 1) / NSEC_PER_MSEC);
			if (poll(&p, 1, ms) < 0 && errno != EINTR)
				return -errno;
			continue;
		}
		while (w > 0 && n > 0) {
			size_t k = (size_t)w < iov->iov_len ? (size_t)w : iov->iov_len;

			iov->iov_base = (char *)iov->iov_base + k;
			iov->iov_len -= k;
			w -= (ssize_t)k;
			if (!iov->iov_len) {
				iov++;
				n--;
			}
		}
	}
	return 0;
}

int proto_out__sendv(struct proto_out *o, uint16_t type, const struct iovec *iov, int n)
{
	struct iovec v[IOV_MAX_PARTS + 1];
	struct ktstr_frame_hdr h = { .magic = KTSTR_PROTO_MAGIC, .version = KTSTR_PROTO_VERSION,
				     .type = type };
	uLong crc = crc32(0L, Z_NULL, 0);
	uint64_t len = 0;
	int ret;

	if (n < 0 || n > IOV_MAX_PARTS)
		return -EINVAL;
	for (int i = 0; i < n; i++)
		len += iov[i].iov_len;
	if (len > KTSTR_FRAME_MAX)
		return -EMSGSIZE;
	for (int i = 0; i < n; i++)
		if (iov[i].iov_len)
			crc = crc32(crc, iov[i].iov_base, (uInt)iov[i].iov_len);
	h.length = (uint32_t)len;
	h.crc32 = (uint32_t)crc;
	v[0].iov_base = &h;
	v[0].iov_len = sizeof(h);
	memcpy(v + 1, iov, (size_t)n * sizeof(*iov));

	pthread_mutex_lock(&o->lock);
	if (o->fd < 0) {
		ret = 0;
	} else {
		ret = write_all(o->fd, v, n + 1, mono_ns() + o->timeout_ns);
		if (ret)
			o->dropped++;
		else
			o->sent++;
	}
	pthread_mutex_unlock(&o->lock);
	return ret;
}

int proto_out__send(struct proto_out *o, uint16_t type, const void *payload, size_t len)
{
	struct iovec v = { .iov_base = (void *)payload, .iov_len = len };

	return proto_out__sendv(o, type, &v, len ? 1 : 0);
}

int proto_out__text(struct proto_out *o, uint16_t type, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return -EINVAL;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	return proto_out__send(o, type, buf, (size_t)n);
}

int proto_out__report(struct proto_out *o, const struct ktstr_msg_worker_report *r,
		      const uint64_t *lat, const struct ktstr_migration *mig)
{
	struct ktstr_msg_worker_report c = *r;
	struct iovec v[3];

	/* Never send counts the reader would reject. */
	if (c.nlatencies > KTSTR_REPORT_MAX_LATENCIES || !lat)
		c.nlatencies = lat ? KTSTR_REPORT_MAX_LATENCIES : 0;
	if (c.nmigrations > KTSTR_REPORT_MAX_MIGRATIONS || !mig)
		c.nmigrations = mig ? KTSTR_REPORT_MAX_MIGRATIONS : 0;
	v[0].iov_base = &c;
	v[0].iov_len = sizeof(c);
	v[1].iov_base = (void *)lat;
	v[1].iov_len = (size_t)c.nlatencies * sizeof(uint64_t);
	v[2].iov_base = (void *)mig;
	v[2].iov_len = (size_t)c.nmigrations * sizeof(struct ktstr_migration);
	return proto_out__sendv(o, KTSTR_MSG_WORKER_REPORT, v, 3);
}
