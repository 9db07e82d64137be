/* Builds Lua values from flattened plain-data nodes (parameters, statistics). Runs inside pcall. */
#include "host.h"

static void push_node(lua_State *L, const sw_node *nodes, int64_t count, const char *strings, int64_t *pos,
                      int depth) {
    if (*pos >= count) luaL_error(L, "host: truncated value");
    if (depth > 200) luaL_error(L, "host: value nested too deeply");
    luaL_checkstack(L, 4, "host: value nested too deeply");
    const sw_node *n = &nodes[(*pos)++];
    switch (n->tag) {
    case SW_NODE_BOOL: lua_pushboolean(L, n->i != 0); break;
    case SW_NODE_INT: lua_pushinteger(L, (lua_Integer)n->i); break;
    case SW_NODE_DOUBLE: lua_pushnumber(L, (lua_Number)n->d); break;
    case SW_NODE_STRING: lua_pushlstring(L, strings + n->str_off, (size_t)n->str_len); break;
    case SW_NODE_ARRAY: {
        int narr = n->count > 0 && n->count < (1 << 24) ? (int)n->count : 0;
        lua_createtable(L, narr, 0);
        for (int64_t k = 0; k < n->count; k++) {
            push_node(L, nodes, count, strings, pos, depth + 1);
            lua_rawseti(L, -2, (lua_Integer)n->base + k);
        }
        break;
    }
    case SW_NODE_OBJECT: {
        int nrec = n->count > 0 && n->count < (1 << 24) ? (int)n->count : 0;
        lua_createtable(L, 0, nrec);
        for (int64_t k = 0; k < n->count; k++) {
            if (*pos >= count) luaL_error(L, "host: truncated value");
            const sw_node *child = &nodes[*pos];
            lua_pushlstring(L, strings + child->key_off, (size_t)child->key_len);
            push_node(L, nodes, count, strings, pos, depth + 1);
            lua_rawset(L, -3);
        }
        break;
    }
    default: lua_pushnil(L); break;
    }
}

void sw_push_nodes(lua_State *L, const sw_node *nodes, int64_t count, const char *strings) {
    int64_t pos = 0;
    if (count <= 0) {
        lua_pushnil(L);
        return;
    }
    push_node(L, nodes, count, strings, &pos, 0);
}
