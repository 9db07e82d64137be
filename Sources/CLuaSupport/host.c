/*
 * The plugin host core: one lua_State per plugin with a capped allocator, the instruction/time hook
 * (armed only once a call runs long, see arming.c), the message handler and the protected-call wrapper
 * every Swift-facing entry point goes through.
 */
#include "host.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char host_table_key = 'H';

uint64_t sw_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

sw_host *sw_host_of(lua_State *L) { return *(sw_host **)lua_getextraspace(L); }

/*
 * Memory accounting. Allocations made while host_mode is set (the sandbox, the p table, dictionary
 * strings, the row table, label tables) raise host_bytes; plugin allocations may grow the state up to
 * base + host_bytes + memory_limit. A refused allocation makes Lua run an emergency full collection
 * and retry once before raising its memory error, so garbage the host left behind never trips the cap.
 */
static void *sw_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    sw_host *h = ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        h->used -= old;
        return NULL;
    }
    if (nsize > old) {
        size_t grow = nsize - old;
        if (h->host_mode) {
            h->host_bytes = sw_add_saturating(h->host_bytes, grow);
        } else {
            if (grow > sw_memory_room(h)) {
                h->memory_denied = 1;
                return NULL;
            }
        }
    }
    void *block = realloc(ptr, nsize);
    if (block == NULL) return NULL;
    h->used = h->used - old + nsize;
    return block;
}

static int sw_panic(lua_State *L) {
    sw_host *h = sw_host_of(L);
    const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "(error object is not a string)";
    fprintf(stderr, "seg: error: internal error: unprotected Lua error in plugin file %s: %s\n",
            h && h->file ? h->file : "?", msg);
    fflush(stderr);
    abort();
    return 0;
}

void sw_push_host_table(lua_State *L) { lua_rawgetp(L, LUA_REGISTRYINDEX, &host_table_key); }

void sw_get_slot(lua_State *L, int slot) {
    sw_push_host_table(L);
    lua_rawgeti(L, -1, slot);
    lua_remove(L, -2);
}

void sw_set_slot(lua_State *L, int slot) {
    sw_push_host_table(L);
    lua_insert(L, -2);
    lua_rawseti(L, -2, slot);
    lua_pop(L, 1);
}

void sw_set_message(sw_host *h, const char *text, size_t len) {
    free(h->message);
    h->message = malloc(len + 1);
    h->message_len = h->message ? len : 0;
    if (h->message) {
        memcpy(h->message, text, len);
        h->message[len] = 0;
    }
}

static void set_traceback(sw_host *h, const char *text, size_t len) {
    free(h->traceback);
    h->traceback = malloc(len + 1);
    if (h->traceback) {
        memcpy(h->traceback, text, len);
        h->traceback[len] = 0;
    }
}

int sw_body_fail(lua_State *L, sw_host *h, int result) {
    size_t len = 0;
    const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : "";
    sw_set_message(h, s, len);
    h->result = result;
    return 0;
}

/* --- budget hook -------------------------------------------------------------------------------- */

static void raise_trip(lua_State *L, sw_host *h) {
    sw_get_slot(L, h->trip == TRIP_TIME ? SLOT_TIME_MSG : h->trip == TRIP_SOURCE_BYTES ? SLOT_SOURCE_MSG : SLOT_BUDGET_MSG);
    lua_error(L);
}

/* Marks the call as stopped for `trip` and makes the hook raise at every instruction of every thread that
 * runs plugin code from now on (coroutines get it when they are resumed or return, see arming.c). */
static void set_trip(lua_State *L, sw_host *h, int trip) {
    h->trip = trip;
    atomic_store(&h->armed, 1);
    lua_sethook(L, sw_hook, LUA_MASKCOUNT, 1);
    if (L != h->L) lua_sethook(h->L, sw_hook, LUA_MASKCOUNT, 1);
}

int sw_trip_here(lua_State *L, sw_host *h, int trip) {
    lua_Debug ar;
    if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "Sl", &ar)) {
        snprintf(h->trip_source, sizeof h->trip_source, "%s", ar.short_src);
        h->trip_line = ar.currentline;
    }
    set_trip(L, h, trip);
    raise_trip(L, h);
    return 0;
}

/*
 * Runs every hook_period instructions (every instruction once tripped, so a plugin's pcall cannot
 * go on: the next instruction after the pcall raises again). With a deferred hook it counts from the
 * moment the ticker armed it, and the time limit runs from when the ticker first saw the call.
 */
void sw_hook(lua_State *L, lua_Debug *ar) {
    sw_host *h = sw_host_of(L);
    if (h->trip != TRIP_NONE) {
        if (lua_gethookcount(L) != 1) lua_sethook(L, sw_hook, LUA_MASKCOUNT, 1);
        raise_trip(L, h);
    }
    h->count += lua_gethookcount(L);
    sw_beat(h);
    uint64_t now = sw_now_ns();
    if (!h->start_valid) {
        h->start_ns = now;
        if (!h->exact && atomic_load(&h->arm_seq) == h->seq_local) {
            uint64_t since = atomic_load(&h->arm_since_ns);
            if (since < now) h->start_ns = since;
        }
        h->start_valid = 1;
    }
    int trip = TRIP_NONE;
    if (h->count > h->instruction_limit) trip = TRIP_INSTRUCTIONS;
    else if (now - h->start_ns > h->seconds_ns) trip = TRIP_TIME;
    if (trip == TRIP_NONE) return;
    if (lua_getinfo(L, "Sl", ar)) {
        snprintf(h->trip_source, sizeof h->trip_source, "%s", ar->short_src);
        h->trip_line = ar->currentline;
    }
    set_trip(L, h, trip);
    raise_trip(L, h);
}

