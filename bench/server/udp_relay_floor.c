/* udp_relay_floor: the kernel floor for bench/server/compare.py's scenarios.
 *
 *     udp_relay_floor [--io-uring] LISTEN_PORT UAS_PORT        (everything on 127.0.0.1)
 *
 * A call through a proxy costs the proxy, per message, at least one wake-up, one receive and
 * one send. This program does exactly that and nothing else, so its CPU per call is the least
 * that any server handling one datagram per wake-up can spend on the benchmark's call
 * (INVITE/180/200/ACK/BYE/200 between two SIPp instances on loopback).
 *
 * It is NOT a SIP server: there is no parsing, no transaction, no Via, no Max-Forwards, no
 * registrar. One blocking socket, one recvfrom() and one sendto() per datagram:
 *   - from 127.0.0.1:UAS_PORT: sent to the last other source that was relayed (the UAC);
 *   - a request starting "OPTIONS " or "REGISTER ": answered with a 200 OK to its source,
 *     its Via/From/To/Call-ID/CSeq lines copied, and a REGISTER's Contact with an expires
 *     parameter (just enough for compare.py's readiness probe and REGISTER scenarios; this
 *     program remembers no binding, so its REGISTER figure is the floor of a registrar);
 *   - anything else: sent to 127.0.0.1:UAS_PORT; an INVITE gets a
 *     "Record-Route: <sip:127.0.0.1:LISTEN_PORT;lr>" line after its request line, which the
 *     UAS (uas_answer.xml) copies into its 180/200, as uac_call.xml requires.
 * SIGTERM ends it (exit status 0).
 *
 * Built with -DFLOOR_IO_URING -luring (Debian liburing-dev), `--io-uring` runs the same relay
 * over io_uring instead (see run_io_uring): the floor of a server that makes no receive call
 * and one system call per wake-up, to tell whether the system calls or the wake-ups and the
 * loopback delivery are what a message costs.
 */
#define _GNU_SOURCE /* memmem */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

static void on_term(int sig) {
    (void)sig;
    _exit(0);
}

static int starts(const char *p, size_t n, const char *s) {
    size_t k = strlen(s);
    return n >= k && memcmp(p, s, k) == 0;
}

/* A 200 OK to the request in[0..n): its Via, From, To (tagged if it has no tag), Call-ID and
 * CSeq lines copied in order of appearance, and for a REGISTER its Contact lines with
 * ";expires=3600" added, as the benchmark's scenario checks. Returns the response length. */
static size_t answer_200(const char *in, size_t n, char *out, size_t cap) {
    static const char *const keep[] = {"Via:", "From:", "To:", "Call-ID:", "CSeq:", "Contact:"};
    const int is_register = starts(in, n, "REGISTER ");
    size_t len = (size_t)snprintf(out, cap, "SIP/2.0 200 OK\r\n");
    const char *end = in + n;
    const char *line = memchr(in, '\n', n);
    for (line = line ? line + 1 : end; line < end;) {
        const char *eol = memchr(line, '\n', (size_t)(end - line));
        size_t ll = (size_t)((eol ? eol : end) - line);
        if (ll > 0 && line[ll - 1] == '\r') ll--;
        if (ll == 0) break; /* end of the header */
        for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++) {
            size_t k = strlen(keep[i]);
            if (i == 5 && !is_register) break;
            if (ll >= k && strncasecmp(line, keep[i], k) == 0 && len + ll + 32 < cap) {
                memcpy(out + len, line, ll);
                len += ll;
                if (i == 2 && !memmem(line, ll, ";tag=", 5)) {
                    memcpy(out + len, ";tag=floor", 10);
                    len += 10;
                }
                if (i == 5) {
                    memcpy(out + len, ";expires=3600", 13);
                    len += 13;
                }
                memcpy(out + len, "\r\n", 2);
                len += 2;
                break;
            }
        }
        line = eol ? eol + 1 : end;
    }
    len += (size_t)snprintf(out + len, cap - len, "Content-Length: 0\r\n\r\n");
    return len;
}

