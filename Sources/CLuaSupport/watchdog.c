/*
 * The watchdog: a background thread that notices a call making no progress (no hook firing, no row,
 * no emitted record, no line read) for longer than the host's watchdog limit: the plugin is stuck in a
 * single library call (e.g. a pattern match on a long string) where no hook can fire. Such a call cannot be
 * interrupted safely, so the default handler prints why and ends the process with _exit(1).
 * The same thread arms the deferred budget hook of long calls (arming.c).
 */
#include "host.h"

#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t wd_lock = PTHREAD_MUTEX_INITIALIZER;
static sw_host *wd_list;
static int wd_running;
static _Atomic(sw_watchdog_fn) wd_handler;
static _Atomic(sw_watchdog_context_fn) wd_context;

void sw_set_watchdog_handler(sw_watchdog_fn handler) { atomic_store(&wd_handler, handler); }
void sw_set_watchdog_context(sw_watchdog_context_fn describe) { atomic_store(&wd_context, describe); }

/* Where the stuck call of `h` is, for the message: the row (described by the context function when there is
 * one) or the record a source is producing. Under wd_lock, so the host (and its log_ud) cannot be freed. */
static void describe_place(sw_host *h, int64_t row, int64_t record, char *out, size_t cap) {
    out[0] = 0;
    if (row >= 0) {
        sw_watchdog_context_fn describe = atomic_load(&wd_context);
        if (describe) describe(h->log_ud, row, out, cap);
        out[cap - 1] = 0;
        if (out[0] == 0) snprintf(out, cap, " for row %lld", (long long)row + 1);
    } else if (record >= 0) {
        snprintf(out, cap, " while producing record %lld (after %lld emitted)", (long long)record + 1, (long long)record);
    }
}

/* Worded like the CLI's other errors (`seg: error: plugin 'x' (file): …`). The stall may be in any single
 * library call (a pattern match on a long string, a huge string.rep or table.concat, …): name none. */
static void default_handler(const char *plugin, const char *file, const char *context, double stuck, double limit) {
    fprintf(stderr,
            "seg: error: plugin '%s' (%s) made no progress for %.1f s%s: it is stuck inside a single library call "
            "(e.g. a pattern match on a long string), where limits.seconds cannot stop it. The watchdog limit is "
            "%.1f s (max(5 x limits.seconds, 10 s)); such a call cannot be interrupted safely, so seg stops now "
            "with exit status 1 (exports are written atomically: no half-written file is left). Simplify the "
            "plugin's patterns or shorten its inputs, or raise limits.seconds in workspace.yaml.\n",
            plugin, file, stuck, context, limit);
    fflush(stderr);
    _exit(1);
}

/* Arms the budget hook of a call whose budget period (h->seq) has not changed for SW_GRACE_NS (see
 * arming.c); asks again every 50 ms while the signal handler has not confirmed it. Under wd_lock. */
static void tick_arming(sw_host *h, uint64_t now) {
    if (h->exact) return;
    uint64_t seq = atomic_load(&h->seq);
    if (seq != h->tk_seq) {
        h->tk_seq = seq;
        h->tk_since_ns = now;
        return;
    }
    if (now - h->tk_since_ns < SW_GRACE_NS || atomic_load(&h->arm_ack) == seq) return;
    if (h->tk_requested == seq && now - h->tk_requested_ns < 50000000u) return;
    atomic_store(&h->arm_since_ns, h->tk_since_ns);
    atomic_store(&h->arm_seq, seq);
    h->tk_requested = seq;
    h->tk_requested_ns = now;
    sw_send_arm_signal(atomic_load(&h->call_tid));
}

/* Set while the ticker waits for a call to start; sw_ticker_wake signals wd_wake then. */
static _Atomic int wd_idle;
static pthread_cond_t wd_wake = PTHREAD_COND_INITIALIZER;

void sw_ticker_wake(void) {
    if (!atomic_load(&wd_idle)) return;
    pthread_mutex_lock(&wd_lock);
    pthread_cond_signal(&wd_wake);
    pthread_mutex_unlock(&wd_lock);
}

