#ifndef SEGWORK_HOST_INTERNAL_H
#define SEGWORK_HOST_INTERNAL_H
/* Internal state of a plugin host, shared by the C files of this target. Not visible to Swift. */
#include <stdatomic.h>
#include <stdint.h>
#include <lauxlib.h>
#include "lua_support.h"

/* Slots of the host table (a table kept in the registry under a private light-userdata key). */
enum {
    SLOT_ENV = 1,        /* the sandbox environment table */
    SLOT_BUDGET_MSG = 2, /* preallocated error strings raised by the hook */
    SLOT_MANIFEST = SW_SLOT_MANIFEST,
    SLOT_P = SW_SLOT_P,
    SLOT_MAIN = 5,       /* assign / score / read */
    SLOT_PREPARE = 6,
    SLOT_TIME_MSG = 7,
    SLOT_FILE_MT = 8,    /* metatable of src:lines file handles */
    SLOT_REQUIRE = SW_SLOT_REQUIRE, /* require cache: module name -> what it returned (a light userdata while loading) */
    SLOT_LABELS = SW_SLOT_LABELS,
    SLOT_SOURCE_MSG = 11, /* preallocated error string raised once a source passed its emitted-data cap */
    SLOT_READ_FILES = SW_SLOT_READ_FILES /* paths src:lines opened (a set), so a run can record what a source read */
};

/* Why a call was stopped; once set, every instruction raises again until the call ends. */
enum { TRIP_NONE = 0, TRIP_INSTRUCTIONS = 1, TRIP_TIME = 2, TRIP_SOURCE_BYTES = 3 };

/*
 * Deferred budget hook (see arming.c). Any Lua hook makes the VM trace every instruction, so a call runs
 * with no hook at first; the ticker thread (watchdog.c) arms the count hook on a call it has seen running
 * for SW_GRACE_NS. Hosts whose instruction budget is below SW_EXACT_BUDGET_BELOW keep the hook on from the
 * first instruction of every call, so small budgets stay exact and deterministic.
 */
#define SW_GRACE_NS 10000000ull          /* 10 ms */
#define SW_TICK_NS 5000000ull            /* the ticker's period while a call runs */
#define SW_EXACT_BUDGET_BELOW 10000000   /* instructions */

struct sw_host {
    lua_State *L;
    char *file;          /* plugin file, as given */
    char *chunk_name;    /* "@" + the name messages use for it (never an absolute path) */
    char *name;          /* plugin name once known (guarded by the watchdog lock) */
    char *file_root;     /* realpath of the file root, or NULL */
    char **library_paths;
    char **library_labels; /* how messages name each library path (copies; the path itself when none was given) */
    int library_path_count;
    sw_log_fn log;
    void *log_ud;
    int64_t random_seed;
    int has_frozen_time;
    int64_t frozen_time;

    /* memory accounting (see alloc in host.c) */
    size_t used;
    size_t base;          /* bytes in use once the sandbox was built */
    size_t host_persistent;
    size_t p_bytes;       /* part of host_persistent: the current p table */
    size_t host_bytes;    /* bytes the host allocated (persistent + this call) */
    size_t memory_limit;
    int host_mode;        /* 1 while host code allocates: not charged to the plugin */
    int memory_denied;

    /* budget of the current call */
    int64_t instruction_limit;
    int hook_period;
    int64_t count;
    uint64_t seconds_ns;
    uint64_t start_ns;
    int start_valid;
    int trip;
    char trip_source[256];
    int trip_line;

    /* result details of the last call */
    int result;
    int forbidden;
    int64_t row;
    char *message;
    size_t message_len; /* the message may hold NUL bytes */
    char *traceback;

    /* labels interned by the last assign call */
    int64_t label_count;

    /* source emission */
    int32_t emit_columns;
    int64_t emit_records;
    int64_t emit_capacity;    /* records */
    sw_cell *emit_cells;
    char *emit_bytes;
    size_t emit_bytes_len, emit_bytes_cap;
    size_t emit_bytes_done;   /* emit_bytes_len after the last complete record (a failed emit is undone) */
    uint64_t source_limit;    /* cap on emitted data (see SW_EMIT_VALUE_BYTES); UINT64_MAX: none */

