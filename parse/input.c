#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <zlib.h>

#include "input.h"

/* Read and inflate in blocks this big: few system calls, flat memory. */
#define BLK		((size_t)1024 * 1024)
/* Grow the line buffer when less than this is free after compacting. */
#define MINFREE		((size_t)64 * 1024)
/*
 * A file is read and hashed by a thread of its own, ahead of the parser,
 * through a ring of NSLOT blocks: on two cores SHA-256 then costs no wall
 * time.  The ring bounds memory (NSLOT * SLOTSZ) whatever the input.
 */
#define NSLOT		4
#define SLOTSZ		((size_t)256 * 1024)

struct slot {
	unsigned char	*p;
	size_t		 n, off;	/* p[off..n) not yet taken */
	int		 err;		/* errno of a failed read; 0 */
	int		 hashfail;	/* SHA-256 update failed */
	int		 eof;		/* nothing after this slot */
};

struct input {
	int		 fd;		/* -1 for an in-memory source */
	int		 own_fd;
	const unsigned char *mem;
	size_t		 memn, memoff;
	int		 raw_eof;
	uint64_t	 bytes;
	EVP_MD_CTX	*md;
	input_tick_fn	*tick;		/* called after each raw block; NULL */
	void		*tickctx;

	int		 threaded;	/* a reader thread fills ring[] */
	pthread_t	 th;
	pthread_mutex_t	 mu;		/* guards head, count, stop, ring[] */
	pthread_mutex_t	 mdmu;		/* guards md while the thread runs */
	pthread_cond_t	 space, data;
	struct slot	 ring[NSLOT];
	size_t		 head, count;	/* next slot to take; slots filled */
	int		 stop;

	int		 started;	/* the gzip magic has been looked for */
	int		 gz;
	z_stream	 z;
	int		 zinit;
	int		 member_done;	/* a gzip member ended; another may follow */
	unsigned char	*raw;		/* compressed input, gzip only */

	char		*buf;		/* text: buf[off..len) is not yet split */
	size_t		 cap, off, len;
	size_t		 scan;		/* no newline in buf[off..scan) */
	int		 eof;		/* no more text will come */
	int		 failed;	/* an error was returned: sticky */
	size_t		 maxline;

	/*
	 * A view: lines handed out of the ring's head slot itself, not
	 * copied into buf (the reader thread's block, whole lines of it).
	 * It is opened only with buf empty and holds the slot until a call
	 * after its last line.
	 */
	char		*vp;		/* the slot's bytes; NULL: no view */
	size_t		 vn, voff;	/* vp[voff..vn) not yet split */

	int		 skipping;	/* inside a line over the limit */
	char		 prefix[INPUT_PREFIX];
	size_t		 prefixn;
	uint64_t	 skiplen;
	uint64_t	 lineno;
};

