// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include <sys/ioctl.h>

#include <linux/kvm.h>

#include "serial.h"

enum {
	UART_RX = 0, UART_TX = 0, UART_DLL = 0,
	UART_IER = 1, UART_DLM = 1,
	UART_IIR = 2, UART_FCR = 2,
	UART_LCR = 3, UART_MCR = 4, UART_LSR = 5, UART_MSR = 6, UART_SCR = 7,
};

#define IER_RDI		0x01
#define IER_THRI	0x02
#define IIR_NO_INT	0x01
#define IIR_THRI	0x02
#define IIR_RDI		0x04
#define IIR_FIFO	0xc0
#define FCR_ENABLE	0x01
#define FCR_CLEAR_RX	0x02
#define LCR_DLAB	0x80
#define MCR_DTR		0x01
#define MCR_RTS		0x02
#define MCR_OUT1	0x04
#define MCR_OUT2	0x08
#define MCR_LOOP	0x10
#define LSR_DR		0x01
#define LSR_THRE	0x20
#define LSR_TEMT	0x40
#define MSR_CTS		0x10
#define MSR_DSR		0x20
#define MSR_RI		0x40
#define MSR_DCD		0x80

void serial__init(struct serial *s, unsigned int idx, unsigned int irq, int vm_fd,
		  serial_out_fn out, void *arg)
{
	memset(s, 0, sizeof(*s));
	pthread_mutex_init(&s->lock, NULL);
	s->idx = idx;
	s->irq = irq;
	s->vm_fd = vm_fd;
	s->out = out;
	s->arg = arg;
	s->mcr = MCR_OUT2;
	s->dll = 12;	/* 9600 baud */
}

void serial__exit(struct serial *s)
{
	pthread_mutex_destroy(&s->lock);
}

static uint8_t serial__iir(const struct serial *s)
{
	uint8_t fifo = (s->fcr & FCR_ENABLE) ? IIR_FIFO : 0;

	if ((s->ier & IER_RDI) && s->rx_len)
		return fifo | IIR_RDI;
	if ((s->ier & IER_THRI) && s->thri_pending)
		return fifo | IIR_THRI;
	return fifo | IIR_NO_INT;
}

/* Called with the lock held after every register access. */
static void serial__update_irq(struct serial *s)
{
	bool level = !(serial__iir(s) & IIR_NO_INT) && (s->mcr & MCR_OUT2);
	struct kvm_irq_level irq = { .irq = s->irq, .level = level };

	if (level == s->irq_level || s->vm_fd < 0)
		return;
	s->irq_level = level;
	ioctl(s->vm_fd, KVM_IRQ_LINE, &irq);
}

static void serial__rx_push(struct serial *s, uint8_t b)
{
	if (s->rx_len == SERIAL_RX_FIFO)
		return;
	s->rx[(s->rx_head + s->rx_len) % SERIAL_RX_FIFO] = b;
	s->rx_len++;
}

static uint8_t serial__read(struct serial *s, unsigned int reg)
{
	uint8_t v = 0;

	switch (reg) {
	case UART_RX:
		if (s->lcr & LCR_DLAB)
			return s->dll;
		if (s->rx_len) {
			v = s->rx[s->rx_head];
			s->rx_head = (s->rx_head + 1) % SERIAL_RX_FIFO;
			s->rx_len--;
		}
		return v;
	case UART_IER:
		return (s->lcr & LCR_DLAB) ? s->dlm : s->ier;
	case UART_IIR:
		v = serial__iir(s);
		if ((v & 0x0f) == IIR_THRI)
			s->thri_pending = false;	/* reading IIR acknowledges THRE */
		return v;
	case UART_LCR:
		return s->lcr;
	case UART_MCR:
		return s->mcr;
	case UART_LSR:
		return LSR_THRE | LSR_TEMT | (s->rx_len ? LSR_DR : 0);
	case UART_MSR:
		if (s->mcr & MCR_LOOP)
			return ((s->mcr & MCR_RTS) ? MSR_CTS : 0) |
			       ((s->mcr & MCR_DTR) ? MSR_DSR : 0) |
			       ((s->mcr & MCR_OUT1) ? MSR_RI : 0) |
			       ((s->mcr & MCR_OUT2) ? MSR_DCD : 0);
		return MSR_DCD | MSR_DSR | MSR_CTS;
	default:
		return s->scr;
	}
}

static void serial__write(struct serial *s, unsigned int reg, uint8_t v)
{
	switch (reg) {
	case UART_TX:
		if (s->lcr & LCR_DLAB) {
			s->dll = v;
			break;
		}
		if (s->mcr & MCR_LOOP)
			serial__rx_push(s, v);
		else if (s->out)
			s->out(s->arg, s->idx, v);
		s->thri_pending = true;		/* sent at once: THR empty again */
		break;
	case UART_IER:
		if (s->lcr & LCR_DLAB) {
			s->dlm = v;
			break;
		}
		if ((v & IER_THRI) && !(s->ier & IER_THRI))
			s->thri_pending = true;
		s->ier = v & 0x0f;
		break;
	case UART_FCR:
		s->fcr = v;
		if (v & FCR_CLEAR_RX)
			s->rx_len = 0;
		break;
	case UART_LCR:
		s->lcr = v;
		break;
	case UART_MCR:
		s->mcr = v & 0x1f;
		break;
	case UART_SCR:
		s->scr = v;
		break;
	default:
		break;	/* LSR and MSR are read-only */
	}
}

void serial__io(void *dev, uint64_t off, uint8_t *data, uint32_t len, bool is_write)
{
	struct serial *s = dev;

	if (off >= SERIAL_NR_REGS)
		return;
	pthread_mutex_lock(&s->lock);
	/* Wider accesses touch only the addressed register, as on ISA. */
	if (is_write)
		serial__write(s, (unsigned int)off, data[0]);
	else
		data[0] = serial__read(s, (unsigned int)off);
	(void)len;
	serial__update_irq(s);
	pthread_mutex_unlock(&s->lock);
}

size_t serial__input(struct serial *s, const uint8_t *data, size_t len)
{
	size_t n = 0;

	pthread_mutex_lock(&s->lock);
	while (n < len && s->rx_len < SERIAL_RX_FIFO)
		serial__rx_push(s, data[n++]);
	serial__update_irq(s);
	pthread_mutex_unlock(&s->lock);
	return n;
}