    /* arguments of the call in progress */
    const void *args;

    /* deferred hook (arming.c). seq numbers the budget periods (calls, rows, records); the ticker asks
     * for the hook on the period arm_seq by a signal to call_tid, whose handler sets armed and hooks the
     * running thread. Only the plugin's thread (and its signal handler) writes armed and running. */
    int exact;                       /* hook on from the first instruction (small budgets) */
    _Atomic int armed;               /* the hook is wanted on every thread that runs plugin code */
    _Atomic(lua_State *) running;    /* the thread running plugin code: the main state or a coroutine */
    _Atomic uint64_t seq;
    uint64_t seq_local;
    _Atomic uint64_t arm_seq;        /* written by the ticker */
    _Atomic uint64_t arm_since_ns;   /* when the ticker first saw period arm_seq (its time limit starts there) */
    _Atomic uint64_t arm_ack;        /* the last period the signal handler armed */
    _Atomic int call_tid;            /* kernel id of the thread running the call */
    int unblocked;                   /* the call unblocked the arming signal (blocked again at its end) */
    uint64_t tk_seq, tk_since_ns, tk_requested, tk_requested_ns; /* the ticker's own (under its lock) */

    /* watchdog: read by the watchdog thread */
    _Atomic uint64_t beats;
    _Atomic uint64_t generation;
    _Atomic int active;
    _Atomic int64_t wd_row;      /* the row of the per-row call in progress, -1: none */
    _Atomic int64_t wd_record;   /* the record a source's read is producing (0-based), -1: not in a read */
    double watchdog_seconds;
    struct sw_host *wd_next;
    uint64_t wd_seen_beats, wd_seen_generation, wd_since_ns;
    int wd_fired;
};

/* host.c */
sw_host *sw_host_of(lua_State *L);
uint64_t sw_now_ns(void);
void sw_push_host_table(lua_State *L);
void sw_get_slot(lua_State *L, int slot);
void sw_set_slot(lua_State *L, int slot);       /* pops the value */
int sw_protected(sw_host *h, lua_CFunction body, const void *args);
int sw_body_fail(lua_State *L, sw_host *h, int result); /* records the message on top; returns 0 */
void sw_set_message(sw_host *h, const char *text, size_t len);
static inline void sw_beat(sw_host *h) {
    atomic_store_explicit(&h->beats, atomic_load_explicit(&h->beats, memory_order_relaxed) + 1,
                          memory_order_relaxed);
}
static inline size_t sw_add_saturating(size_t a, size_t b) { return a > SIZE_MAX - b ? SIZE_MAX : a + b; }
/* Bytes plugin code may still allocate now. */
static inline size_t sw_memory_room(const sw_host *h) {
    size_t allowed = sw_add_saturating(sw_add_saturating(h->base, h->host_bytes), h->memory_limit);
    return allowed > h->used ? allowed - h->used : 0;
}
/* arming.c */
void sw_hook(lua_State *L, lua_Debug *ar);                 /* host.c */
void sw_disarm(sw_host *h);
void sw_arm_thread(sw_host *h, lua_State *thread);
void sw_call_begin(sw_host *h);
void sw_call_end(sw_host *h);
void sw_wrap_coroutines(lua_State *L, int co);              /* replaces resume, wrap and close in table co */

/* Starts a budget period (a call, a row, a record): no syscall, no hook unless one is still wanted. */
static inline void sw_reset_budget(sw_host *h) {
    h->count = 0;
    h->start_valid = 0;
    atomic_store_explicit(&h->seq, ++h->seq_local, memory_order_release);
    atomic_signal_fence(memory_order_seq_cst);
    if (atomic_load_explicit(&h->armed, memory_order_relaxed)) sw_disarm(h);
}
/* One per-row call of a plugin function (rows.c, clean.c): a fresh budget and heartbeat, then fn(row, p)
 * with the row's allocations charged to the plugin; leaves the one result on the stack. */