static struct input *
input_alloc(size_t maxline, int flags, struct diag *d)
{
	struct input *r;

	if ((r = calloc(1, sizeof(*r))) == NULL) {
		diag_set(d, DIAG_NOMEM, "cannot allocate a reader");
		return NULL;
	}
	r->fd = -1;
	r->maxline = maxline ? maxline : INPUT_MAXLINE;
	r->cap = BLK;
	if ((r->buf = malloc(r->cap)) == NULL || (!(flags & INPUT_NOHASH) &&
	    ((r->md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(r->md, EVP_sha256(), NULL) != 1))) {
		input_close(r);
		diag_set(d, DIAG_NOMEM, "cannot allocate a reader");
		return NULL;
	}
	return r;
}

/*
 * The reader thread: read a block, hash it, hand it over; stop after the
 * end, an error, or when told to.  It keeps no state but r's ring, and the
 * only place it may be cancelled is inside read(2), which holds no lock:
 * input_close() cancels it there when the input is a pipe that may never end.
 */
static void *
reader(void *arg)
{
	struct input *r = arg;
	size_t tail = 0;
	int old;

	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
	for (;;) {
		struct slot *sl;
		ssize_t got;
		int err = 0, hashfail = 0;

		pthread_mutex_lock(&r->mu);
		while (r->count == NSLOT && !r->stop)
			pthread_cond_wait(&r->space, &r->mu);
		if (r->stop) {
			pthread_mutex_unlock(&r->mu);
			break;
		}
		pthread_mutex_unlock(&r->mu);
		/* Slot tail is free and only this thread touches it now. */
		sl = &r->ring[tail];
		pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, &old);
		do
			got = read(r->fd, sl->p, SLOTSZ);
		while (got == -1 && errno == EINTR);
		if (got == -1)
			err = errno;
		pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
		if (got > 0 && r->md != NULL) {
			pthread_mutex_lock(&r->mdmu);
			hashfail = EVP_DigestUpdate(r->md, sl->p,
			    (size_t)got) != 1;
			pthread_mutex_unlock(&r->mdmu);
		}
		pthread_mutex_lock(&r->mu);
		sl->n = got > 0 ? (size_t)got : 0;
		sl->off = 0;
		sl->err = err;
		sl->hashfail = hashfail;
		sl->eof = got <= 0 || hashfail;
		r->count++;
		pthread_cond_signal(&r->data);
		pthread_mutex_unlock(&r->mu);
		if (got <= 0 || hashfail)
			break;
		tail = (tail + 1) % NSLOT;
	}
	return NULL;
}

/* Start the reader thread; without one (no memory, no thread) the reads
 * stay in the caller's thread, slower but the same. */
static void
start(struct input *r)
{
	size_t i;

	for (i = 0; i < NSLOT; i++)
		if ((r->ring[i].p = malloc(SLOTSZ)) == NULL)
			goto fail;
	if (pthread_mutex_init(&r->mu, NULL) != 0)
		goto fail;
	if (pthread_mutex_init(&r->mdmu, NULL) != 0)
		goto fail_mu;
	if (pthread_cond_init(&r->space, NULL) != 0)
		goto fail_mdmu;
	if (pthread_cond_init(&r->data, NULL) != 0)
		goto fail_space;
	if (pthread_create(&r->th, NULL, reader, r) != 0)
		goto fail_data;
	r->threaded = 1;
	return;
fail_data:
	pthread_cond_destroy(&r->data);
fail_space:
	pthread_cond_destroy(&r->space);
fail_mdmu:
	pthread_mutex_destroy(&r->mdmu);
fail_mu:
	pthread_mutex_destroy(&r->mu);
fail:
	for (i = 0; i < NSLOT; i++) {
		free(r->ring[i].p);
		r->ring[i].p = NULL;
	}
}

static void
finish(struct input *r)
{
	size_t i;

	if (!r->threaded)
		return;
	pthread_mutex_lock(&r->mu);
	r->stop = 1;
	pthread_cond_signal(&r->space);
	pthread_mutex_unlock(&r->mu);
	/* A thread waiting in read(2) on a pipe would wait for ever. */
	pthread_cancel(r->th);
	pthread_join(r->th, NULL);
	pthread_cond_destroy(&r->data);
	pthread_cond_destroy(&r->space);
	pthread_mutex_destroy(&r->mdmu);
	pthread_mutex_destroy(&r->mu);
	for (i = 0; i < NSLOT; i++)
		free(r->ring[i].p);
	r->threaded = 0;
}

struct input *
input_open(const char *path, size_t maxline, struct diag *d)
{
	return input_open_flags(path, maxline, 0, d);
}

struct input *
input_open_flags(const char *path, size_t maxline, int flags, struct diag *d)
{
	struct input *r;
	int fd;

	if (strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY)) == -1) {
		if (d != NULL)
			d->err = errno;
		diag_set(d, DIAG_IO, "cannot open");
		return NULL;
	}
	if ((r = input_alloc(maxline, flags, d)) == NULL) {
		if (fd != STDIN_FILENO)
			close(fd);
		return NULL;
	}
	r->fd = fd;
	r->own_fd = fd != STDIN_FILENO;
	start(r);
	return r;
}