static int any_active(void) {
    for (sw_host *h = wd_list; h; h = h->wd_next)
        if (atomic_load(&h->active)) return 1;
    return 0;
}

/*
 * The ticker: every SW_TICK_NS while a call runs it arms calls past their grace period and looks for
 * stalled ones; while no call runs it sleeps on wd_wake (no wake-ups); it ends when no host is left.
 */
static void *wd_main(void *unused) {
    (void)unused;
    pthread_mutex_lock(&wd_lock);
    for (;;) {
        char name[256], file[1024], place[512];
        int64_t row = -1, record = -1;
        double stuck_s = 0, limit_s = 0;
        int found = 0;
        if (wd_list == NULL) {
            wd_running = 0;
            pthread_mutex_unlock(&wd_lock);
            return NULL;
        }
        atomic_store(&wd_idle, 1);
        if (!any_active()) {
            pthread_cond_wait(&wd_wake, &wd_lock);
            atomic_store(&wd_idle, 0);
            continue;
        }
        atomic_store(&wd_idle, 0);
        uint64_t now = sw_now_ns();
        for (sw_host *h = wd_list; h; h = h->wd_next) {
            if (!atomic_load(&h->active)) {
                h->wd_seen_generation = atomic_load(&h->generation);
                h->wd_seen_beats = atomic_load_explicit(&h->beats, memory_order_relaxed);
                h->wd_since_ns = now;
                h->wd_fired = 0;
                continue;
            }
            tick_arming(h, now);
            uint64_t gen = atomic_load(&h->generation), beats = atomic_load_explicit(&h->beats, memory_order_relaxed);
            if (gen != h->wd_seen_generation || beats != h->wd_seen_beats) {
                h->wd_seen_generation = gen;
                h->wd_seen_beats = beats;
                h->wd_since_ns = now;
                h->wd_fired = 0;
                continue;
            }
            double s = (double)(now - h->wd_since_ns) / 1e9;
            if (!found && !h->wd_fired && h->watchdog_seconds > 0 && s > h->watchdog_seconds) {
                h->wd_fired = 1;
                found = 1;
                snprintf(name, sizeof name, "%s", h->name ? h->name : "?");
                snprintf(file, sizeof file, "%s", h->file ? h->file : "?");
                stuck_s = s;
                limit_s = h->watchdog_seconds;
                row = atomic_load(&h->wd_row);
                record = atomic_load(&h->wd_record);
                describe_place(h, row, record, place, sizeof place);
            }
        }
        pthread_mutex_unlock(&wd_lock);
        if (found) {
            sw_watchdog_fn handler = atomic_load(&wd_handler);
            if (handler == NULL || !handler(name, file, place, row, record, stuck_s, limit_s))
                default_handler(name, file, place, stuck_s, limit_s);
        }
        struct timespec ts = {0, (long)SW_TICK_NS};
        nanosleep(&ts, NULL);
        pthread_mutex_lock(&wd_lock);
    }
}

void sw_watchdog_register(sw_host *h) {
    pthread_mutex_lock(&wd_lock);
    h->wd_next = wd_list;
    wd_list = h;
    if (!wd_running) {
        pthread_t thread;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        if (pthread_create(&thread, &attr, wd_main, NULL) == 0) wd_running = 1;
        pthread_attr_destroy(&attr);
    }
    pthread_mutex_unlock(&wd_lock);
}

void sw_watchdog_unregister(sw_host *h) {
    pthread_mutex_lock(&wd_lock);
    for (sw_host **p = &wd_list; *p; p = &(*p)->wd_next) {
        if (*p == h) {
            *p = h->wd_next;
            break;
        }
    }
    if (wd_list == NULL) pthread_cond_signal(&wd_wake); /* an idle ticker ends */
    pthread_mutex_unlock(&wd_lock);
}

void sw_watchdog_set_name(sw_host *h, const char *name) {
    size_t n = strlen(name) + 1;
    char *copy = malloc(n);
    if (copy == NULL) return;
    memcpy(copy, name, n);
    pthread_mutex_lock(&wd_lock);
    free(h->name);
    h->name = copy;
    pthread_mutex_unlock(&wd_lock);
}
