/* udp_relay_floor: the kernel floor for bench/server/compare.py's scenarios.
 *
 *     udp_relay_floor LISTEN_PORT UAS_PORT        (everything on 127.0.0.1)
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
 */
#define _GNU_SOURCE /* memmem */
#include <arpa/inet.h>
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

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s LISTEN_PORT UAS_PORT\n", argv[0]);
        return 2;
    }
    int listen_port = atoi(argv[1]), uas_port = atoi(argv[2]);
    signal(SIGTERM, on_term);

    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in self = {.sin_family = AF_INET, .sin_port = htons((unsigned short)listen_port)};
    self.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || bind(fd, (struct sockaddr *)&self, sizeof self) != 0) {
        perror("udp_relay_floor: bind");
        return 1;
    }
    struct sockaddr_in uas = self, uac = {0};
    uas.sin_port = htons((unsigned short)uas_port);

    char rr[80];
    size_t rr_len = (size_t)snprintf(rr, sizeof rr, "Record-Route: <sip:127.0.0.1:%d;lr>\r\n", listen_port);
    static char in[65536], out[65536 + 128];

    for (;;) {
        struct sockaddr_in src;
        socklen_t slen = sizeof src;
        ssize_t got = recvfrom(fd, in, sizeof in, 0, (struct sockaddr *)&src, &slen);
        if (got <= 0) continue;
        size_t n = (size_t)got;

        if (src.sin_port == uas.sin_port && src.sin_addr.s_addr == uas.sin_addr.s_addr) {
            if (uac.sin_family) sendto(fd, in, n, 0, (struct sockaddr *)&uac, sizeof uac);
        } else if (starts(in, n, "OPTIONS ") || starts(in, n, "REGISTER ")) {
            size_t len = answer_200(in, n, out, sizeof out);
            sendto(fd, out, len, 0, (struct sockaddr *)&src, slen);
        } else {
            uac = src;
            const char *eol = starts(in, n, "INVITE ") ? memmem(in, n, "\r\n", 2) : NULL;
            if (eol) {
                size_t head = (size_t)(eol + 2 - in);
                memcpy(out, in, head);
                memcpy(out + head, rr, rr_len);
                memcpy(out + head + rr_len, in + head, n - head);
                sendto(fd, out, n + rr_len, 0, (struct sockaddr *)&uas, sizeof uas);
            } else {
                sendto(fd, in, n, 0, (struct sockaddr *)&uas, sizeof uas);
            }
        }
    }
}