struct input *
input_open_mem(const void *buf, size_t n, size_t maxline, struct diag *d)
{
	struct input *r;

	if ((r = input_alloc(maxline, 0, d)) == NULL)
		return NULL;
	r->mem = buf;
	r->memn = n;
	return r;
}

void
input_close(struct input *r)
{
	if (r == NULL)
		return;
	finish(r);
	if (r->own_fd)
		close(r->fd);
	if (r->zinit)
		inflateEnd(&r->z);
	EVP_MD_CTX_free(r->md);
	free(r->raw);
	free(r->buf);
	free(r);
}

/* The head slot, once the reader thread has filled it. */
static struct slot *
head(struct input *r)
{
	pthread_mutex_lock(&r->mu);
	while (r->count == 0)
		pthread_cond_wait(&r->data, &r->mu);
	pthread_mutex_unlock(&r->mu);
	return &r->ring[r->head];
}

/* The head slot, all taken, back to the reader thread. */
static void
give_back(struct input *r)
{
	pthread_mutex_lock(&r->mu);
	r->head = (r->head + 1) % NSLOT;
	r->count--;
	pthread_cond_signal(&r->space);
	pthread_mutex_unlock(&r->mu);
}

/* Up to n bytes from the ring, already hashed by the reader thread. */
static ssize_t
take(struct input *r, void *dst, size_t n, struct diag *d)
{
	struct slot *sl = head(r);
	size_t k;

	if (sl->off == sl->n && sl->eof) {
		/* The thread has stopped: an error or the end. */
		if (sl->hashfail)
			return diag_set(d, DIAG_IO, "SHA-256 update failed");
		if (sl->err != 0) {
			if (d != NULL)
				d->err = sl->err;
			return diag_set(d, DIAG_IO, "cannot read");
		}
		r->raw_eof = 1;
		return 0;
	}
	k = sl->n - sl->off < n ? sl->n - sl->off : n;
	memcpy(dst, sl->p + sl->off, k);
	sl->off += k;
	r->bytes += (uint64_t)k;
	if (sl->off == sl->n && !sl->eof)
		give_back(r);
	return (ssize_t)k;
}

/*
 * More text from the ring, copied as little as can be: with buf empty,
 * the head slot's bytes become the view (vp); with a line begun in buf,
 * its end is copied after it (the slot's bytes up to its first newline),
 * the rest left for a view.  The end, an error or a slot the thread
 * could not hash are taken as take() takes them.  Returns the bytes
 * taken, 0 at the end, -1.
 */
static ssize_t
take_more(struct input *r, struct diag *d)
{
	struct slot *sl;
	ssize_t got;
	size_t room = r->cap - r->len;
	const unsigned char *nl;

	if (r->raw_eof)
		return 0;
	sl = head(r);
	if (!sl->eof && r->len == 0) {
		/* Not given back yet: the view's lines point into it. */
		r->vp = (char *)sl->p + sl->off;
		r->vn = sl->n - sl->off;
		r->voff = 0;
		r->bytes += (uint64_t)r->vn;
		got = (ssize_t)r->vn;
	} else {
		if (!sl->eof && (nl = memchr(sl->p + sl->off, '\n',
		    sl->n - sl->off)) != NULL &&
		    (size_t)(nl - (sl->p + sl->off)) + 1 < room)
			room = (size_t)(nl - (sl->p + sl->off)) + 1;
		if ((got = take(r, r->buf + r->len, room, d)) > 0)
			r->len += (size_t)got;
	}
	if (got > 0 && r->tick != NULL)
		r->tick(r->tickctx, r->bytes);
	return got;
}

/* Raw bytes as stored: hashed and counted here (or in the reader thread),
 * and nowhere else. */
