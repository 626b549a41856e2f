/*
 * powercut: a FUSE file system for the power-loss test (PowerLossIT) that models a page cache that
 * a power cut empties. It passes every operation through to a backing directory, and remembers
 * what a power cut would take back:
 *
 *  - data: a file's contents survive only up to its last fsync (or fdatasync). Every write or
 *    truncation after it is recorded (the size the file had at its last fsync, and the old bytes
 *    of any synced range that is overwritten or cut off), so that a cut restores the file as it was
 *    at its last fsync;
 *  - names, in strict mode ("strict" as the third argument): a create, mkdir, link, unlink, rmdir
 *    or rename is durable only once each directory it changes has been fsynced (the strict POSIX
 *    reading). Until then a cut undoes it (unlinked and replaced files wait in the graveyard
 *    directory to come back). Without strict mode names are durable at once.
 *
 * LevelDB's info log (LOG, LOG.old) is exempt: a cut keeps all of it, as evidence of what LevelDB did.
 * Name changes, directory fsyncs and fsyncs of files other than logs are printed to stderr as they
 * happen (with the time in ms), every write and fsync of a log or manifest too with POWERCUT_TRACE.
 *
 * Creating a file named ".power-cut" at the root cuts the power at once; ".power-cut-after-N-OP-PART"
 * (OP: create, rename, unlink, write, fsync; PART: part of the file's path, ".log", "MANIFEST",
 * "CURRENT") arms a cut right after the Nth such operation on such a file. Both answer the create with an error (ECANCELED:
 * cut; EALREADY: armed). After a cut every operation fails with EIO and the file system exits: the
 * disk is gone until it is mounted again. What the cut dropped is written to stderr.
 *
 * It runs single-threaded (-s), so operations and the cut never interleave.
 *
 * Usage: powercut BACKING GRAVEYARD strict|lazy MOUNTPOINT
 */
#define FUSE_USE_VERSION 31
#define _GNU_SOURCE

#include <fuse.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <unistd.h>

static const char *backing;
static const char *graveyard;
static int strict;
static int dead;
static unsigned long grave_counter;
static int tracing; /* POWERCUT_TRACE set: every change and fsync of a log or manifest is printed */

#define TRACE(...) do { if (tracing) { fprintf(stderr, "powercut: " __VA_ARGS__); } } while (0)
/* Always printed (few a cycle): name changes, directory fsyncs, fsyncs of files other than logs. */
#define EVENT(...) do { fprintf(stderr, "powercut: %ld ", now_ms() % 1000000); fprintf(stderr, __VA_ARGS__); } while (0)

static long now_ms(void) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return tv.tv_sec * 1000L + tv.tv_usec / 1000;
}

/*
 * LevelDB's info log (LOG, LOG.old), which it never reads, is kept whole by a cut: what it wrote
 * up to the cut (its recoveries, compactions, deleted files) is the evidence of a failing cut.
 */
static int info_log(const char *path) {
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    return strcmp(base, "LOG") == 0 || strcmp(base, "LOG.old") == 0;
}

/* ---- data: what each file held at its last fsync ---- */

struct undo {
    off_t off;
    size_t len;
    char *bytes;
    struct undo *next; /* older */
};

struct file_state {
    ino_t ino;
    int fd;         /* read-write, on the inode whatever its names */
    off_t durable;  /* the size at the last fsync */
    struct undo *undos; /* newest first */
    struct file_state *next;
};

static struct file_state *files;

/* ---- names: changes not yet made durable by a directory fsync (strict mode) ---- */

enum name_kind { CREATE, MKDIR, UNLINK, RMDIR, RENAME };

struct name_op {
    enum name_kind kind;
    char *from;    /* the name created, removed, or renamed from */
    char *to;      /* RENAME: the new name */
    char *saved;   /* UNLINK, RENAME over a file: where the removed file waits */
    char *dirs[2]; /* directories whose fsync it waits for; NULL once synced */
    struct name_op *prev, *next;
};

static struct name_op *ops_first, *ops_last;

/* ---- the armed cut ---- */

static long armed_count;
static char armed_op[16];
static char armed_part[NAME_MAX + 1];

static void cut(const char *why);

static void full(char *out, const char *path) {
    snprintf(out, PATH_MAX, "%s%s", backing, path);
}

static char *parent_of(const char *path) {
    char *copy = strdup(path);
    char *dir = strdup(dirname(copy));
    free(copy);
    return dir;
}

