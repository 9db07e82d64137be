/*
 * The per-row loop of cleaner plugins, entirely in C (one protected call for all rows): each row's
 * columns are set in one reused row table, clean(row, p) is called, and the table it returns is read
 * back into typed output buffers (strings the plugin made are interned in sw_clean_strings). A return
 * of nil drops the row. Errors name the column and the row (h->row) and never show a withheld value.
 */
#include "host.h"

#include <math.h>
#include <string.h>

/* Separates "what was returned" from "what was expected" in a bad-return message. */
#define SW_SEP "\x1f"

/* intern.c: new strings per column, and a string's code in the input dictionary (-1: none, -2: out of memory) */
int64_t sw_clean_intern(sw_clean_strings *s, int32_t column, const char *p, size_t n, int *added);
int64_t sw_clean_find_original(sw_clean_strings *s, int32_t column, const sw_column *in, const char *p, size_t n);

typedef struct clean_args {
    sw_clean_column *columns;
    int32_t count;
    int64_t rows;
    bool *keep;
    sw_clean_strings *strings;
    int any_withheld; /* some column is personal: then only personal columns may change */
} clean_args;

static const char *expected_of(const sw_clean_column *c) {
    if (c->is_date) return "a date column, so a \"YYYY-MM-DD\" string or nil";
    switch (c->in.type) {
    case SW_COL_INTEGER: return "an integer column, so an integer (or a float with a whole value) or nil";
    case SW_COL_DOUBLE: return "a double column, so a number or nil";
    case SW_COL_BOOL: return "a bool column, so true, false or nil";
    default: return "a string column, so a string or nil";
    }
}

/* Pushes a short description of the value at `idx` for a message: its type and, unless withheld, the value. */
static void push_shown(lua_State *L, int idx, int withhold) {
    int type = lua_type(L, idx);
    if (withhold && (type == LUA_TNUMBER || type == LUA_TSTRING || type == LUA_TBOOLEAN)) {
        lua_pushfstring(L, "a %s (withheld: pii)", lua_typename(L, type));
        return;
    }
    switch (type) {
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx)) lua_pushfstring(L, "the integer %I", (LUAI_UACINT)lua_tointeger(L, idx));
        else lua_pushfstring(L, "the float %f", (LUAI_UACNUMBER)lua_tonumber(L, idx));
        break;
    case LUA_TBOOLEAN: lua_pushstring(L, lua_toboolean(L, idx) ? "the boolean true" : "the boolean false"); break;
    case LUA_TSTRING: {
        size_t len;
        const char *s = lua_tolstring(L, idx, &len);
        char shown[SW_SHOW_BYTES_MAX];
        size_t n = sw_show_bytes(s, len, shown);
        lua_pushliteral(L, "the string ");
        lua_pushlstring(L, shown, n);
        lua_concat(L, 2);
        break;
    }
    default: lua_pushfstring(L, "a %s", lua_typename(L, type));
    }
}

/* A value of the wrong type for its column: fails the call (the row is in h->row) and returns 0. */
static int wrong_value(lua_State *L, sw_host *h, const sw_clean_column *c, int value, const char *problem) {
    push_shown(L, value, c->withhold);
    const char *shown = lua_tostring(L, -1);
    lua_pushfstring(L, "table whose '%s' is %s%s" SW_SEP "nil or the row with each value of its column's type; '%s' is %s",
                    c->in.name, shown, problem, c->in.name, expected_of(c));
    return sw_body_fail(L, h, SW_ERR_BADRETURN);
}

/*
 * Counts a changed value of column c. When the plugin also sees a personal (withheld) column, only personal
 * columns may change: otherwise a personal value could be copied into a column that is profiled and exported.
 * Fails the call and returns 0 when the change is not allowed.
 */
static int count_change(lua_State *L, sw_host *h, const clean_args *a, sw_clean_column *c) {
    if (a->any_withheld && !c->withhold) {
        luaL_Buffer b;
        luaL_buffinit(L, &b);
        for (int32_t k = 0, n = 0; k < a->count; k++) {
            if (!a->columns[k].withhold) continue;
            if (n++ > 0) luaL_addstring(&b, ", ");
            luaL_addlstring(&b, a->columns[k].in.name, a->columns[k].in.name_len);
        }
        luaL_pushresult(&b);
        lua_pushfstring(L, "table that changes '%s', which is not a personal column, while the plugin uses the personal "
                           "(pii) columns %s" SW_SEP "the row with only its personal columns changed (a cleaner that sees "
                           "pii columns may change only those, so no personal value can move into a column that is "
                           "exported); use a separate cleaner step for '%s'",
                        c->in.name, lua_tostring(L, -1), c->in.name);
        return sw_body_fail(L, h, SW_ERR_BADRETURN);
    }
    c->changed++;
    return 1;
}