/* What the relay does with one datagram in[0..n) from `src`: the bytes to send, written to
 * out[0..cap), and where to (*to). Returns their length, 0 to send nothing. */
struct relay {
    struct sockaddr_in uas, uac;
    char rr[80];
    size_t rr_len;
};

static size_t route(struct relay *r, const char *in, size_t n, const struct sockaddr_in *src, char *out,
                    size_t cap, struct sockaddr_in *to) {
    if (src->sin_port == r->uas.sin_port && src->sin_addr.s_addr == r->uas.sin_addr.s_addr) {
        if (!r->uac.sin_family || n > cap) return 0;
        *to = r->uac;
        memcpy(out, in, n);
        return n;
    }
    if (starts(in, n, "OPTIONS ") || starts(in, n, "REGISTER ")) {
        *to = *src;
        return answer_200(in, n, out, cap);
    }
    r->uac = *src;
    *to = r->uas;
    const char *eol = starts(in, n, "INVITE ") ? memmem(in, n, "\r\n", 2) : NULL;
    if (n + r->rr_len > cap) return 0;
    if (!eol) {
        memcpy(out, in, n);
        return n;
    }
    size_t head = (size_t)(eol + 2 - in);
    memcpy(out, in, head);
    memcpy(out + head, r->rr, r->rr_len);
    memcpy(out + head + r->rr_len, in + head, n - head);
    return n + r->rr_len;
}

/* One blocking recvfrom() and one sendto() per datagram. */
_Noreturn static void run_blocking(int fd, struct relay *r) {
    static char in[65536], out[65536 + 128];
    for (;;) {
        struct sockaddr_in src, to;
        socklen_t slen = sizeof src;
        ssize_t got = recvfrom(fd, in, sizeof in, 0, (struct sockaddr *)&src, &slen);
        if (got <= 0) continue;
        size_t len = route(r, in, (size_t)got, &src, out, sizeof out, &to);
        if (len) sendto(fd, out, len, 0, (struct sockaddr *)&to, sizeof to);
    }
}

#ifdef FLOOR_IO_URING
/* The same relay over io_uring: one multishot recvmsg fills buffers from a provided-buffer
 * ring (no system call to receive), each answer is a sendmsg entry, and one
 * io_uring_submit_and_wait() per wake-up both sends what is queued and sleeps. With
 * DEFER_TASKRUN the kernel's completion work runs inside that call, in this thread. */
#include <liburing.h>
#include <sys/mman.h>

enum { kBuffers = 64, kBufferSize = 4096, kSends = 64, kRecvTag = 1 << 16 };

struct send_slot {
    struct msghdr hdr;
    struct iovec iov;
    struct sockaddr_in to;
    char data[kBufferSize + 128];
    int busy;
};

static void arm_receive(struct io_uring *ring, int fd, struct msghdr *shape) {
    struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
    io_uring_prep_recvmsg_multishot(sqe, fd, shape, 0);
    sqe->flags |= IOSQE_BUFFER_SELECT;
    sqe->buf_group = 1;
    io_uring_sqe_set_data64(sqe, kRecvTag);
}