static ssize_t
raw_block(struct input *r, void *dst, size_t n, struct diag *d)
{
	ssize_t got;

	if (r->threaded)
		return take(r, dst, n, d);
	if (r->fd == -1) {
		got = (ssize_t)(r->memn - r->memoff < n ? r->memn - r->memoff : n);
		memcpy(dst, r->mem + r->memoff, (size_t)got);
		r->memoff += (size_t)got;
	} else {
		do
			got = read(r->fd, dst, n);
		while (got == -1 && errno == EINTR);
		if (got == -1) {
			if (d != NULL)
				d->err = errno;
			return diag_set(d, DIAG_IO, "cannot read");
		}
	}
	if (got == 0) {
		r->raw_eof = 1;
		return 0;
	}
	if (r->md != NULL && EVP_DigestUpdate(r->md, dst, (size_t)got) != 1)
		return diag_set(d, DIAG_IO, "SHA-256 update failed");
	r->bytes += (uint64_t)got;
	return got;
}

/* A block, and the tick after it: the one place per block, off the
 * per-line path. */
static ssize_t
raw_read(struct input *r, void *dst, size_t n, struct diag *d)
{
	ssize_t got;

	if (r->raw_eof)
		return 0;
	if ((got = raw_block(r, dst, n, d)) > 0 && r->tick != NULL)
		r->tick(r->tickctx, r->bytes);
	return got;
}

/*
 * Inflate into buf[len..cap).  Returns the bytes produced, 0 at the clean
 * end of the last member, -1 on corrupt or truncated data.
 */
static ssize_t
inflate_more(struct input *r, struct diag *d)
{
	for (;;) {
		size_t room = r->cap - r->len, made;
		ssize_t got;
		int ret;

		if (r->z.avail_in == 0 && !r->raw_eof) {
			if ((got = raw_read(r, r->raw, BLK, d)) < 0)
				return -1;
			r->z.next_in = r->raw;
			r->z.avail_in = (uInt)got;
		}
		if (r->member_done) {
			if (r->z.avail_in == 0)
				return 0;
			/* gzip allows members back to back (cat a.gz b.gz);
			 * anything else after a member fails the header
			 * check below and is reported, not ignored. */
			if (inflateReset(&r->z) != Z_OK)
				return diag_set(d, DIAG_IO, "corrupt gzip data");
			r->member_done = 0;
		}
		r->z.next_out = (unsigned char *)r->buf + r->len;
		r->z.avail_out = (uInt)room;
		ret = inflate(&r->z, Z_NO_FLUSH);
		made = room - r->z.avail_out;
		r->len += made;
		if (ret == Z_STREAM_END)
			r->member_done = 1;
		else if (ret == Z_BUF_ERROR) {
			/* No progress: fine while more input may come, but a
			 * stream cut short is an error, never the end. */
			if (r->z.avail_in == 0 && r->raw_eof)
				return diag_set(d, DIAG_IO, "corrupt gzip "
				    "data: unexpected end of file");
		} else if (ret != Z_OK)
			return diag_set(d, DIAG_IO, "corrupt gzip data: %s",
			    r->z.msg ? r->z.msg : zError(ret));
		if (made > 0)
			return (ssize_t)made;
	}
}

/* Look for the gzip magic in the first two bytes, which are in buf. */
static int
detect(struct input *r, struct diag *d)
{
	ssize_t got;

	while (r->len < 2) {
		if ((got = raw_read(r, r->buf + r->len, r->cap - r->len, d)) < 0)
			return -1;
		if (got == 0)
			break;
		r->len += (size_t)got;
	}
	r->started = 1;
	if (r->len < 2 || (unsigned char)r->buf[0] != 0x1f ||
	    (unsigned char)r->buf[1] != 0x8b)
		return 0;
	r->gz = 1;
	if ((r->raw = malloc(BLK)) == NULL)
		return diag_set(d, DIAG_NOMEM, "cannot allocate a gzip buffer");
	memcpy(r->raw, r->buf, r->len);
	memset(&r->z, 0, sizeof(r->z));
	/* 16 + MAX_WBITS: a gzip header and trailer, not a zlib one. */
	if (inflateInit2(&r->z, 16 + MAX_WBITS) != Z_OK)
		return diag_set(d, DIAG_NOMEM, "cannot start inflating");
	r->zinit = 1;
	r->z.next_in = r->raw;
	r->z.avail_in = (uInt)r->len;
	r->len = r->off = r->scan = 0;
	return 0;
}

