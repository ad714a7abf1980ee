// tap_forward: the least a switch between two taps can do, as a reference for SwitchIperfBenchmark.
//
// Creates taps A and B and copies every frame one reads into the other, one thread per direction,
// with blocking read(2) and write(2): no program, no rings, no hand-offs between threads. The taps
// are opened as jxdp opens its own (IFF_VNET_HDR with a 12-byte header, checksum and TCP
// segmentation offloads), and the header is passed on with the frame, so a 64 KB segment crosses
// whole when the kernel's offloads are on. What it costs per frame is what tun costs any userspace
// switch: a copy out of one kernel, a copy into the other and two system calls. jxdp's figure
// against this one says how much of the gap to a Linux bridge is jxdp's own.
//
// usage: tap_forward TAP_A TAP_B   (root; runs until killed; the taps go away with it)
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define VNET_HDR_LEN 12                   // struct virtio_net_hdr_mrg_rxbuf, as jxdp asks for
#define FRAME_ROOM (VNET_HDR_LEN + 65664) // the largest segment a tap hands over, as jxdp's buffers hold

static int open_tap(const char *name) {
    int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "tap_forward: /dev/net/tun: %s\n", strerror(errno));
        exit(1);
    }
    struct ifreq req;
    memset(&req, 0, sizeof req);
    req.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
    strncpy(req.ifr_name, name, IFNAMSIZ - 1);
    int hdr = VNET_HDR_LEN;
    if (ioctl(fd, TUNSETIFF, &req) < 0 || ioctl(fd, TUNSETVNETHDRSZ, &hdr) < 0
        || ioctl(fd, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN) < 0) {
        fprintf(stderr, "tap_forward: tap %s: %s\n", name, strerror(errno));
        exit(1);
    }
    return fd;
}

struct direction {
    int from, to;
};

static void *copy_frames(void *arg) {
    struct direction *d = arg;
    char *buf = malloc(FRAME_ROOM);
    for (;;) {
        ssize_t n = read(d->from, buf, FRAME_ROOM);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            fprintf(stderr, "tap_forward: read: %s\n", n < 0 ? strerror(errno) : "end of file");
            exit(1);
        }
        // EIO while the other tap is not up yet: the frame is lost, as on a link without carrier
        if (write(d->to, buf, n) < 0 && errno != EIO) {
            fprintf(stderr, "tap_forward: write: %s\n", strerror(errno));
            exit(1);
        }
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: tap_forward TAP_A TAP_B\n");
        return 2;
    }
    int a = open_tap(argv[1]), b = open_tap(argv[2]);
    struct direction ab = {a, b}, ba = {b, a};
    pthread_t t;
    if (pthread_create(&t, NULL, copy_frames, &ab) != 0) {
        fprintf(stderr, "tap_forward: no thread\n");
        return 1;
    }
    printf("forwarding %s <-> %s\n", argv[1], argv[2]);
    fflush(stdout);
    copy_frames(&ba);
    return 0;
}