/* Stores the value on top of the stack as row i of column c; returns 0 after failing the call. */
static int store_value(lua_State *L, sw_host *h, const clean_args *a, int32_t col, int64_t i, int input) {
    sw_clean_column *c = &a->columns[col];
    int value = lua_gettop(L);
    int type = lua_type(L, value);
    int was_valid = sw_cell_valid(&c->in, i);
    if (type == LUA_TNIL) {
        c->out_valid[i] = false;
        return was_valid ? count_change(L, h, a, c) : 1;
    }
    c->out_valid[i] = true;
    switch (c->in.type) {
    case SW_COL_INTEGER: {
        if (type != LUA_TNUMBER) return wrong_value(L, h, c, value, "");
        int exact = 0;
        lua_Integer x = lua_tointegerx(L, value, &exact);
        if (!exact) return wrong_value(L, h, c, value, ", which is not a whole number in the integer range");
        ((int64_t *)c->out)[i] = (int64_t)x;
        if (!was_valid || ((const int64_t *)c->in.data)[i] != (int64_t)x) return count_change(L, h, a, c);
        return 1;
    }
    case SW_COL_DOUBLE: {
        if (type != LUA_TNUMBER) return wrong_value(L, h, c, value, "");
        double x = (double)lua_tonumber(L, value);
        /* NaN and infinities never enter a table: the next plugin and the statistics see only finite numbers. */
        if (!isfinite(x)) return wrong_value(L, h, c, value, ", which is not a finite number (return nil for a missing value)");
        ((double *)c->out)[i] = x;
        if (!was_valid || memcmp(&((const double *)c->in.data)[i], &x, sizeof x) != 0) return count_change(L, h, a, c);
        return 1;
    }
    case SW_COL_BOOL: {
        if (type != LUA_TBOOLEAN) return wrong_value(L, h, c, value, "");
        bool x = lua_toboolean(L, value);
        ((bool *)c->out)[i] = x;
        if (!was_valid || ((const bool *)c->in.data)[i] != x) return count_change(L, h, a, c);
        return 1;
    }
    default: {
        if (type != LUA_TSTRING) return wrong_value(L, h, c, value, "");
        int32_t *out = c->out;
        int32_t code = was_valid ? ((const int32_t *)c->in.data)[i] : -1;
        if (code >= 0 && lua_rawequal(L, value, input)) {
            out[i] = code;
            return 1;
        }
        size_t len;
        const char *s = lua_tolstring(L, value, &len);
        if (code >= 0 && code < c->in.dict_count) {
            int64_t from = c->in.dict_offsets[code], to = c->in.dict_offsets[code + 1];
            if ((size_t)(to - from) == len && memcmp(c->in.dict_bytes + from, s, len) == 0) {
                out[i] = code;
                return 1;
            }
        }
        /* Another value of the input dictionary keeps its code, so the dictionary never holds a value twice. */
        int64_t known = sw_clean_find_original(a->strings, col, &c->in, s, len);
        if (known == -2) return luaL_error(L, "out of memory for the strings clean returned");
        if (known >= 0) {
            out[i] = (int32_t)known;
            return count_change(L, h, a, c);
        }
        int added = 0;
        int64_t k = sw_clean_intern(a->strings, col, s, len, &added);
        if (k < 0) return luaL_error(L, "out of memory for the strings clean returned");
        if (added && !sw_utf8_valid(s, len))
            return wrong_value(L, h, c, value, ", which is not valid UTF-8 (re-encode it: a Latin-1 byte b becomes utf8.char(b))");
        if (c->in.dict_count + k >= INT32_MAX) return luaL_error(L, "too many distinct values in column '%s'", c->in.name);
        out[i] = (int32_t)(c->in.dict_count + k);
        return count_change(L, h, a, c);
    }
    }
}

/*
 * The row table is reused: after a call that did not return it (nil, or a new table), remove whatever the
 * plugin left in it besides the columns, so the next row does not fail on a key this row's call added.
 */
static void scrub_row(lua_State *L, int row, int index) {
    if (lua_getmetatable(L, row)) {
        lua_pop(L, 1);
        lua_pushnil(L);
        lua_setmetatable(L, row);
    }
    lua_pushnil(L);
    while (lua_next(L, row)) {
        lua_pop(L, 1);
        int known = 0;
        if (lua_type(L, -1) == LUA_TSTRING) {
            lua_pushvalue(L, -1);
            known = lua_rawget(L, index) == LUA_TNUMBER;
            lua_pop(L, 1);
        }
        if (!known) {
            lua_pushvalue(L, -1);
            lua_pushnil(L);
            lua_rawset(L, row);
        }
    }
}