static inline void sw_call_row(sw_host *h, lua_State *L, int fn, int row, int p) {
    sw_reset_budget(h);
    sw_beat(h);
    atomic_store_explicit(&h->wd_row, h->row, memory_order_relaxed);
    lua_pushvalue(L, fn);
    lua_pushvalue(L, row);
    lua_pushvalue(L, p);
    h->host_mode = 0;
    lua_call(L, 2, 1);
    h->host_mode = 1;
}
/* Stops the call for `trip` at the plugin code calling the current C function (level 1): records
 * where, makes the hook raise at every instruction from now on, and raises. Never returns. */
int sw_trip_here(lua_State *L, sw_host *h, int trip);

/* columns.c: pushing host columns' values into Lua, shared by the criterion/scorer loop (rows.c) and the
 * cleaner loop (clean.c), so the two can never disagree on how a value arrives in Lua. */

/* A text column with about as many distinct values as rows (ids, phone numbers, e-mail addresses) is not
 * turned into a Lua table of all its strings: a million live strings make every string the plugin creates
 * slower to intern (a large, cache-cold string table) and every GC cycle longer. Its values are made per row. */
static inline int sw_strings_per_row(const sw_column *c, int64_t rows) {
    return c->type == SW_COL_STRING && c->dict_count > 4096 && c->dict_count > rows / 8;
}
/* Pushes the column's dictionary as a Lua sequence of strings, or nil when it is made per row (or not text). */
void sw_push_dictionary(lua_State *L, const sw_column *c, int64_t rows);
static inline int sw_cell_valid(const sw_column *c, int64_t i) {
    return c->validity == NULL || ((c->validity[i >> 6] >> (i & 63)) & 1u);
}
/* Pushes row i's value of column c: nil when missing, an integer, float or boolean, or a string, taken from
 * the dictionary table at stack index `dict` when there is one, else made from the dictionary bytes. */
static inline void sw_push_cell(lua_State *L, sw_host *h, const sw_column *c, int dict, int64_t i) {
    if (!sw_cell_valid(c, i)) {
        lua_pushnil(L);
        return;
    }
    switch (c->type) {
    case SW_COL_INTEGER: lua_pushinteger(L, (lua_Integer)((const int64_t *)c->data)[i]); break;
    case SW_COL_DOUBLE: lua_pushnumber(L, ((const double *)c->data)[i]); break;
    case SW_COL_BOOL: lua_pushboolean(L, ((const bool *)c->data)[i]); break;
    default: {
        int32_t code = ((const int32_t *)c->data)[i];
        if (code < 0 || code >= c->dict_count) {
            lua_pushnil(L);
        } else if (lua_type(L, dict) == LUA_TTABLE) {
            lua_rawgeti(L, dict, (lua_Integer)code + 1);
        } else {
            /* Garbage after the row: not host data that lives on, so not added to the host's allowance. */
            size_t host_bytes = h->host_bytes;
            lua_pushlstring(L, c->dict_bytes + c->dict_offsets[code],
                            (size_t)(c->dict_offsets[code + 1] - c->dict_offsets[code]));
            h->host_bytes = host_bytes;
        }
    }
    }
}

/* sandbox.c */
int sw_open_sandbox(lua_State *L);

/* nodes.c */
void sw_push_nodes(lua_State *L, const sw_node *nodes, int64_t count, const char *strings);

/* source.c */
int sw_source_body(lua_State *L);
void sw_emit_free(sw_host *h);

/* watchdog.c */
void sw_watchdog_register(sw_host *h);
void sw_watchdog_unregister(sw_host *h);
void sw_watchdog_set_name(sw_host *h, const char *name);
void sw_ticker_wake(void);          /* after setting h->active: wakes an idle ticker */
void sw_send_arm_signal(int tid);   /* arming.c, called by the ticker */

/* Loads the text file `path` as a chunk named `chunkname` (with its leading '@'), like luaL_loadfilex in text
 * mode but without putting the file's absolute path into messages, tracebacks and caught errors. */
int sw_loadfile_named(lua_State *L, const char *path, const char *chunkname);

#endif
