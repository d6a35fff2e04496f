/* The echo floor of `make bench`'s server comparison: a loopback TCP server that does no Thrift
 * decoding at all, so that its figures are the physical floor of a request/reply exchange.
 *
 * A client first sends a cycle of sizes: a u32 count, then count pairs of u32 (request bytes,
 * reply bytes), all big-endian. Then, over and over through the cycle, the server reads exactly
 * one request of the next size and writes back one reply of the paired size (zero bytes). One
 * thread per connection, like Apache Thrift's TThreadedServer.
 *
 * Usage: echo_server [PORT] (0 or none: an ephemeral port). Prints `PORT <n>` once listening,
 * binds 127.0.0.1 only, serves until killed. Build: cc -O2 -pthread -o echo_server echo_server.c */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum { MAX_CYCLE = 64, BUFFER_BYTES = 1 << 16 };

static int read_exactly(int fd, void *buffer, size_t count) {
    char *bytes = buffer;
    while (count > 0) {
        ssize_t got = read(fd, bytes, count);
        if (got <= 0) return -1;
        bytes += got;
        count -= (size_t)got;
    }
    return 0;
}

/* Reads and drops `count` bytes through `scratch`. */
static int skip_exactly(int fd, char *scratch, size_t count) {
    while (count > 0) {
        size_t chunk = count < BUFFER_BYTES ? count : BUFFER_BYTES;
        ssize_t got = read(fd, scratch, chunk);
        if (got <= 0) return -1;
        count -= (size_t)got;
    }
    return 0;
}

/* Writes `count` zero bytes from `zeros` (BUFFER_BYTES long). */
static int write_zeros(int fd, const char *zeros, size_t count) {
    while (count > 0) {
        size_t chunk = count < BUFFER_BYTES ? count : BUFFER_BYTES;
        ssize_t sent = write(fd, zeros, chunk);
        if (sent <= 0) return -1;
        count -= (size_t)sent;
    }
    return 0;
}

static void *serve_connection(void *argument) {
    int fd = (int)(intptr_t)argument;
    static const char zeros[BUFFER_BYTES];
    char *scratch = malloc(BUFFER_BYTES);
    uint32_t count, sizes[2 * MAX_CYCLE];
    if (scratch != NULL && read_exactly(fd, &count, sizeof count) == 0 && (count = ntohl(count)) >= 1 &&
        count <= MAX_CYCLE && read_exactly(fd, sizes, 2 * count * sizeof(uint32_t)) == 0) {
        for (uint32_t step = 0;; step = (step + 1) % count) {
            if (skip_exactly(fd, scratch, ntohl(sizes[2 * step])) != 0) break;
            if (write_zeros(fd, zeros, ntohl(sizes[2 * step + 1])) != 0) break;
        }
    }
    free(scratch);
    close(fd);
    return NULL;
}

int main(int argc, char **argv) {
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    int on = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(argc > 1 ? atoi(argv[1]) : 0)};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (bind(listener, (struct sockaddr *)&address, sizeof address) != 0 || listen(listener, 128) != 0 ||
        getsockname(listener, (struct sockaddr *)&address, &length) != 0) {
        perror("echo_server");
        return 1;
    }
    printf("PORT %d\n", ntohs(address.sin_port));
    fflush(stdout);
    for (;;) {
        int client = accept(listener, NULL, NULL);
        if (client < 0) continue;
        setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
        pthread_t thread;
        if (pthread_create(&thread, NULL, serve_connection, (void *)(intptr_t)client) != 0) {
            close(client);
            continue;
        }
        pthread_detach(thread);
    }
}