static int clean_body(lua_State *L) {
    sw_host *h = sw_host_of(L);
    const clean_args *a = h->args;
    int nc = a->count;
    /* keys, dictionaries and this row's inputs: three slots per column, plus the few below and per row */
    luaL_checkstack(L, 3 * nc + 24, "too many columns");
    sw_get_slot(L, SLOT_MAIN);
    int fn = lua_gettop(L);
    if (!lua_isfunction(L, fn)) return luaL_error(L, "the plugin has no clean function");
    sw_get_slot(L, SLOT_P);
    int p = lua_gettop(L);
    lua_createtable(L, 0, nc);
    int row = lua_gettop(L);
    lua_createtable(L, 0, nc); /* column name -> 0-based index */
    int index = lua_gettop(L);
    int keys = index + 1;
    for (int c = 0; c < nc; c++) {
        lua_pushlstring(L, a->columns[c].in.name, a->columns[c].in.name_len);
        lua_pushvalue(L, -1);
        lua_pushinteger(L, c);
        lua_rawset(L, index);
    }
    int dicts = keys + nc;
    for (int c = 0; c < nc; c++) {
        sw_push_dictionary(L, &a->columns[c].in, a->rows);
    }
    int inputs = dicts + nc; /* this row's input values, to tell an unchanged string cheaply */
    lua_settop(L, inputs + nc - 1);
    int64_t *seen = lua_newuserdatauv(L, (size_t)(nc > 0 ? nc : 1) * sizeof(int64_t), 0);
    for (int c = 0; c < nc; c++) seen[c] = -1;
    int top = lua_gettop(L);

    for (int64_t i = 0; i < a->rows; i++) {
        h->row = i;
        for (int c = 0; c < nc; c++) {
            sw_push_cell(L, h, &a->columns[c].in, dicts + c, i);
            lua_pushvalue(L, -1);
            lua_replace(L, inputs + c);
            lua_pushvalue(L, keys + c);
            lua_insert(L, -2);
            lua_rawset(L, row);
        }
        sw_call_row(h, L, fn, row, p);
        int ret = lua_gettop(L);
        int type = lua_type(L, ret);
        if (type == LUA_TNIL) {
            a->keep[i] = false;
            for (int c = 0; c < nc; c++) a->columns[c].out_valid[i] = false;
            lua_settop(L, top);
            scrub_row(L, row, index);
            continue;
        }
        if (type != LUA_TTABLE) {
            lua_pushfstring(L, "%s" SW_SEP "a table (the cleaned row) or nil (to drop the row)", lua_typename(L, type));
            return sw_body_fail(L, h, SW_ERR_BADRETURN);
        }
        a->keep[i] = true;
        lua_pushnil(L);
        while (lua_next(L, ret)) {
            /* key at -2, value at -1 */
            lua_pushvalue(L, -2);
            if (lua_type(L, -1) != LUA_TSTRING || lua_rawget(L, index) != LUA_TNUMBER) {
                lua_pop(L, 1);
                int kt = lua_type(L, -2);
                const char *shown = kt == LUA_TSTRING ? lua_pushfstring(L, "'%s'", lua_tostring(L, -2))
                                                      : lua_pushfstring(L, "of type %s", luaL_typename(L, -2));
                luaL_Buffer b;
                luaL_buffinit(L, &b);
                for (int c = 0; c < nc; c++) {
                    if (c > 0) luaL_addstring(&b, ", ");
                    luaL_addlstring(&b, a->columns[c].in.name, a->columns[c].in.name_len);
                }
                luaL_pushresult(&b);
                lua_pushfstring(L, "table with the key %s, which is not a column it uses" SW_SEP
                                   "nil or the row, keyed only by the columns in uses (%s); to change another column of the dataset, add it to uses",
                                shown, lua_tostring(L, -1));
                return sw_body_fail(L, h, SW_ERR_BADRETURN);
            }
            int32_t col = (int32_t)lua_tointeger(L, -1);
            lua_pop(L, 1);
            seen[col] = i;
            if (!store_value(L, h, a, col, i, inputs + col)) return 0;
            lua_pop(L, 1);
        }
        for (int c = 0; c < nc; c++) {
            if (seen[c] == i) continue;
            lua_pushnil(L);
            if (!store_value(L, h, a, c, i, inputs + c)) return 0;
            lua_pop(L, 1);
        }
        int returned_row = lua_rawequal(L, ret, row);
        lua_settop(L, top);
        if (!returned_row) scrub_row(L, row, index);
    }
    return 0;
}

int sw_run_clean(sw_host *h, sw_clean_column *columns, int32_t count, int64_t rows, bool *keep,
                 sw_clean_strings *strings) {
    if (strings == NULL) {
        sw_set_message(h, "no string buffer for the cleaner", 32);
        return SW_ERR_HOST;
    }
    int any_withheld = 0;
    for (int32_t c = 0; c < count; c++) {
        columns[c].changed = 0;
        if (columns[c].withhold) any_withheld = 1;
    }
    clean_args a = {columns, count, rows, keep, strings, any_withheld};
    return sw_protected(h, clean_body, &a);
}
