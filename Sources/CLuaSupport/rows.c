/*
 * The per-row loop of criteria and scorers, entirely in C (one protected call for all rows): one row
 * table reused for every row, column-name keys and dictionary strings made once per call, labels
 * interned into a table. No host-side allocation per row.
 */
#include "host.h"

#include <math.h>

typedef struct rows_args {
    int32_t mode;
    const sw_column *columns;
    int32_t column_count;
    int64_t rows;
    int32_t *codes;
    double *values;
    bool *valid;
} rows_args;

static int bad_return(lua_State *L, sw_host *h, int type) {
    lua_pushstring(L, lua_typename(L, type));
    return sw_body_fail(L, h, SW_ERR_BADRETURN);
}

/* A new label (on top) must be valid UTF-8: labels end up in UTF-8 exports, and replacing bad bytes
 * would make two different labels one. Otherwise fails the call (the row is known) and returns 0. */
static int label_is_text(lua_State *L, sw_host *h) {
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    if (sw_utf8_valid(s, len)) return 1;
    char shown[SW_SHOW_BYTES_MAX];
    size_t n = sw_show_bytes(s, len, shown);
    lua_pushlstring(L, shown, n);
    sw_body_fail(L, h, SW_ERR_BAD_UTF8);
    return 0;
}

static int rows_body(lua_State *L) {
    sw_host *h = sw_host_of(L);
    const rows_args *a = h->args;
    int nc = a->column_count;
    luaL_checkstack(L, 2 * nc + 16, "too many columns");
    h->label_count = 0;
    lua_pushnil(L);
    sw_set_slot(L, SLOT_LABELS);
    sw_get_slot(L, SLOT_MAIN);
    int fn = lua_gettop(L);
    if (!lua_isfunction(L, fn))
        return luaL_error(L, "the plugin has no %s function", a->mode == SW_MODE_ASSIGN ? "assign" : "score");
    sw_get_slot(L, SLOT_P);
    int p = lua_gettop(L);
    lua_createtable(L, 0, nc);
    int row = lua_gettop(L);
    int keys = row + 1;
    for (int c = 0; c < nc; c++) lua_pushlstring(L, a->columns[c].name, a->columns[c].name_len);
    int dicts = keys + nc;
    for (int c = 0; c < nc; c++) {
        sw_push_dictionary(L, &a->columns[c], a->rows);
    }
    lua_newtable(L); /* label -> code */
    int label_index = lua_gettop(L);
    lua_newtable(L); /* code + 1 -> label */
    int labels = lua_gettop(L);
    lua_pushvalue(L, labels);
    sw_set_slot(L, SLOT_LABELS);
    int top = lua_gettop(L);

    const void *last_label = NULL;
    int32_t last_code = -1;
    for (int64_t i = 0; i < a->rows; i++) {
        h->row = i;
        for (int c = 0; c < nc; c++) {
            lua_pushvalue(L, keys + c);
            sw_push_cell(L, h, &a->columns[c], dicts + c, i);
            lua_rawset(L, row);
        }
        sw_call_row(h, L, fn, row, p);
        int type = lua_type(L, -1);
        if (a->mode == SW_MODE_ASSIGN) {
            int32_t code = -1;
            if (type == LUA_TSTRING) {
                /* Interned labels are kept alive by label_index, so an equal pointer is the same label. */
                const void *ptr = lua_topointer(L, -1);
                if (ptr == last_label) {
                    code = last_code;
                } else {
                    lua_pushvalue(L, -1);
                    if (lua_rawget(L, label_index) == LUA_TNUMBER) {
                        code = (int32_t)lua_tointeger(L, -1);
                        lua_pop(L, 1);
                    } else {
                        lua_pop(L, 1);
                        if (!label_is_text(L, h)) return 0;
                        if (h->label_count >= INT32_MAX) return luaL_error(L, "too many distinct labels");
                        code = (int32_t)h->label_count++;
                        lua_pushvalue(L, -1);
                        lua_pushinteger(L, code);
                        lua_rawset(L, label_index);
                        lua_pushvalue(L, -1);
                        lua_rawseti(L, labels, (lua_Integer)code + 1);
                    }
                    last_label = ptr;
                    last_code = code;
                }
            } else if (type != LUA_TNIL) {
                return bad_return(L, h, type);
            }
            a->codes[i] = code;
        } else {
            if (type == LUA_TNUMBER) {
                /* Scores are doubles: an integer beyond 2^53 that a double would round is refused, not exported
                 * rounded. */
                if (lua_isinteger(L, -1)) {
                    lua_Integer n = lua_tointeger(L, -1);
                    if (n > ((lua_Integer)1 << 53) || n < -((lua_Integer)1 << 53)) {
                        lua_pushfstring(L, "score of %I (an integer a double cannot hold exactly)" "\x1f"
                                           "a number or nil (integers from -2^53 to 2^53 = 9007199254740992 are "
                                           "exact; return a float, such as n + 0.0, if rounding is intended)",
                                        (LUAI_UACINT)n);
                        return sw_body_fail(L, h, SW_ERR_BADRETURN);
                    }
                }
                double d = (double)lua_tonumber(L, -1);
                int ok = !isnan(d);
                a->values[i] = ok ? d : 0.0;
                a->valid[i] = ok;
            } else if (type == LUA_TNIL) {
                a->values[i] = 0.0;
                a->valid[i] = false;
            } else {
                return bad_return(L, h, type);
            }
        }
        lua_settop(L, top);
    }
    return 0;
}

int sw_run_rows(sw_host *h, int32_t mode, const sw_column *columns, int32_t column_count, int64_t rows,
                int32_t *codes, double *values, bool *valid) {
    rows_args a = {mode, columns, column_count, rows, codes, values, valid};
    return sw_protected(h, rows_body, &a);
}
