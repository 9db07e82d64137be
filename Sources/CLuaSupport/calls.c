/*
 * Entry points that load the plugin chunk, capture its functions, build `p` and call `prepare`.
 * Each runs its body under sw_protected.
 */
#include "host.h"

#include <string.h>

/* Compiles the plugin file (text only) with the sandbox as _ENV and runs it; keeps what it returns. */
static int load_body(lua_State *L) {
    sw_host *h = sw_host_of(L);
    h->host_mode = 0;
    int status = sw_loadfile_named(L, h->file, h->chunk_name);
    h->host_mode = 1;
    if (status == LUA_ERRMEM) return lua_error(L);
    if (status != LUA_OK) return sw_body_fail(L, h, status == LUA_ERRFILE ? SW_ERR_UNREADABLE : SW_ERR_SYNTAX);
    sw_get_slot(L, SLOT_ENV);
    if (lua_setupvalue(L, -2, 1) == NULL) lua_pop(L, 1);
    h->host_mode = 0;
    lua_call(L, 0, 1);
    h->host_mode = 1;
    sw_set_slot(L, SLOT_MANIFEST);
    return 0;
}

int sw_load_chunk(sw_host *h) { return sw_protected(h, load_body, NULL); }

static int capture_body(lua_State *L) {
    sw_host *h = sw_host_of(L);
    const char *main_function = h->args;
    sw_get_slot(L, SLOT_MANIFEST);
    if (!lua_istable(L, -1)) return luaL_error(L, "the plugin file did not return a table");
    lua_pushstring(L, main_function);
    lua_rawget(L, -2);
    sw_set_slot(L, SLOT_MAIN);
    lua_pushliteral(L, "prepare");
    lua_rawget(L, -2);
    sw_set_slot(L, SLOT_PREPARE);
    return 0;
}

int sw_capture_functions(sw_host *h, const char *main_function) {
    return sw_protected(h, capture_body, main_function);
}

typedef struct node_args {
    const sw_node *nodes;
    int64_t count;
    const char *strings;
} node_args;

static int configure_body(lua_State *L) {
    sw_host *h = sw_host_of(L);
    const node_args *a = h->args;
    size_t before = h->host_bytes;
    sw_push_nodes(L, a->nodes, a->count, a->strings);
    if (!lua_istable(L, -1)) return luaL_error(L, "parameters must be a table");
    sw_set_slot(L, SLOT_P);
    /* The p table is host data that lives on: charge it to the host, not the plugin (replacing the
     * allowance of the previous p table, which is garbage now). */
    size_t made = h->host_bytes - before;
    h->host_persistent = h->host_persistent - h->p_bytes + made;
    h->p_bytes = made;
    return 0;
}

int sw_configure(sw_host *h, const sw_node *nodes, int64_t count, const char *strings) {
    node_args a = {nodes, count, strings};
    return sw_protected(h, configure_body, &a);
}

/* Calls prepare(stats, p); merges a returned table into p; anything else non-nil is a bad return. */
static int prepare_body(lua_State *L) {
    sw_host *h = sw_host_of(L);
    const node_args *a = h->args;
    sw_get_slot(L, SLOT_PREPARE);
    if (!lua_isfunction(L, -1)) return 0;
    sw_push_nodes(L, a->nodes, a->count, a->strings);
    sw_get_slot(L, SLOT_P);
    h->host_mode = 0;
    lua_call(L, 2, 1);
    int ret = lua_gettop(L);
    int type = lua_type(L, ret);
    if (type == LUA_TNIL) return 0;
    if (type != LUA_TTABLE) {
        lua_pushstring(L, lua_typename(L, type));
        return sw_body_fail(L, h, SW_ERR_BADRETURN);
    }
    sw_get_slot(L, SLOT_P);
    int p = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, ret)) {
        if (lua_type(L, -2) != LUA_TSTRING) {
            lua_pushfstring(L, "a table with a %s key", luaL_typename(L, -2));
            return sw_body_fail(L, h, SW_ERR_BADRETURN);
        }
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, p);
    }
    h->host_mode = 1;
    return 0;
}

int sw_prepare(sw_host *h, const sw_node *nodes, int64_t count, const char *strings) {
    node_args a = {nodes, count, strings};
    return sw_protected(h, prepare_body, &a);
}