/* More text after buf[len].  Returns the bytes added, 0 at the end. */
static ssize_t
fill(struct input *r, struct diag *d)
{
	ssize_t got;

	if (!r->started) {
		size_t had = r->len;

		if (detect(r, d) == -1)
			return -1;
		if (!r->gz && r->len > had)
			return (ssize_t)(r->len - had);
	}
	if (r->off > 0) {
		memmove(r->buf, r->buf + r->off, r->len - r->off);
		r->len -= r->off;
		r->scan -= r->off;
		r->off = 0;
	}
	if (r->cap - r->len < MINFREE) {
		/* Never past the limit plus a block: a longer line is
		 * skipped before the buffer would have to hold it. */
		size_t ncap = r->cap * 2, lim = r->maxline + 2 + BLK;
		char *p;

		if (ncap > lim)
			ncap = lim;
		if (ncap < r->len + MINFREE)
			ncap = r->len + MINFREE;
		if ((p = realloc(r->buf, ncap)) == NULL)
			return diag_set(d, DIAG_NOMEM,
			    "cannot grow the line buffer");
		r->buf = p;
		r->cap = ncap;
	}
	if (r->gz)
		return inflate_more(r, d);
	/* A line over the limit streams through buf, to be dropped. */
	if (r->threaded && !r->skipping)
		return take_more(r, d);
	if ((got = raw_read(r, r->buf + r->len, r->cap - r->len, d)) > 0)
		r->len += (size_t)got;
	return got;
}

static void
keep_prefix(struct input *r, const char *s, size_t n)
{
	r->prefixn = n < INPUT_PREFIX ? n : INPUT_PREFIX;
	memcpy(r->prefix, s, r->prefixn);
}

/* Hand out the line s[0..n) (CRLF files; a CR alone at the end is
 * stripped too). */
static inline int
give(struct input *r, struct input_line *l, const char *s, size_t n)
{
	if (n > 0 && s[n - 1] == '\r')
		n--;
	l->s = s;
	l->no = ++r->lineno;
	l->full = n;
	if (n > r->maxline) {
		l->n = n < INPUT_PREFIX ? n : INPUT_PREFIX;
		return INPUT_TOOLONG;
	}
	l->n = n;
	return INPUT_LINE;
}

/* The line buf[off..end), the text after it starting at after. */
static inline int
cut(struct input *r, struct input_line *l, size_t end, size_t after)
{
	size_t off = r->off;

	r->off = r->scan = after;
	return give(r, l, r->buf + off, end - off);
}

/*
 * The rest of the view (a line begun) moved into buf, which is empty
 * while a view is open, and the slot given back (no line handed out
 * points into it any more): once a slot, out of the lines' path.
 */
static void	view_end(struct input *, const char *)
		    __attribute__((noinline));

static void
view_end(struct input *r, const char *s)
{
	r->off = 0;
	r->len = r->scan = r->vn - r->voff;
	memcpy(r->buf, s, r->len);
	r->vp = NULL;
	r->ring[r->head].off = r->ring[r->head].n;
	give_back(r);
}

/* The view's next line; else 0, the view closed (view_end()). */
static inline __attribute__((always_inline)) int
view_line(struct input *r, struct input_line *l)
{
	const char *s = r->vp + r->voff;
	const char *nl = memchr(s, '\n', r->vn - r->voff);

	if (nl != NULL) {
		r->voff = (size_t)(nl - r->vp) + 1;
		return give(r, l, s, (size_t)(nl - s));
	}
	view_end(r, s);
	return 0;
}

