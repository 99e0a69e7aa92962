/*
 * jvirt test guest workload. Runs as PID 1 in a tiny initramfs (exec'd by /init) and must never exit.
 *
 * Configured from /proc/cmdline: jvirt.fill=<MiB> jvirt.dirty=<MiB/s> jvirt.seed=<n> jvirt.sweep=<percent>,
 * and, for tests that must see the check fail, jvirt.corrupt=<byte offset>: once ready, the guest flips that
 * byte of its fill area behind its own back, as a lost or stray write would.
 *
 * Memory layout: the fill area is split into 4 KiB pages. Each page's content is a pure function of
 * (seed, page index, generation); generations live in a separate array. Rewriting a page bumps its
 * generation, so a page that reverts to older content (a dirty page lost in migration) is caught by
 * the rolling sweep, not only pages that were corrupted into garbage.
 *
 * Page content: 512 bytes of xorshift output (so the dump is not trivially compressible) followed by a
 * 16-byte unit repeated to the end of the page (so gzip/zstd shrink it a lot). Never all zero.
 *
 * Serial protocol (console=ttyS0), one line per write(2) so lines are never torn by our own output:
 *   jvirt-guest tick=<n> uptime_ms=<ms> dirty_mibps=<configured> pattern=ok|BAD@0x<offset>
 *   jvirt-guest ready fill_mib=<n> seed=<s>
 *   jvirt-guest sweep=<n> uptime_ms=<ms>        (each time the check has covered the whole fill area)
 * Anything else is informational; readers ignore it.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/input.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/reboot.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096u
#define WORDS (PAGE / 8u)
#define NOISE_WORDS 64u
#define TICK_MS 250
#define SLICE_MS 50
#define MAX_INPUTS 16
#define RESCAN_MS 2000

struct config {
    uint64_t fill_mib;
    uint64_t dirty_mibps;
    uint64_t seed;
    uint64_t sweep_percent;
    uint64_t corrupt_offset; /* UINT64_MAX: never */
};

struct state {
    struct config cfg;
    unsigned char *area;
    uint32_t *gen;
    uint64_t npages;
    uint64_t filled;        /* pages written so far during the fill phase */
    uint64_t dirty_cursor;
    uint64_t dirty_step;    /* coprime with npages, so the dirty walk visits every page */
    double dirty_owed;      /* pages owed to the configured rate, carried between slices */
    uint64_t sweep_cursor;
    uint64_t sweeps;
    int bad;
    uint64_t bad_offset;
    int input_fds[MAX_INPUTS];
    int ninputs;
    int have_power_key;
};

static uint64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000u + (uint64_t) ts.tv_nsec / 1000000u;
}

static void say(const char *fmt, ...) {
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if (n > (int) sizeof buf - 2) n = (int) sizeof buf - 2;
    buf[n++] = '\n';
    /* Console writes can be short or interrupted; a lost line would look like a missed tick. */
    for (int off = 0; off < n;) {
        ssize_t w = write(1, buf + off, (size_t) (n - off));
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return;
        off += (int) w;
    }
}