/* --- message handler ---------------------------------------------------------------------------- */

/* tostring of an error value; tables and userdata without __tostring are only named (never an address). */
static int tostring_body(lua_State *L) {
    int type = lua_type(L, 1);
    if ((type == LUA_TTABLE || type == LUA_TUSERDATA) && luaL_getmetafield(L, 1, "__tostring") == LUA_TNIL) {
        lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
        return 1;
    }
    if (type == LUA_TFUNCTION || type == LUA_TTHREAD || type == LUA_TLIGHTUSERDATA) {
        lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
        return 1;
    }
    luaL_tolstring(L, 1, NULL);
    return 1;
}

/*
 * Turns any error value into a string (an erroring __tostring cannot escape: it runs in a nested
 * pcall) and records a traceback. Formatting runs under the plugin's cap; the traceback is host work.
 */
static int sw_msgh(lua_State *L) {
    sw_host *h = sw_host_of(L);
    lua_settop(L, 1);
    if (lua_type(L, 1) != LUA_TSTRING) {
        int ok = 0;
        if (lua_checkstack(L, 4)) {
            lua_pushcfunction(L, tostring_body);
            lua_pushvalue(L, 1);
            ok = lua_pcall(L, 1, 1, 0) == LUA_OK && lua_type(L, -1) == LUA_TSTRING;
        }
        h->host_mode = 1;
        if (!ok) {
            lua_settop(L, 1);
            lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
        }
        lua_replace(L, 1);
    }
    h->host_mode = 1;
    luaL_traceback(L, L, NULL, 1);
    size_t len;
    const char *tb = lua_tolstring(L, -1, &len);
    set_traceback(h, tb, len);
    lua_settop(L, 1);
    return 1;
}

/* --- protected calls ---------------------------------------------------------------------------- */

static int is_memory_message(const char *msg) {
    return msg && strstr(msg, "not enough memory") != NULL;
}

int sw_protected(sw_host *h, lua_CFunction body, const void *args) {
    lua_State *L = h->L;
    int top = lua_gettop(L);
    free(h->message);
    free(h->traceback);
    h->message = h->traceback = NULL;
    h->result = SW_OK;
    h->forbidden = 0;
    h->row = -1;
    h->trip = TRIP_NONE;
    h->trip_source[0] = 0;
    h->trip_line = -1;
    h->memory_denied = 0;
    if (!lua_checkstack(L, 8)) {
        sw_set_message(h, "Lua stack exhausted", 19);
        return SW_ERR_HOST;
    }
    h->args = args;
    atomic_store(&h->wd_row, -1);
    atomic_store(&h->wd_record, -1);
    sw_call_begin(h);
    sw_reset_budget(h);
    h->host_mode = 1;
    atomic_fetch_add(&h->generation, 1);
    atomic_store(&h->active, 1);
    sw_ticker_wake();
    lua_pushcfunction(L, sw_msgh);
    lua_pushcfunction(L, body);
    int status = lua_pcall(L, 0, 0, top + 1);
    atomic_store(&h->active, 0);
    sw_call_end(h);
    h->host_mode = 1;
    h->host_bytes = h->host_persistent;
    h->args = NULL;
    if (status != LUA_OK) {
        size_t len = 0;
        const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : "(error object is not a string)";
        if (len == 0 && s[0]) len = strlen(s);
        sw_set_message(h, s, len);
    }
    int result;
    if (h->trip == TRIP_INSTRUCTIONS) result = SW_ERR_BUDGET;
    else if (h->trip == TRIP_TIME) result = SW_ERR_TIME;
    else if (h->trip == TRIP_SOURCE_BYTES) result = SW_ERR_SOURCE_CAP;
    else if (status == LUA_ERRMEM || (status != LUA_OK && h->memory_denied && is_memory_message(h->message)))
        result = SW_ERR_MEMORY;
    else if (status != LUA_OK) result = h->forbidden ? SW_ERR_FORBIDDEN : SW_ERR_RUNTIME;
    else result = h->result;
    lua_settop(L, top);
    return result;
}

/* --- life cycle --------------------------------------------------------------------------------- */

static char *dup_string(const char *s) {
    if (s == NULL) return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

static int setup_body(lua_State *L) {
    sw_host *h = sw_host_of(L);
    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &host_table_key);
    lua_pushliteral(L, "instruction budget exceeded");
    sw_set_slot(L, SLOT_BUDGET_MSG);
    lua_pushliteral(L, "time limit exceeded");
    sw_set_slot(L, SLOT_TIME_MSG);
    lua_pushliteral(L, "emitted data limit exceeded");
    sw_set_slot(L, SLOT_SOURCE_MSG);
    lua_newtable(L);
    sw_set_slot(L, SLOT_REQUIRE);
    (void)h;
    return sw_open_sandbox(L);
}