static int run_io_uring(int fd, struct relay *r) {
    static char buffers[kBuffers][kBufferSize];
    static struct send_slot sends[kSends];
    struct io_uring ring;
    struct io_uring_params params = {.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN};
    int rc = io_uring_queue_init_params(256, &ring, &params);
    if (rc < 0) {
        fprintf(stderr, "udp_relay_floor: io_uring: %s\n", strerror(-rc));
        return 1;
    }
    struct io_uring_buf_ring *br = mmap(NULL, kBuffers * sizeof(struct io_uring_buf), PROT_READ | PROT_WRITE,
                                        MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
    struct io_uring_buf_reg reg = {.ring_addr = (unsigned long)br, .ring_entries = kBuffers, .bgid = 1};
    if (br == MAP_FAILED || (rc = io_uring_register_buf_ring(&ring, &reg, 0)) != 0) {
        fprintf(stderr, "udp_relay_floor: buffer ring: %s\n", strerror(rc ? -rc : errno));
        return 1;
    }
    io_uring_buf_ring_init(br);
    for (int i = 0; i < kBuffers; i++)
        io_uring_buf_ring_add(br, buffers[i], kBufferSize, (unsigned short)i, io_uring_buf_ring_mask(kBuffers), i);
    io_uring_buf_ring_advance(br, kBuffers);
    struct msghdr shape = {.msg_namelen = sizeof(struct sockaddr_in)};
    arm_receive(&ring, fd, &shape);
    for (;;) {
        io_uring_submit_and_wait(&ring, 1);
        struct io_uring_cqe *cqe;
        unsigned head, seen = 0;
        io_uring_for_each_cqe(&ring, head, cqe) {
            seen++;
            if (cqe->user_data != kRecvTag) {
                sends[cqe->user_data].busy = 0;
                continue;
            }
            if (!(cqe->flags & IORING_CQE_F_MORE)) arm_receive(&ring, fd, &shape);
            if (cqe->res < 0 || !(cqe->flags & IORING_CQE_F_BUFFER)) continue;
            const unsigned short id = (unsigned short)(cqe->flags >> IORING_CQE_BUFFER_SHIFT);
            struct io_uring_recvmsg_out *o = io_uring_recvmsg_validate(buffers[id], cqe->res, &shape);
            int k = 0;
            while (k < kSends && sends[k].busy) k++;
            if (o && k < kSends) {
                struct send_slot *s = &sends[k];
                struct sockaddr_in src;
                memcpy(&src, io_uring_recvmsg_name(o), sizeof src);
                const char *in = io_uring_recvmsg_payload(o, &shape);
                size_t n = io_uring_recvmsg_payload_length(o, cqe->res, &shape);
                size_t len = route(r, in, n, &src, s->data, sizeof s->data, &s->to);
                if (len) {
                    s->busy = 1;
                    s->iov = (struct iovec){.iov_base = s->data, .iov_len = len};
                    s->hdr = (struct msghdr){.msg_name = &s->to, .msg_namelen = sizeof s->to, .msg_iov = &s->iov,
                                             .msg_iovlen = 1};
                    struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
                    io_uring_prep_sendmsg(sqe, fd, &s->hdr, 0);
                    io_uring_sqe_set_data64(sqe, (unsigned long long)k);
                }
            }
            io_uring_buf_ring_add(br, buffers[id], kBufferSize, id, io_uring_buf_ring_mask(kBuffers), 0);
            io_uring_buf_ring_advance(br, 1);
        }
        io_uring_cq_advance(&ring, seen);
    }
}
#endif

int main(int argc, char **argv) {
    int uring = argc == 4 && strcmp(argv[1], "--io-uring") == 0;
    if (argc != 3 + uring) {
        fprintf(stderr, "usage: %s [--io-uring] LISTEN_PORT UAS_PORT\n", argv[0]);
        return 2;
    }
#ifndef FLOOR_IO_URING
    if (uring) {
        fprintf(stderr, "%s: built without io_uring (compile with -DFLOOR_IO_URING -luring)\n", argv[0]);
        return 2;
    }
#endif
    int listen_port = atoi(argv[1 + uring]), uas_port = atoi(argv[2 + uring]);
    signal(SIGTERM, on_term);

    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in self = {.sin_family = AF_INET, .sin_port = htons((unsigned short)listen_port)};
    self.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || bind(fd, (struct sockaddr *)&self, sizeof self) != 0) {
        perror("udp_relay_floor: bind");
        return 1;
    }
    struct relay r = {.uas = self};
    r.uas.sin_port = htons((unsigned short)uas_port);
    r.rr_len = (size_t)snprintf(r.rr, sizeof r.rr, "Record-Route: <sip:127.0.0.1:%d;lr>\r\n", listen_port);
#ifdef FLOOR_IO_URING
    if (uring) return run_io_uring(fd, &r);
#endif
    run_blocking(fd, &r);
}
