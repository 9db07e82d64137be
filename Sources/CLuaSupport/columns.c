/*
 * Column values into Lua, shared by the criterion/scorer row loop (rows.c) and the cleaner loop (clean.c):
 * dictionaries are made once per call, except for text columns with about one value per row, whose strings
 * are made per row (see sw_strings_per_row in host.h).
 */
#include "host.h"

void sw_push_dictionary(lua_State *L, const sw_column *c, int64_t rows) {
    if (c->type != SW_COL_STRING || sw_strings_per_row(c, rows)) {
        lua_pushnil(L);
        return;
    }
    int n = c->dict_count > 0 && c->dict_count < (1 << 26) ? (int)c->dict_count : 0;
    lua_createtable(L, n, 0);
    for (int64_t k = 0; k < c->dict_count; k++) {
        int64_t from = c->dict_offsets[k], to = c->dict_offsets[k + 1];
        lua_pushlstring(L, c->dict_bytes + from, (size_t)(to - from));
        lua_rawseti(L, -2, (lua_Integer)k + 1);
    }
}