sw_host *sw_host_new(const sw_config *c) {
    sw_host *h = calloc(1, sizeof *h);
    if (h == NULL) return NULL;
    h->file = dup_string(c->plugin_file ? c->plugin_file : "?");
    h->name = dup_string(h->file);
    {
        const char *base = strrchr(h->file, '/');
        const char *shown = c->chunk_name ? c->chunk_name : (base ? base + 1 : h->file);
        size_t n = strlen(shown);
        h->chunk_name = malloc(n + 2);
        if (h->chunk_name) { h->chunk_name[0] = '@'; memcpy(h->chunk_name + 1, shown, n + 1); }
    }
    if (c->file_root) {
        char resolved[PATH_MAX];
        h->file_root = dup_string(realpath(c->file_root, resolved) ? resolved : c->file_root);
    }
    h->library_path_count = c->library_path_count > 0 ? c->library_path_count : 0;
    h->library_paths = calloc((size_t)h->library_path_count + 1, sizeof(char *));
    h->library_labels = calloc((size_t)h->library_path_count + 1, sizeof(char *));
    for (int i = 0; i < h->library_path_count && h->library_paths && h->library_labels; i++) {
        h->library_paths[i] = dup_string(c->library_paths[i]);
        h->library_labels[i] = dup_string(c->library_labels && c->library_labels[i] ? c->library_labels[i] : c->library_paths[i]);
    }
    h->log = c->log;
    h->log_ud = c->log_ud;
    h->random_seed = c->random_seed;
    h->has_frozen_time = c->has_frozen_time;
    h->frozen_time = c->frozen_time;
    h->memory_limit = c->memory_bytes > 0 ? (size_t)c->memory_bytes : SIZE_MAX;
    h->instruction_limit = c->instructions > 0 ? c->instructions : INT64_MAX;
    h->hook_period = h->instruction_limit < 1000 ? (int)h->instruction_limit : 1000;
    h->exact = h->instruction_limit < SW_EXACT_BUDGET_BELOW;
    h->seconds_ns = c->seconds > 0 && c->seconds < 1e9 ? (uint64_t)(c->seconds * 1e9) : UINT64_MAX;
    h->watchdog_seconds = c->watchdog_seconds;
    h->source_limit = c->source_bytes > 0 ? (uint64_t)c->source_bytes : UINT64_MAX;
    h->host_mode = 1;
    h->label_count = 0;
    h->row = -1;
    if (h->file == NULL || h->name == NULL || h->chunk_name == NULL || h->library_paths == NULL || h->library_labels == NULL) {
        sw_host_free(h);
        return NULL;
    }
    h->L = lua_newstate(sw_alloc, h);
    if (h->L == NULL) {
        sw_host_free(h);
        return NULL;
    }
    *(sw_host **)lua_getextraspace(h->L) = h;
    lua_atpanic(h->L, sw_panic);
    if (sw_protected(h, setup_body, NULL) != SW_OK) {
        fprintf(stderr, "seg: error: could not set up the Lua sandbox: %s\n", h->message ? h->message : "?");
        sw_host_free(h);
        return NULL;
    }
    h->base = h->used;
    h->host_bytes = h->host_persistent = 0;
    sw_watchdog_register(h);
    return h;
}

void sw_host_free(sw_host *h) {
    if (h == NULL) return;
    if (h->L) {
        sw_watchdog_unregister(h);
        h->host_mode = 1;
        lua_close(h->L);
    }
    for (int i = 0; i < h->library_path_count && h->library_paths; i++) free(h->library_paths[i]);
    free(h->library_paths);
    for (int i = 0; i < h->library_path_count && h->library_labels; i++) free(h->library_labels[i]);
    free(h->library_labels);
    free(h->file);
    free(h->chunk_name);
    free(h->name);
    free(h->file_root);
    free(h->message);
    free(h->traceback);
    sw_emit_free(h);
    free(h);
}

lua_State *sw_host_state(sw_host *h) { return h->L; }

void sw_host_set_name(sw_host *h, const char *name) { sw_watchdog_set_name(h, name); }

int sw_push_slot(sw_host *h, int32_t slot) {
    if (!lua_checkstack(h->L, 3)) return 0;
    sw_get_slot(h->L, slot);
    return 1;
}

const char *sw_error_message(sw_host *h) { return h->message ? h->message : ""; }
size_t sw_error_message_length(sw_host *h) { return h->message ? h->message_len : 0; }
const char *sw_error_traceback(sw_host *h) { return h->traceback ? h->traceback : ""; }
int64_t sw_error_row(sw_host *h) { return h->row; }
const char *sw_trip_source(sw_host *h) { return h->trip_source; }
int32_t sw_trip_line(sw_host *h) { return h->trip_line; }
int64_t sw_label_count(sw_host *h) { return h->label_count; }