/* Cuts the power if the armed cut waits for this operation. */
static void happened(const char *op, const char *path) {
    if (armed_count > 0 && strcmp(op, armed_op) == 0 && strstr(path, armed_part) != NULL && --armed_count == 0) {
        char why[PATH_MAX + 64];
        snprintf(why, sizeof why, "after %s %s", op, path);
        cut(why);
    }
}

static struct file_state *state_of(ino_t ino) {
    for (struct file_state *s = files; s; s = s->next) {
        if (s->ino == ino) {
            return s;
        }
    }
    return NULL;
}

/* The state of the file open as fd, created when the file is about to change after an fsync. */
static struct file_state *changing(int fd) {
    struct stat st;
    if (fstat(fd, &st) < 0) {
        return NULL;
    }
    struct file_state *s = state_of(st.st_ino);
    if (s) {
        return s;
    }
    char self[64];
    snprintf(self, sizeof self, "/proc/self/fd/%d", fd);
    int rw = open(self, O_RDWR);
    if (rw < 0) {
        return NULL;
    }
    s = calloc(1, sizeof *s);
    s->ino = st.st_ino;
    s->fd = rw;
    s->durable = st.st_size;
    s->next = files;
    files = s;
    return s;
}

/* Keeps the synced bytes in [from, to) that are about to change. */
static void keep_synced(struct file_state *s, off_t from, off_t to) {
    if (to > s->durable) {
        to = s->durable;
    }
    if (from >= to) {
        return;
    }
    struct undo *u = malloc(sizeof *u);
    u->off = from;
    u->len = (size_t) (to - from);
    u->bytes = malloc(u->len);
    ssize_t n = pread(s->fd, u->bytes, u->len, from);
    u->len = n > 0 ? (size_t) n : 0;
    u->next = s->undos;
    s->undos = u;
}

static void forget(struct file_state *gone) {
    for (struct file_state **p = &files; *p; p = &(*p)->next) {
        if (*p == gone) {
            *p = gone->next;
            for (struct undo *u = gone->undos, *n; u; u = n) {
                n = u->next;
                free(u->bytes);
                free(u);
            }
            close(gone->fd);
            free(gone);
            return;
        }
    }
}

static void record(enum name_kind kind, const char *from, const char *to, const char *saved) {
    if (!strict) {
        return;
    }
    struct name_op *op = calloc(1, sizeof *op);
    op->kind = kind;
    op->from = strdup(from);
    op->to = to ? strdup(to) : NULL;
    op->saved = saved ? strdup(saved) : NULL;
    op->dirs[0] = parent_of(from);
    op->dirs[1] = to ? parent_of(to) : NULL;
    op->prev = ops_last;
    if (ops_last) {
        ops_last->next = op;
    } else {
        ops_first = op;
    }
    ops_last = op;
}

static void drop_op(struct name_op *op) {
    if (op->prev) op->prev->next = op->next; else ops_first = op->next;
    if (op->next) op->next->prev = op->prev; else ops_last = op->prev;
    free(op->from);
    free(op->to);
    free(op->saved);
    free(op->dirs[0]);
    free(op->dirs[1]);
    free(op);
}

/* Moves the file at real path p to the graveyard (as a second name); returns its graveyard path. */
static char *to_graveyard(const char *p) {
    char g[PATH_MAX];
    snprintf(g, sizeof g, "%s/%lu", graveyard, ++grave_counter);
    if (link(p, g) < 0) {
        return NULL;
    }
    return strdup(g);
}

static int remove_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw) {
    (void) st; (void) flag; (void) ftw;
    return remove(p);
}

