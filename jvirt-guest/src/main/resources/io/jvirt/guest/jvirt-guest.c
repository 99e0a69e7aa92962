/*
 * jvirt test guest workload. Runs as PID 1 in a tiny initramfs (exec'd by /init) and must never exit.
 *
 * Configured from /proc/cmdline: jvirt.fill=<MiB> jvirt.dirty=<MiB/s> jvirt.seed=<n> jvirt.sweep=<percent>,
 * and, for tests that must see the check fail, jvirt.corrupt=<byte offset>: once ready, the guest flips that
 * byte of its fill area behind its own back, as a lost or stray write would.
 *
 * Disk workload, when jvirt.disk=<device> is given (jvirt.disk_mibps=<MiB/s>, default 0; jvirt.disk_mib=<MiB>,
 * default 64; jvirt.disk_verify=<percent of its time spent verifying>, default 50): a thread of its own writes
 * 4 KiB blocks over the first disk_mib MiB of the device in a circle, reads each chunk back, and verifies the
 * whole written region in passes, all with O_DIRECT so that reads reach the virtual disk, not the page cache.
 * Block b written by write number w (w counts every block write on this region, b = w mod N for N blocks)
 * holds a header (magic, seed, b, generation w / N) and content that is a pure function of them, so no data
 * is kept in RAM: a pass expects block b to hold the latest write number below the count. At start the
 * thread scans the region for the highest valid write number and continues from there, so a rebooted or
 * copied disk keeps its history; with disk_mibps=0 the device is opened read-only and only verified (after a
 * copy, say). A write lost at the very end of the history cannot be told from one never made by a fresh
 * guest: compare its disk_writes with the last one the writer printed.
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
 *       followed, with the disk workload, by: disk_writes=<count> disk_pass=<p> disk=ok|BAD@<sector>
 *       (count: block writes on the region, earlier boots' included; p: whole passes of this boot; sector:
 *       the first 512-byte sector found wrong or unreadable, decimal; sticky)
 *   jvirt-guest ready fill_mib=<n> seed=<s>
 *   jvirt-guest sweep=<n> uptime_ms=<ms>        (each time the check has covered the whole fill area)
 *   jvirt-guest powerdown[ disk_writes=<count>] (the disk thread has stopped and its writes are flushed)
 * Anything else is informational; readers ignore it.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/input.h>
#include <linux/fs.h>
#include <poll.h>
#include <pthread.h>
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

#define DISK_BLOCK 4096u
#define DISK_WORDS (DISK_BLOCK / 8u)
#define DISK_CHUNK 16u              /* blocks per read or write: 64 KiB */
#define DISK_SLICE_MS 50
#define DISK_SYNC_MS 250
#define DISK_OPEN_RETRY_MS 200
#define DISK_OPEN_REPORT_MS 10000
#define DISK_MAGIC 0x315453444a4c564aull /* "JVLJDST1" */
#define DISK_MAX_GEN (1ull << 40)