/*
 * A line whole in what is held (the view, else the buffer from scan on):
 * cut, its status returned; else 0, with scan past what was looked at.
 */
static inline int
held_line(struct input *r, struct input_line *l)
{
	const char *nl;
	int st;

	if (r->vp != NULL && (st = view_line(r, l)) != 0)
		return st;
	nl = memchr(r->buf + r->scan, '\n', r->len - r->scan);
	if (nl != NULL)
		return cut(r, l, (size_t)(nl - r->buf),
		    (size_t)(nl - r->buf) + 1);
	r->scan = r->len;
	return 0;
}

/* Out of line: input_next() keeps its common case light. */
static int	next(struct input *, struct input_line *, struct diag *)
		    __attribute__((noinline));

static int
next(struct input *r, struct input_line *l, struct diag *d)
{
	for (;;) {
		char *nl;
		ssize_t got;
		int st;

		if (r->skipping) {
			nl = memchr(r->buf + r->off, '\n', r->len - r->off);
			if (nl != NULL || r->eof) {
				size_t end = nl ? (size_t)(nl - r->buf) : r->len;

				r->skiplen += end - r->off;
				r->off = r->scan = nl ? end + 1 : r->len;
				r->skipping = 0;
				l->s = r->prefix;
				l->n = r->prefixn;
				l->no = ++r->lineno;
				l->full = r->skiplen;
				return INPUT_TOOLONG;
			}
			/* Drop what streamed by: never hold the line whole. */
			r->skiplen += r->len - r->off;
			r->off = r->len = r->scan = 0;
			if ((got = fill(r, d)) < 0)
				return INPUT_ERR;
			if (got == 0)
				r->eof = 1;
			continue;
		}
		if ((st = held_line(r, l)) != 0)
			return st;
		if (r->eof && r->len > r->off)
			return cut(r, l, r->len, r->len);
		if (r->eof)
			return INPUT_EOF;
		if (r->len - r->off > r->maxline + 1) {
			keep_prefix(r, r->buf + r->off, r->len - r->off);
			r->skiplen = 0;
			r->skipping = 1;
			continue;
		}
		if ((got = fill(r, d)) < 0)
			return INPUT_ERR;
		if (got == 0)
			r->eof = 1;
	}
}

/* input_next(), inline in input_records()'s loop. */
static inline __attribute__((always_inline)) int
next_line(struct input *r, struct input_line *l, struct diag *d)
{
	int st;

	/* After an error the stream's position is unknown: never resume. */
	if (r->failed) {
		diag_set(d, DIAG_IO, "read after an error");
		return INPUT_ERR;
	}
	/* A whole line in the buffer, as most are: next()'s loop is for
	 * the ends of blocks.  Where none is, none is looked for again. */
	if (!r->skipping && (st = held_line(r, l)) != 0)
		return st;
	if ((st = next(r, l, d)) == INPUT_ERR)
		r->failed = 1;
	return st;
}

int
input_next(struct input *r, struct input_line *l, struct diag *d)
{
	return next_line(r, l, d);
}

uint64_t
input_bytes(const struct input *r)
{
	return r->bytes;
}

void
input_set_tick(struct input *r, input_tick_fn *fn, void *ctx)
{
	r->tick = fn;
	r->tickctx = ctx;
}

int
input_regular(const struct input *r)
{
	struct stat st;

	return r->fd != -1 && fstat(r->fd, &st) == 0 && S_ISREG(st.st_mode);
}

int
input_gzip(const struct input *r)
{
	return r->gz;
}