static uint64_t mix64(uint64_t z) {
    z += 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void make_page(uint64_t *out, uint64_t seed, uint64_t page, uint32_t gen) {
    uint64_t s = mix64(seed ^ mix64(page ^ ((uint64_t) gen << 40))) | 1u;
    for (unsigned i = 0; i < NOISE_WORDS; i++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        out[i] = s;
    }
    uint64_t a = ((uint64_t) gen << 32) | (page & 0xffffffffu);
    uint64_t b = 0x4a5649525447554eull ^ seed; /* "JVIRTGUN" */
    if (b == 0) b = 1;
    for (unsigned i = NOISE_WORDS; i < WORDS; i += 2) {
        out[i] = a;
        out[i + 1] = b;
    }
}

static uint64_t parse_key(const char *cmdline, const char *key, uint64_t dflt) {
    size_t klen = strlen(key);
    for (const char *p = cmdline; (p = strstr(p, key)) != NULL; p += klen) {
        if ((p == cmdline || p[-1] == ' ') && p[klen] == '=') {
            return strtoull(p + klen + 1, NULL, 0);
        }
    }
    return dflt;
}

static struct config read_config(void) {
    char cmdline[4096] = {0};
    int fd = open("/proc/cmdline", O_RDONLY);
    if (fd >= 0) {
        ssize_t n = read(fd, cmdline, sizeof cmdline - 1);
        if (n < 0) n = 0;
        cmdline[n] = 0;
        close(fd);
    }
    struct config c;
    c.fill_mib = parse_key(cmdline, "jvirt.fill", 384);
    c.dirty_mibps = parse_key(cmdline, "jvirt.dirty", 0);
    c.seed = parse_key(cmdline, "jvirt.seed", 1);
    c.sweep_percent = parse_key(cmdline, "jvirt.sweep", 25);
    if (c.sweep_percent > 90) c.sweep_percent = 90;
    c.corrupt_offset = parse_key(cmdline, "jvirt.corrupt", UINT64_MAX);
    return c;
}

static uint64_t mem_available_mib(void) {
    char buf[4096];
    int fd = open("/proc/meminfo", O_RDONLY);
    if (fd < 0) return 0;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return 0;
    buf[n] = 0;
    char *p = strstr(buf, "MemAvailable:");
    if (p == NULL) p = strstr(buf, "MemFree:");
    if (p == NULL) return 0;
    while (*p && (*p < '0' || *p > '9')) p++;
    return strtoull(p, NULL, 10) / 1024u;
}

static uint64_t gcd(uint64_t a, uint64_t b) {
    while (b) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

static int allocate(struct state *st) {
    uint64_t avail = mem_available_mib();
    /* Leave room for the generation array, page tables and the kernel's own needs. */
    uint64_t limit = avail > 64 ? avail - 48 : 0;
    if (avail > 0 && st->cfg.fill_mib > limit) {
        say("jvirt-guest warning: fill_mib=%llu exceeds available memory, using %llu",
            (unsigned long long) st->cfg.fill_mib, (unsigned long long) limit);
        st->cfg.fill_mib = limit;
    }
    st->npages = st->cfg.fill_mib * (1024u * 1024u / PAGE);
    if (st->npages == 0) return 0;
    st->area = mmap(NULL, st->npages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    st->gen = mmap(NULL, st->npages * sizeof(uint32_t), PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (st->area == MAP_FAILED || st->gen == MAP_FAILED) {
        say("jvirt-guest error: cannot map %llu MiB", (unsigned long long) st->cfg.fill_mib);
        st->npages = 0;
        st->cfg.fill_mib = 0;
        return -1;
    }
    /* About 0.618 of the area apart: consecutive dirty pages land far from each other. */
    uint64_t step = st->npages * 618u / 1000u;
    if (step == 0) step = 1;
    while (gcd(step, st->npages) != 1) step++;
    st->dirty_step = step;
    return 0;
}

static void write_page(struct state *st, uint64_t page) {
    uint64_t buf[WORDS];
    make_page(buf, st->cfg.seed, page, st->gen[page]);
    memcpy(st->area + page * PAGE, buf, PAGE);
}

static void check_page(struct state *st, uint64_t page) {
    uint64_t buf[WORDS];
    const uint64_t *mem = (const uint64_t *) (st->area + page * PAGE);
    make_page(buf, st->cfg.seed, page, st->gen[page]);
    if (memcmp(mem, buf, PAGE) == 0 || st->bad) return;
    unsigned i = 0;
    while (i < WORDS - 1 && mem[i] == buf[i]) i++;
    uint64_t diff = mem[i] ^ buf[i];
    st->bad = 1;
    st->bad_offset = page * PAGE + (uint64_t) i * 8u + (diff ? (uint64_t) __builtin_ctzll(diff) / 8u : 0);
    say("jvirt-guest mismatch offset=0x%llx page=%llu gen=%u found=0x%016llx expected=0x%016llx",
        (unsigned long long) st->bad_offset, (unsigned long long) page, st->gen[page],
        (unsigned long long) mem[i], (unsigned long long) buf[i]);
}

static void fill_until(struct state *st, uint64_t deadline) {
    while (st->filled < st->npages) {
        for (int k = 0; k < 8 && st->filled < st->npages; k++) write_page(st, st->filled++);
        if (now_ms() >= deadline) return;
    }
}

static void dirty_until(struct state *st, double elapsed_s, uint64_t deadline) {
    if (st->cfg.dirty_mibps == 0 || st->npages == 0) return;
    double per_second = (double) st->cfg.dirty_mibps * (1024.0 * 1024.0 / PAGE);
    st->dirty_owed += per_second * elapsed_s;
    /* Owing more than a second's worth only happens when the CPU cannot keep up; do not pile up. */
    if (st->dirty_owed > per_second) st->dirty_owed = per_second;
    while (st->dirty_owed >= 1.0) {
        for (int k = 0; k < 8 && st->dirty_owed >= 1.0; k++) {
            uint64_t p = st->dirty_cursor;
            st->gen[p]++;
            write_page(st, p);
            st->dirty_cursor = (p + st->dirty_step) % st->npages;
            st->dirty_owed -= 1.0;
        }
        if (now_ms() >= deadline) return;
    }
}

static void sweep_until(struct state *st, uint64_t deadline) {
    if (st->npages == 0) return;
    for (;;) {
        for (int k = 0; k < 8; k++) {
            check_page(st, st->sweep_cursor++);
            if (st->sweep_cursor == st->npages) {
                st->sweep_cursor = 0;
                st->sweeps++;
                say("jvirt-guest sweep=%llu uptime_ms=%llu", (unsigned long long) st->sweeps,
                    (unsigned long long) now_ms());
            }
        }
        if (now_ms() >= deadline) return;
    }
}

static void close_inputs(struct state *st) {
    for (int i = 0; i < st->ninputs; i++) close(st->input_fds[i]);
    st->ninputs = 0;
    st->have_power_key = 0;
}

static int has_power_key(int fd) {
    unsigned long bits[(KEY_MAX + 1) / (8 * sizeof(unsigned long)) + 1];
    memset(bits, 0, sizeof bits);
    if (ioctl(fd, EVIOCGBIT(EV_KEY, sizeof bits), bits) < 0) return 0;
    size_t per = 8 * sizeof(unsigned long);
    return (bits[KEY_POWER / per] >> (KEY_POWER % per)) & 1u;
}

/* The ACPI power button shows up as an evdev device once button.ko and evdev.ko are loaded. */
static void scan_inputs(struct state *st) {
    close_inputs(st);
    DIR *d = opendir("/dev/input");
    if (d == NULL) return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && st->ninputs < MAX_INPUTS) {
        if (strncmp(e->d_name, "event", 5) != 0) continue;
        char path[300];
        snprintf(path, sizeof path, "/dev/input/%s", e->d_name);
        int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) continue;
        if (has_power_key(fd)) st->have_power_key = 1;
        st->input_fds[st->ninputs++] = fd;
    }
    closedir(d);
}

static void power_off(void) {
    say("jvirt-guest powerdown");
    sync();
    reboot(RB_POWER_OFF);
    say("jvirt-guest error: power off failed: %s", strerror(errno));
}

static void wait_and_handle_input(struct state *st, uint64_t deadline) {
    struct pollfd pfds[MAX_INPUTS];
    for (int i = 0; i < st->ninputs; i++) {
        pfds[i].fd = st->input_fds[i];
        pfds[i].events = POLLIN;
        pfds[i].revents = 0;
    }
    uint64_t now = now_ms();
    int timeout = deadline > now ? (int) (deadline - now) : 0;
    int n = poll(pfds, (nfds_t) st->ninputs, timeout);
    if (n <= 0) return;
    for (int i = 0; i < st->ninputs; i++) {
        if (!(pfds[i].revents & POLLIN)) continue;
        struct input_event ev[16];
        ssize_t r;
        while ((r = read(pfds[i].fd, ev, sizeof ev)) > 0) {
            for (size_t k = 0; k < (size_t) r / sizeof ev[0]; k++) {
                if (ev[k].type == EV_KEY && ev[k].code == KEY_POWER && ev[k].value == 1) power_off();
            }
        }
    }
}

int main(void) {
    static struct state st;
    st.cfg = read_config();
    say("jvirt-guest start fill_mib=%llu dirty_mibps=%llu seed=%llu sweep_percent=%llu",
        (unsigned long long) st.cfg.fill_mib, (unsigned long long) st.cfg.dirty_mibps,
        (unsigned long long) st.cfg.seed, (unsigned long long) st.cfg.sweep_percent);
    allocate(&st);
    scan_inputs(&st);
    if (!st.have_power_key) say("jvirt-guest warning: no power button input device yet");

    uint64_t tick = 0;
    uint64_t next_tick = now_ms();
    uint64_t last_work = next_tick;
    uint64_t last_scan = next_tick;
    int ready = 0;
    for (;;) {
        uint64_t now = now_ms();
        if (now >= next_tick) {
            char pattern[32];
            if (st.bad) snprintf(pattern, sizeof pattern, "BAD@0x%llx", (unsigned long long) st.bad_offset);
            else snprintf(pattern, sizeof pattern, "ok");
            say("jvirt-guest tick=%llu uptime_ms=%llu dirty_mibps=%llu pattern=%s", (unsigned long long) tick++,
                (unsigned long long) now, (unsigned long long) st.cfg.dirty_mibps, pattern);
            next_tick += TICK_MS;
            if (next_tick <= now) next_tick = now + TICK_MS;
        }
        if (!st.have_power_key && now - last_scan >= RESCAN_MS) {
            scan_inputs(&st);
            last_scan = now;
        }
        uint64_t slice_end = now + SLICE_MS < next_tick ? now + SLICE_MS : next_tick;
        if (st.filled < st.npages) {
            fill_until(&st, slice_end);
        } else {
            if (!ready) {
                say("jvirt-guest ready fill_mib=%llu seed=%llu", (unsigned long long) st.cfg.fill_mib,
                    (unsigned long long) st.cfg.seed);
                ready = 1;
                last_work = now;
                if (st.cfg.corrupt_offset < st.npages * PAGE) {
                    st.area[st.cfg.corrupt_offset] ^= 0x5a;
                    say("jvirt-guest corrupted offset=0x%llx on request", (unsigned long long) st.cfg.corrupt_offset);
                }
            }
            uint64_t span = slice_end - now;
            uint64_t sweep_ms = span * st.cfg.sweep_percent / 100u;
            dirty_until(&st, (double) (now - last_work) / 1000.0, slice_end - sweep_ms);
            last_work = now;
            uint64_t t = now_ms();
            if (t < slice_end && sweep_ms > 0) {
                uint64_t sweep_end = t + sweep_ms < slice_end ? t + sweep_ms : slice_end;
                sweep_until(&st, sweep_end);
            }
        }
        wait_and_handle_input(&st, slice_end);
    }
}