struct disk {
    char device[128];
    uint64_t mibps;
    uint64_t region_mib;
    uint64_t verify_percent;
    uint64_t seed;
    int fd;
    uint64_t nblocks;
    uint64_t count;          /* block writes on the region so far; the next one is number `count` */
    uint64_t verify_cursor;
    double owed;             /* blocks owed to the configured rate */
    unsigned char *io;       /* DISK_CHUNK blocks, aligned for O_DIRECT */
    uint64_t *expect;        /* one block */
    /* Shared with the main thread: written here with release stores, read there with acquire loads. */
    uint64_t pub_writes;
    uint64_t pub_passes;
    int pub_bad;
    uint64_t pub_bad_sector;
    int stop;                /* set by the main thread at power off */
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
    struct disk *disk;       /* NULL without the disk workload */
    pthread_t disk_thread;
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

/* Copies the value of `key` (up to the next space) into out; returns 0 when the key is absent or empty. */
static int parse_string(const char *cmdline, const char *key, char *out, size_t size) {
    size_t klen = strlen(key);
    for (const char *p = cmdline; (p = strstr(p, key)) != NULL; p += klen) {
        if ((p == cmdline || p[-1] == ' ') && p[klen] == '=') {
            const char *v = p + klen + 1;
            size_t n = strcspn(v, " \n");
            if (n == 0 || n >= size) return 0;
            memcpy(out, v, n);
            out[n] = 0;
            return 1;
        }
    }
    return 0;
}

static void read_cmdline(char *cmdline, size_t size) {
    cmdline[0] = 0;
    int fd = open("/proc/cmdline", O_RDONLY);
    if (fd >= 0) {
        ssize_t n = read(fd, cmdline, size - 1);
        if (n < 0) n = 0;
        cmdline[n] = 0;
        close(fd);
    }
}

static struct config read_config(const char *cmdline) {
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


/* ---- disk workload: runs on its own thread, so slow or stalled I/O never delays a tick ---- */

static void make_block(uint64_t *out, uint64_t seed, uint64_t block, uint64_t gen) {
    out[0] = DISK_MAGIC;
    out[1] = seed;
    out[2] = block;
    out[3] = gen;
    uint64_t s = mix64(seed ^ 0xd15cd15cd15cd15cull ^ mix64(block ^ (gen << 32) ^ (gen >> 32))) | 1u;
    for (unsigned i = 4; i < NOISE_WORDS; i++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        out[i] = s;
    }
    for (unsigned i = NOISE_WORDS; i < DISK_WORDS; i += 2) {
        out[i] = gen ^ DISK_MAGIC;
        out[i + 1] = block ^ seed;
    }
}

static uint64_t disk_region_end(const struct disk *d) {
    return d->count < d->nblocks ? d->count : d->nblocks;
}

/* The generation block b must hold: that of the latest write number below count that lands on b. */
static uint64_t disk_expected_gen(const struct disk *d, uint64_t b) {
    return (d->count - 1 - b) / d->nblocks;
}

static void disk_fail(struct disk *d, uint64_t sector, const char *what) {
    if (__atomic_load_n(&d->pub_bad, __ATOMIC_ACQUIRE)) return;
    __atomic_store_n(&d->pub_bad_sector, sector, __ATOMIC_RELAXED);
    __atomic_store_n(&d->pub_bad, 1, __ATOMIC_RELEASE);
    say("jvirt-guest disk BAD sector=%llu (%s)", (unsigned long long) sector, what);
}

static int disk_io(struct disk *d, int write_it, uint64_t first, uint64_t n) {
    size_t len = (size_t) (n * DISK_BLOCK);
    off_t off = (off_t) (first * DISK_BLOCK);
    for (size_t done = 0; done < len;) {
        ssize_t r = write_it ? pwrite(d->fd, d->io + done, len - done, off + (off_t) done)
                             : pread(d->fd, d->io + done, len - done, off + (off_t) done);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) {
            say("jvirt-guest disk error: %s of blocks %llu+%llu failed: %s", write_it ? "write" : "read",
                (unsigned long long) first, (unsigned long long) n, r < 0 ? strerror(errno) : "end of device");
            disk_fail(d, (first * DISK_BLOCK + done) / 512u, write_it ? "write-error" : "read-error");
            return -1;
        }
        done += (size_t) r;
    }
    return 0;
}

/* Checks the n blocks at `first` in d->io against what the count says they hold. */
static void disk_check(struct disk *d, uint64_t first, uint64_t n) {
    for (uint64_t k = 0; k < n; k++) {
        uint64_t b = first + k;
        const uint64_t *got = (const uint64_t *) (d->io + k * DISK_BLOCK);
        uint64_t gen = disk_expected_gen(d, b);
        make_block(d->expect, d->seed, b, gen);
        if (memcmp(got, d->expect, DISK_BLOCK) == 0) continue;
        unsigned i = 0;
        while (i < DISK_WORDS - 1 && got[i] == d->expect[i]) i++;
        uint64_t diff = got[i] ^ d->expect[i];
        uint64_t byte = b * DISK_BLOCK + (uint64_t) i * 8u + (diff ? (uint64_t) __builtin_ctzll(diff) / 8u : 0);
        if (!__atomic_load_n(&d->pub_bad, __ATOMIC_ACQUIRE)) {
            say("jvirt-guest disk mismatch block=%llu gen=%llu found_magic=%d found_gen=%llu byte=%llu",
                (unsigned long long) b, (unsigned long long) gen, got[0] == DISK_MAGIC,
                (unsigned long long) got[3], (unsigned long long) byte);
        }
        disk_fail(d, byte / 512u, "mismatch");
        return;
    }
}

/* The write number one past the highest whole, valid block on the region: where the history goes on. */
static int disk_scan(struct disk *d) {
    uint64_t count = 0;
    for (uint64_t first = 0; first < d->nblocks && !__atomic_load_n(&d->stop, __ATOMIC_ACQUIRE);) {
        uint64_t n = d->nblocks - first < DISK_CHUNK ? d->nblocks - first : DISK_CHUNK;
        if (disk_io(d, 0, first, n) < 0) return -1;
        for (uint64_t k = 0; k < n; k++) {
            uint64_t b = first + k;
            const uint64_t *got = (const uint64_t *) (d->io + k * DISK_BLOCK);
            if (got[0] != DISK_MAGIC || got[1] != d->seed || got[2] != b || got[3] >= DISK_MAX_GEN) continue;
            make_block(d->expect, d->seed, b, got[3]);
            if (memcmp(got, d->expect, DISK_BLOCK) != 0) continue;
            uint64_t next = got[3] * d->nblocks + b + 1;
            if (next > count) count = next;
        }
        first += n;
    }
    d->count = count;
    return 0;
}

static void disk_publish(struct disk *d, uint64_t passes) {
    __atomic_store_n(&d->pub_writes, d->count, __ATOMIC_RELEASE);
    if (passes) __atomic_store_n(&d->pub_passes, passes, __ATOMIC_RELEASE);
}

static void disk_write_owed(struct disk *d, uint64_t deadline) {
    while (d->owed >= 1.0 && now_ms() < deadline && !__atomic_load_n(&d->stop, __ATOMIC_ACQUIRE)) {
        uint64_t first = d->count % d->nblocks;
        uint64_t n = (uint64_t) d->owed;
        if (n > DISK_CHUNK) n = DISK_CHUNK;
        if (n > d->nblocks - first) n = d->nblocks - first;
        for (uint64_t k = 0; k < n; k++) {
            make_block((uint64_t *) (d->io + k * DISK_BLOCK), d->seed, first + k, (d->count + k) / d->nblocks);
        }
        if (disk_io(d, 1, first, n) < 0) return;
        d->count += n;
        d->owed -= (double) n;
        disk_publish(d, 0);
        /* Read the chunk straight back: O_DIRECT, so this is the virtual disk's answer. */
        if (disk_io(d, 0, first, n) < 0) return;
        disk_check(d, first, n);
    }
}

static void disk_verify_until(struct disk *d, uint64_t deadline, uint64_t *passes) {
    while (now_ms() < deadline && !__atomic_load_n(&d->stop, __ATOMIC_ACQUIRE)) {
        uint64_t end = disk_region_end(d);
        if (end == 0) return;
        if (d->verify_cursor >= end) d->verify_cursor = 0;
        uint64_t first = d->verify_cursor;
        uint64_t n = end - first < DISK_CHUNK ? end - first : DISK_CHUNK;
        if (disk_io(d, 0, first, n) < 0) return;
        disk_check(d, first, n);
        d->verify_cursor = first + n;
        if (d->verify_cursor >= end) {
            d->verify_cursor = 0;
            disk_publish(d, ++*passes);
        }
    }
}

static void sleep_until(uint64_t deadline_ms) {
    uint64_t now = now_ms();
    if (deadline_ms <= now) return;
    struct timespec ts = {(time_t) ((deadline_ms - now) / 1000u), (long) ((deadline_ms - now) % 1000u) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {}
}

static int disk_open(struct disk *d) {
    uint64_t started = now_ms();
    uint64_t reported = started;
    int flags = (d->mibps > 0 ? O_RDWR : O_RDONLY) | O_DIRECT | O_CLOEXEC;
    /* SCSI disks appear after an asynchronous scan: wait for the node rather than fail at once. */
    while ((d->fd = open(d->device, flags)) < 0) {
        if (__atomic_load_n(&d->stop, __ATOMIC_ACQUIRE)) return -1;
        if (now_ms() - reported >= DISK_OPEN_REPORT_MS) {
            say("jvirt-guest disk error: cannot open %s after %llu ms: %s", d->device,
                (unsigned long long) (now_ms() - started), strerror(errno));
            reported = now_ms();
        }
        sleep_until(now_ms() + DISK_OPEN_RETRY_MS);
    }
    uint64_t bytes = 0;
    if (ioctl(d->fd, BLKGETSIZE64, &bytes) < 0) {
        off_t end = lseek(d->fd, 0, SEEK_END);
        bytes = end > 0 ? (uint64_t) end : 0;
    }
    uint64_t want = d->region_mib * 1024u * 1024u;
    if (want > bytes) {
        say("jvirt-guest warning: disk_mib=%llu exceeds %s (%llu bytes), using %llu MiB",
            (unsigned long long) d->region_mib, d->device, (unsigned long long) bytes,
            (unsigned long long) (bytes >> 20));
        want = bytes;
    }
    d->nblocks = want / DISK_BLOCK;
    if (d->nblocks == 0) {
        say("jvirt-guest disk error: %s has no room for a block", d->device);
        return -1;
    }
    return 0;
}

static void *disk_main(void *arg) {
    struct disk *d = arg;
    if (disk_open(d) < 0) return NULL;
    uint64_t t0 = now_ms();
    if (disk_scan(d) < 0) return NULL;
    disk_publish(d, 0);
    say("jvirt-guest disk ready device=%s region_mib=%llu writes=%llu scan_ms=%llu", d->device,
        (unsigned long long) (d->nblocks * DISK_BLOCK >> 20), (unsigned long long) d->count,
        (unsigned long long) (now_ms() - t0));
    uint64_t passes = 0;
    uint64_t last = now_ms();
    uint64_t last_sync = last;
    uint64_t synced = d->count;
    double per_second = (double) d->mibps * (1024.0 * 1024.0 / DISK_BLOCK);
    while (!__atomic_load_n(&d->stop, __ATOMIC_ACQUIRE)) {
        uint64_t now = now_ms();
        uint64_t slice_end = now + DISK_SLICE_MS;
        uint64_t verify_ms = DISK_SLICE_MS * d->verify_percent / 100u;
        d->owed += per_second * (double) (now - last) / 1000.0;
        /* Owing more than a second's worth only happens when the disk cannot keep up; do not pile up. */
        if (d->owed > per_second) d->owed = per_second;
        last = now;
        disk_write_owed(d, slice_end - verify_ms);
        disk_verify_until(d, now_ms() + verify_ms, &passes);
        /* The device may cache writes (QEMU's cache=writeback): flush them, as a database would. */
        if (d->count != synced && now_ms() - last_sync >= DISK_SYNC_MS) {
            if (fdatasync(d->fd) < 0) say("jvirt-guest disk error: fdatasync: %s", strerror(errno));
            synced = d->count;
            last_sync = now_ms();
        }
        sleep_until(slice_end);
    }
    if (d->count != synced && fdatasync(d->fd) < 0) say("jvirt-guest disk error: fdatasync: %s", strerror(errno));
    return NULL;
}

static void disk_start(struct state *st, const char *cmdline) {
    static struct disk d;
    if (!parse_string(cmdline, "jvirt.disk", d.device, sizeof d.device)) return;
    d.mibps = parse_key(cmdline, "jvirt.disk_mibps", 0);
    d.region_mib = parse_key(cmdline, "jvirt.disk_mib", 64);
    d.verify_percent = parse_key(cmdline, "jvirt.disk_verify", 50);
    if (d.verify_percent < 1) d.verify_percent = 1;
    if (d.verify_percent > 100) d.verify_percent = 100;
    d.seed = st->cfg.seed;
    d.fd = -1;
    if (posix_memalign((void **) &d.io, DISK_BLOCK, DISK_CHUNK * DISK_BLOCK) != 0
        || posix_memalign((void **) &d.expect, DISK_BLOCK, DISK_BLOCK) != 0) {
        say("jvirt-guest disk error: cannot allocate I/O buffers");
        return;
    }
    st->disk = &d;
    say("jvirt-guest disk start device=%s disk_mibps=%llu disk_mib=%llu verify_percent=%llu", d.device,
        (unsigned long long) d.mibps, (unsigned long long) d.region_mib, (unsigned long long) d.verify_percent);
    if (pthread_create(&st->disk_thread, NULL, disk_main, &d) != 0) {
        say("jvirt-guest disk error: cannot start the disk thread");
        st->disk = NULL;
    }
}

/* Stops the disk thread (it finishes its chunk and flushes) before the machine goes away. */
static void disk_stop(struct state *st) {
    if (st->disk == NULL) return;
    __atomic_store_n(&st->disk->stop, 1, __ATOMIC_RELEASE);
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 5;
    if (pthread_timedjoin_np(st->disk_thread, NULL, &deadline) != 0) {
        say("jvirt-guest warning: the disk thread did not stop within 5 s");
    }
}

static int disk_tick_fields(struct state *st, char *out, size_t size) {
    if (st->disk == NULL) {
        out[0] = 0;
        return 0;
    }
    struct disk *d = st->disk;
    char verdict[40];
    if (__atomic_load_n(&d->pub_bad, __ATOMIC_ACQUIRE)) {
        snprintf(verdict, sizeof verdict, "BAD@%llu",
                 (unsigned long long) __atomic_load_n(&d->pub_bad_sector, __ATOMIC_RELAXED));
    } else {
        snprintf(verdict, sizeof verdict, "ok");
    }
    return snprintf(out, size, " disk_writes=%llu disk_pass=%llu disk=%s",
                    (unsigned long long) __atomic_load_n(&d->pub_writes, __ATOMIC_ACQUIRE),
                    (unsigned long long) __atomic_load_n(&d->pub_passes, __ATOMIC_ACQUIRE), verdict);
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

static void power_off(struct state *st) {
    disk_stop(st);
    if (st->disk != NULL) {
        say("jvirt-guest powerdown disk_writes=%llu",
            (unsigned long long) __atomic_load_n(&st->disk->pub_writes, __ATOMIC_ACQUIRE));
    } else {
        say("jvirt-guest powerdown");
    }
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
                if (ev[k].type == EV_KEY && ev[k].code == KEY_POWER && ev[k].value == 1) power_off(st);
            }
        }
    }
}

int main(void) {
    static struct state st;
    static char cmdline[4096];
    read_cmdline(cmdline, sizeof cmdline);
    st.cfg = read_config(cmdline);
    say("jvirt-guest start fill_mib=%llu dirty_mibps=%llu seed=%llu sweep_percent=%llu",
        (unsigned long long) st.cfg.fill_mib, (unsigned long long) st.cfg.dirty_mibps,
        (unsigned long long) st.cfg.seed, (unsigned long long) st.cfg.sweep_percent);
    disk_start(&st, cmdline);
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
            char disk[96];
            if (st.bad) snprintf(pattern, sizeof pattern, "BAD@0x%llx", (unsigned long long) st.bad_offset);
            else snprintf(pattern, sizeof pattern, "ok");
            disk_tick_fields(&st, disk, sizeof disk);
            say("jvirt-guest tick=%llu uptime_ms=%llu dirty_mibps=%llu pattern=%s%s", (unsigned long long) tick++,
                (unsigned long long) now, (unsigned long long) st.cfg.dirty_mibps, pattern, disk);
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