int
input_sha256(struct input *r, char hex[65], struct diag *d)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	EVP_MD_CTX *c;
	int ok;

	if (r->md == NULL)
		return diag_set(d, DIAG_IO, "no SHA-256 taken (INPUT_NOHASH)");
	/* Finish a copy, so that the running digest stays usable. */
	if ((c = EVP_MD_CTX_new()) == NULL)
		return diag_set(d, DIAG_NOMEM, "cannot allocate a digest");
	if (r->threaded)
		pthread_mutex_lock(&r->mdmu);
	ok = EVP_MD_CTX_copy_ex(c, r->md) == 1;
	if (r->threaded)
		pthread_mutex_unlock(&r->mdmu);
	if (!ok || EVP_DigestFinal_ex(c, md, &n) != 1 || n != 32) {
		EVP_MD_CTX_free(c);
		return diag_set(d, DIAG_IO, "SHA-256 failed");
	}
	EVP_MD_CTX_free(c);
	for (unsigned int i = 0; i < n; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[64] = '\0';
	return 0;
}

int
input_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

int
input_records(const char *path, const char *name, input_record_fn *fn, void *ctx,
    uint64_t *blanks, struct diag *d)
{
	struct input *r;
	struct input_line l;
	uint64_t lines = 0;
	int st, rc = -1;

	d->src = name;
	d->line = 0;
	if ((r = input_open_flags(path, 0, INPUT_NOHASH, d)) == NULL)
		return -1;
	while ((st = next_line(r, &l, d)) != INPUT_EOF) {
		if (st == INPUT_ERR) {
			/* Where the input broke: the line it was reading. */
			d->src = name;
			d->line = (unsigned long)(lines + 1);
			goto out;
		}
		lines = l.no;
		d->src = name;
		d->line = (unsigned long)l.no;
		if (st == INPUT_TOOLONG) {
			diag_set(d, DIAG_DATA, "expected a record, got a line of "
			    "%llu bytes (the limit is %zu MiB)",
			    (unsigned long long)l.full, INPUT_MAXLINE >> 20);
			goto out;
		}
		if (input_blank(l.s, l.n)) {
			(*blanks)++;
			continue;
		}
		if (fn(ctx, l.s, l.n, d) == -1)
			goto out;
	}
	rc = 0;
out:
	input_close(r);
	return rc;
}

int
input_slurp(const char *path, const char *name, size_t max, struct input_text *t,
    struct diag *d)
{
	struct input *r;
	struct input_line l;
	size_t cap = 0;
	char *p;
	int st;

	memset(t, 0, sizeof(*t));
	d->src = name;
	d->line = 0;
	if ((r = input_open(path, max, d)) == NULL)
		return -1;
	while ((st = input_next(r, &l, d)) == INPUT_LINE) {
		/* The line, its newline, and room for the NUL at the end. */
		if (cap - t->n < l.n + 2) {
			size_t ncap = cap ? cap : 65536;

			while (ncap - t->n < l.n + 2)
				ncap *= 2;
			if ((p = realloc(t->s, ncap)) == NULL) {
				diag_set(d, DIAG_NOMEM, "out of memory for %zu "
				    "bytes", ncap);
				goto fail;
			}
			t->s = p;
			cap = ncap;
		}
		memcpy(t->s + t->n, l.s, l.n);
		t->n += l.n;
		t->s[t->n++] = '\n';
	}
	if (st == INPUT_TOOLONG) {
		d->line = (unsigned long)l.no;
		diag_set(d, DIAG_DATA, "a line of %llu bytes: over the limit "
		    "of %zu MiB", (unsigned long long)l.full, max >> 20);
		goto fail;
	}
	if (st == INPUT_ERR || input_sha256(r, t->sha256, d) == -1)
		goto fail;
	if (t->s == NULL && (t->s = malloc(1)) == NULL) {
		diag_set(d, DIAG_NOMEM, "out of memory");
		goto fail;
	}
	t->s[t->n] = '\0';
	t->bytes = input_bytes(r);
	input_close(r);
	return 0;
fail:
	input_close(r);
	free(t->s);
	memset(t, 0, sizeof(*t));
	return -1;
}