/* Takes back one name change that no directory fsync made durable. */
static int undo_name(struct name_op *op) {
    char a[PATH_MAX], b[PATH_MAX];
    full(a, op->from);
    switch (op->kind) {
    case CREATE:
        return unlink(a);
    case MKDIR:
        return nftw(a, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    case UNLINK:
        return op->saved ? rename(op->saved, a) : -1;
    case RMDIR:
        return mkdir(a, 0755);
    case RENAME:
        full(b, op->to);
        if (rename(b, a) < 0) {
            return -1;
        }
        return op->saved ? rename(op->saved, b) : 0;
    }
    return -1;
}

static void cut(const char *why) {
    if (dead) {
        return;
    }
    dead = 1;
    long names = 0, failed = 0;
    static const char *kinds[] = {"create", "mkdir", "unlink", "rmdir", "rename"};
    for (struct name_op *op = ops_last; op; op = op->prev) {
        fprintf(stderr, "powercut: undo %s %s%s%s\n", kinds[op->kind], op->from, op->to ? " -> " : "", op->to ? op->to : "");
        if (undo_name(op) < 0) {
            failed++;
            fprintf(stderr, "powercut: could not undo a name change of %s: %s\n", op->from, strerror(errno));
        }
        names++;
    }
    long long dropped = 0;
    long changed = 0;
    for (struct file_state *s = files; s; s = s->next) {
        struct stat st;
        if (fstat(s->fd, &st) == 0 && st.st_size > s->durable) {
            dropped += st.st_size - s->durable;
        }
        if (ftruncate(s->fd, s->durable) < 0) {
            failed++;
        }
        for (struct undo *u = s->undos; u; u = u->next) { /* newest first: the oldest bytes win */
            if (pwrite(s->fd, u->bytes, u->len, u->off) != (ssize_t) u->len) {
                failed++;
            }
            dropped += (long long) u->len;
        }
        changed++;
    }
    struct timeval now;
    gettimeofday(&now, NULL);
    fprintf(stderr, "powercut: power cut at %lld ms %s: dropped %lld unsynced bytes of %ld files, undid %ld name changes, "
            "%ld failures\n", (long long) now.tv_sec * 1000 + now.tv_usec / 1000, why, dropped, changed, names, failed);
    fflush(stderr);
    fuse_exit(fuse_get_context()->fuse);
}

#define LIVE() do { if (dead) return -EIO; } while (0)

static void *pc_init(struct fuse_conn_info *conn, struct fuse_config *cfg) {
    (void) conn;
    cfg->use_ino = 1;
    cfg->nullpath_ok = 0;
    cfg->entry_timeout = 0;
    cfg->attr_timeout = 0;
    cfg->negative_timeout = 0;
    fprintf(stderr, "powercut: mounted (%s names)\n", strict ? "strict" : "lazy");
    fflush(stderr);
    return NULL;
}

static int pc_getattr(const char *path, struct stat *st, struct fuse_file_info *fi) {
    LIVE();
    int res = fi ? fstat((int) fi->fh, st) : ({ char p[PATH_MAX]; full(p, path); lstat(p, st); });
    return res < 0 ? -errno : 0;
}

static int pc_access(const char *path, int mask) {
    LIVE();
    char p[PATH_MAX];
    full(p, path);
    return access(p, mask) < 0 ? -errno : 0;
}

static int pc_readdir(const char *path, void *buf, fuse_fill_dir_t filler, off_t offset,
                      struct fuse_file_info *fi, enum fuse_readdir_flags flags) {
    (void) offset; (void) fi; (void) flags;
    LIVE();
    char p[PATH_MAX];
    full(p, path);
    DIR *d = opendir(p);
    if (!d) {
        return -errno;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        struct stat st = {0};
        st.st_ino = e->d_ino;
        st.st_mode = (mode_t) e->d_type << 12;
        if (filler(buf, e->d_name, &st, 0, 0)) {
            break;
        }
    }
    closedir(d);
    return 0;
}

static int pc_mkdir(const char *path, mode_t mode) {
    LIVE();
    char p[PATH_MAX];
    full(p, path);
    if (mkdir(p, mode) < 0) {
        return -errno;
    }
    record(MKDIR, path, NULL, NULL);
    return 0;
}

static int pc_unlink(const char *path) {
    LIVE();
    char p[PATH_MAX];
    full(p, path);
    struct stat st;
    if (lstat(p, &st) < 0) {
        return -errno;
    }
    char *saved = strict ? to_graveyard(p) : NULL;
    if (unlink(p) < 0) {
        int e = errno;
        if (saved) { unlink(saved); free(saved); }
        return -e;
    }
    if (strict) {
        record(UNLINK, path, NULL, saved);
        free(saved);
    } else if (st.st_nlink == 1 && state_of(st.st_ino)) {
        forget(state_of(st.st_ino)); /* gone for good: nothing of it to restore */
    }
    EVENT("unlink %s\n", path);
    happened("unlink", path);
    return 0;
}

static int pc_rmdir(const char *path) {
    LIVE();
    char p[PATH_MAX];
    full(p, path);
    if (rmdir(p) < 0) {
        return -errno;
    }
    record(RMDIR, path, NULL, NULL);
    return 0;
}

static int pc_rename(const char *from, const char *to, unsigned int flags) {
    LIVE();
    if (flags) {
        return -EINVAL;
    }
    char a[PATH_MAX], b[PATH_MAX];
    full(a, from);
    full(b, to);
    struct stat st;
    char *saved = NULL;
    if (strict && lstat(b, &st) == 0 && !S_ISDIR(st.st_mode)) {
        saved = to_graveyard(b);
    }
    if (rename(a, b) < 0) {
        int e = errno;
        if (saved) { unlink(saved); free(saved); }
        return -e;
    }
    record(RENAME, from, to, saved);
    free(saved);
    EVENT("rename %s %s\n", from, to);
    happened("rename", to);
    return 0;
}

static int pc_link(const char *from, const char *to) {
    LIVE();
    char a[PATH_MAX], b[PATH_MAX];
    full(a, from);
    full(b, to);
    if (link(a, b) < 0) {
        return -errno;
    }
    record(CREATE, to, NULL, NULL);
    return 0;
}

static int pc_chmod(const char *path, mode_t mode, struct fuse_file_info *fi) {
    LIVE();
    char p[PATH_MAX];
    full(p, path);
    int res = fi ? fchmod((int) fi->fh, mode) : chmod(p, mode);
    return res < 0 ? -errno : 0;
}

static int pc_chown(const char *path, uid_t uid, gid_t gid, struct fuse_file_info *fi) {
    LIVE();
    char p[PATH_MAX];
    full(p, path);
    int res = fi ? fchown((int) fi->fh, uid, gid) : lchown(p, uid, gid);
    return res < 0 ? -errno : 0;
}

/* Truncates the file open as fd (a new one if fd < 0, at path), keeping the synced bytes it cuts off. */
static int truncate_fd(int fd, const char *path, off_t size) {
    int own = -1;
    if (fd < 0) {
        char p[PATH_MAX];
        full(p, path);
        fd = own = open(p, O_RDWR);
        if (fd < 0) {
            return -errno;
        }
    }
    struct file_state *s = path && info_log(path) ? NULL : changing(fd);
    if (s) {
        keep_synced(s, size, s->durable);
    }
    TRACE("truncate %s %lld\n", path ? path : "?", (long long) size);
    int res = ftruncate(fd, size) < 0 ? -errno : 0;
    if (own >= 0) {
        close(own);
    }
    return res;
}

static int pc_truncate(const char *path, off_t size, struct fuse_file_info *fi) {
    LIVE();
    return truncate_fd(fi ? (int) fi->fh : -1, path, size);
}

static int pc_utimens(const char *path, const struct timespec tv[2], struct fuse_file_info *fi) {
    LIVE();
    char p[PATH_MAX];
    full(p, path);
    int res = fi ? futimens((int) fi->fh, tv) : utimensat(AT_FDCWD, p, tv, AT_SYMLINK_NOFOLLOW);
    return res < 0 ? -errno : 0;
}

/* The control files: a cut now, or an armed cut. */
static int control(const char *path) {
    const char *name = path + 1;
    if (strcmp(name, ".power-cut") == 0) {
        cut("on request");
        return -ECANCELED;
    }
    long n;
    int used = 0;
    if (sscanf(name, ".power-cut-after-%ld-%15[a-z]-%n", &n, armed_op, &used) == 2 && used > 0 && n > 0) {
        snprintf(armed_part, sizeof armed_part, "%s", name + used);
        armed_count = n;
        return -EALREADY;
    }
    return -EINVAL;
}

static int pc_create(const char *path, mode_t mode, struct fuse_file_info *fi) {
    LIVE();
    if (strncmp(path, "/.power-cut", 11) == 0) {
        return control(path);
    }
    char p[PATH_MAX];
    full(p, path);
    int fd = open(p, fi->flags | O_CREAT, mode);
    if (fd < 0) {
        return -errno;
    }
    fi->fh = (uint64_t) fd;
    record(CREATE, path, NULL, NULL);
    EVENT("create %s\n", path);
    happened("create", path);
    return dead ? -EIO : 0;
}

static int pc_open(const char *path, struct fuse_file_info *fi) {
    LIVE();
    char p[PATH_MAX];
    full(p, path);
    int flags = fi->flags;
    if (flags & O_TRUNC) {
        int res = truncate_fd(-1, path, 0);
        if (res < 0) {
            return res;
        }
        flags &= ~O_TRUNC;
    }
    int fd = open(p, flags);
    if (fd < 0) {
        return -errno;
    }
    fi->fh = (uint64_t) fd;
    return 0;
}

static int pc_read(const char *path, char *buf, size_t size, off_t off, struct fuse_file_info *fi) {
    (void) path;
    LIVE();
    ssize_t n = pread((int) fi->fh, buf, size, off);
    return n < 0 ? -errno : (int) n;
}

static int pc_write(const char *path, const char *buf, size_t size, off_t off, struct fuse_file_info *fi) {
    LIVE();
    int fd = (int) fi->fh;
    if (info_log(path)) {
        ssize_t n = pwrite(fd, buf, size, off);
        return n < 0 ? -errno : (int) n;
    }
    struct file_state *s = changing(fd);
    if (!s) {
        return -EIO;
    }
    keep_synced(s, off, off + (off_t) size);
    ssize_t n = pwrite(fd, buf, size, off);
    if (n < 0) {
        return -errno;
    }
    if (strstr(path, ".log") || strstr(path, "MANIFEST")) {
        TRACE("write %s %lld+%zu (synced size %lld)\n", path, (long long) off, size, (long long) s->durable);
    }
    happened("write", path);
    return dead ? -EIO : (int) n;
}

static int pc_statfs(const char *path, struct statvfs *st) {
    LIVE();
    char p[PATH_MAX];
    full(p, path);
    return statvfs(p, st) < 0 ? -errno : 0;
}

static int pc_release(const char *path, struct fuse_file_info *fi) {
    (void) path;
    close((int) fi->fh);
    return 0;
}

/* A file's fsync makes its data durable (not its name: that takes its directory's fsync). */
static int pc_fsync(const char *path, int datasync, struct fuse_file_info *fi) {
    (void) datasync;
    LIVE();
    struct stat st;
    if (fstat((int) fi->fh, &st) < 0) {
        return -errno;
    }
    struct file_state *s = state_of(st.st_ino);
    TRACE("fsync %s size %lld\n", path, (long long) st.st_size);
    if (!strstr(path, ".log") && !info_log(path)) {
        EVENT("fsync %s size %lld\n", path, (long long) st.st_size);
    }
    if (s) {
        forget(s);
    }
    happened("fsync", path);
    return dead ? -EIO : 0;
}

/* A removed directory is gone for good: so are the changes in it that were waiting for its own fsync. */
static void drop_under(const char *dir, struct name_op **next) {
    size_t n = strlen(dir);
    for (struct name_op *op = ops_first, *after; op; op = after) {
        after = op->next;
        if (strncmp(op->from, dir, n) == 0 && op->from[n] == '/') {
            if (*next == op) {
                *next = after;
            }
            if (op->saved) {
                unlink(op->saved);
            }
            drop_op(op);
        }
    }
}

/* A directory's fsync makes the name changes in it durable. */
static int pc_fsyncdir(const char *path, int datasync, struct fuse_file_info *fi) {
    (void) datasync; (void) fi;
    LIVE();
    EVENT("fsyncdir %s\n", path);
    for (struct name_op *op = ops_first, *next; op; op = next) {
        next = op->next;
        for (int i = 0; i < 2; i++) {
            if (op->dirs[i] && strcmp(op->dirs[i], path) == 0) {
                free(op->dirs[i]);
                op->dirs[i] = NULL;
            }
        }
        if (!op->dirs[0] && !op->dirs[1]) {
            if (op->saved) {
                unlink(op->saved);
            }
            if (op->kind == RMDIR) {
                drop_under(op->from, &next);
            }
            drop_op(op);
        }
    }
    return 0;
}

static const struct fuse_operations ops = {
    .init = pc_init,
    .getattr = pc_getattr,
    .access = pc_access,
    .readdir = pc_readdir,
    .mkdir = pc_mkdir,
    .unlink = pc_unlink,
    .rmdir = pc_rmdir,
    .rename = pc_rename,
    .link = pc_link,
    .chmod = pc_chmod,
    .chown = pc_chown,
    .truncate = pc_truncate,
    .utimens = pc_utimens,
    .create = pc_create,
    .open = pc_open,
    .read = pc_read,
    .write = pc_write,
    .statfs = pc_statfs,
    .release = pc_release,
    .fsync = pc_fsync,
    .fsyncdir = pc_fsyncdir,
};

int main(int argc, char *argv[]) {
    if (argc != 5 || (strcmp(argv[3], "strict") != 0 && strcmp(argv[3], "lazy") != 0)) {
        fprintf(stderr, "usage: %s BACKING GRAVEYARD strict|lazy MOUNTPOINT\n", argv[0]);
        return 2;
    }
    backing = realpath(argv[1], NULL);
    graveyard = realpath(argv[2], NULL);
    strict = strcmp(argv[3], "strict") == 0;
    tracing = getenv("POWERCUT_TRACE") != NULL;
    if (!backing || !graveyard) {
        perror("powercut: backing or graveyard directory");
        return 2;
    }
    char *fuse_argv[] = {argv[0], "-f", "-s", "-o", "fsname=powercut,subtype=powercut", argv[4], NULL};
    return fuse_main(6, fuse_argv, &ops, NULL);
}
