/*
 * Source plugins: read(src, p) with src:emit(record) (records kept in host-side buffers) and
 * src:lines(path) (lines of a file inside the workspace, read in chunks).
 */
#include "host.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct source_args {
    const char *const *names;
    int32_t count;
} source_args;

typedef struct lfile {
    FILE *f;
} lfile;

void sw_emit_free(sw_host *h) {
    free(h->emit_cells);
    free(h->emit_bytes);
    h->emit_cells = NULL;
    h->emit_bytes = NULL;
    h->emit_records = h->emit_capacity = 0;
    h->emit_bytes_len = h->emit_bytes_cap = h->emit_bytes_done = 0;
}

/*
 * Stops the read when the record being built, with `more` further string bytes, would take what the
 * source emitted past its cap: SW_EMIT_VALUE_BYTES per value (every declared column of every record)
 * plus the bytes of the strings. The instruction budget and time limit restart at each record, so this
 * is what ends a source that emits forever before it exhausts the host's memory.
 */
static void check_source_cap(lua_State *L, sw_host *h, size_t more) {
    uint64_t values = (uint64_t)(h->emit_records + 1) * (uint64_t)(h->emit_columns > 0 ? h->emit_columns : 1);
    uint64_t total = values * SW_EMIT_VALUE_BYTES + (uint64_t)h->emit_bytes_len + (uint64_t)more;
    if (total > h->source_limit) sw_trip_here(L, h, TRIP_SOURCE_BYTES);
}

static int forbid(lua_State *L, sw_host *h, const char *fmt, const char *path) {
    h->forbidden = 1;
    return luaL_error(L, fmt, path);
}

static void push_declared(lua_State *L, sw_host *h) {
    const source_args *a = h->args;
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int32_t i = 0; i < a->count; i++) {
        if (i > 0) luaL_addstring(&b, ", ");
        luaL_addstring(&b, a->names[i]);
    }
    luaL_pushresult(&b);
}

static sw_cell *new_record(lua_State *L, sw_host *h) {
    int32_t nc = h->emit_columns;
    h->emit_bytes_len = h->emit_bytes_done;
    check_source_cap(L, h, 0);
    if (h->emit_records == h->emit_capacity) {
        int64_t cap = h->emit_capacity ? h->emit_capacity * 2 : 1024;
        sw_cell *cells = realloc(h->emit_cells, (size_t)cap * (size_t)(nc > 0 ? nc : 1) * sizeof(sw_cell));
        if (cells == NULL) luaL_error(L, "src:emit: out of memory for emitted records");
        h->emit_cells = cells;
        h->emit_capacity = cap;
    }
    sw_cell *rec = h->emit_cells + h->emit_records * nc;
    memset(rec, 0, (size_t)nc * sizeof(sw_cell));
    return rec;
}

static void store_string(lua_State *L, sw_host *h, sw_cell *cell, const char *s, size_t len) {
    check_source_cap(L, h, len);
    if (h->emit_bytes_cap - h->emit_bytes_len < len) {
        size_t cap = h->emit_bytes_cap ? h->emit_bytes_cap : 65536;
        while (cap - h->emit_bytes_len < len) cap *= 2;
        char *bytes = realloc(h->emit_bytes, cap);
        if (bytes == NULL) luaL_error(L, "src:emit: out of memory for emitted records");
        h->emit_bytes = bytes;
        h->emit_bytes_cap = cap;
    }
    memcpy(h->emit_bytes + h->emit_bytes_len, s, len);
    cell->tag = SW_NODE_STRING;
    cell->i = (int64_t)h->emit_bytes_len;
    cell->len = len;
    h->emit_bytes_len += len;
}

/* src:emit(record): upvalue 1 = src, upvalue 2 = column name -> 1-based index. */
static int src_emit(lua_State *L) {
    sw_host *h = sw_host_of(L);
    if (!lua_rawequal(L, 1, lua_upvalueindex(1)))
        return luaL_error(L, "src:emit(record): call it with a colon (src:emit, not src.emit)");
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_settop(L, 2);
    sw_cell *rec = new_record(L, h);
    lua_pushnil(L);
    while (lua_next(L, 2)) {
        if (lua_type(L, -2) != LUA_TSTRING)
            return luaL_error(L, "src:emit: record keys must be column names (strings), got a %s key",
                              luaL_typename(L, -2));
        const char *field = lua_tostring(L, -2);
        lua_pushvalue(L, -2);
        if (lua_rawget(L, lua_upvalueindex(2)) != LUA_TNUMBER) {
            push_declared(L, h);
            return luaL_error(L, "src:emit: field '%s' is not a declared column (declared: %s)", field,
                              lua_tostring(L, -1));
        }
        sw_cell *cell = &rec[lua_tointeger(L, -1) - 1];
        lua_pop(L, 1);
        switch (lua_type(L, -1)) {
        case LUA_TBOOLEAN:
            cell->tag = SW_NODE_BOOL;
            cell->i = lua_toboolean(L, -1);
            break;
        case LUA_TNUMBER:
            if (lua_isinteger(L, -1)) {
                cell->tag = SW_NODE_INT;
                cell->i = (int64_t)lua_tointeger(L, -1);
            } else {
                cell->tag = SW_NODE_DOUBLE;
                cell->d = (double)lua_tonumber(L, -1);
            }
            break;
        case LUA_TSTRING: {
            size_t len;
            const char *s = lua_tolstring(L, -1, &len);
            if (!sw_utf8_valid(s, len)) {
                char shown[SW_SHOW_BYTES_MAX];
                sw_show_bytes(s, len, shown);
                return luaL_error(L, "src:emit: field '%s' of record %I is a string that is not valid UTF-8 (%s); "
                                     "re-encode the text as UTF-8 (a Latin-1 byte b becomes utf8.char(b))",
                                  field, (lua_Integer)(h->emit_records + 1), shown);
            }
            store_string(L, h, cell, s, len);
            break;
        }
        default:
            return luaL_error(L, "src:emit: field '%s' is a %s; emit only nil, booleans, numbers and strings", field,
                              luaL_typename(L, -1));
        }
        lua_pop(L, 1);
    }
    h->emit_records++;
    atomic_store_explicit(&h->wd_record, h->emit_records, memory_order_relaxed);
    h->emit_bytes_done = h->emit_bytes_len;
    sw_reset_budget(h); /* the budget covers the work between two records */
    sw_beat(h);
    return 0;
}

static int file_close(lua_State *L) {
    lfile *lf = lua_touserdata(L, 1);
    if (lf && lf->f) {
        fclose(lf->f);
        lf->f = NULL;
    }
    return 0;
}

void sw_make_file_metatable(lua_State *L) {
    lua_createtable(L, 0, 3);
    lua_pushcfunction(L, file_close);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, file_close);
    lua_setfield(L, -2, "__close");
    lua_pushliteral(L, "file handle");
    lua_setfield(L, -2, "__metatable");
}

/* Iterator of src:lines: one line per call without its "\n" / "\r\n", nil at the end. */
static int lines_next(lua_State *L) {
    lfile *lf = lua_touserdata(L, lua_upvalueindex(1));
    if (lf->f == NULL) return 0;
    sw_beat(sw_host_of(L));
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    int c = EOF, any = 0;
    for (;;) {
        char *p = luaL_prepbuffer(&b);
        size_t i = 0;
        while (i < LUAL_BUFFERSIZE && (c = getc_unlocked(lf->f)) != EOF && c != '\n') p[i++] = (char)c;
        luaL_addsize(&b, i);
        if (i > 0) any = 1;
        if (c == EOF || c == '\n') break;
    }
    if (c == EOF && ferror(lf->f)) {
        int err = errno;
        fclose(lf->f);
        lf->f = NULL;
        return luaL_error(L, "src:lines: read error (%s)", strerror(err));
    }
    if (c == EOF && !any) {
        fclose(lf->f);
        lf->f = NULL;
        return 0;
    }
    if (luaL_bufflen(&b) > 0 && luaL_buffaddr(&b)[luaL_bufflen(&b) - 1] == '\r') luaL_buffsub(&b, 1);
    luaL_pushresult(&b);
    return 1;
}

static int has_dotdot(const char *path) {
    const char *p = path;
    while (*p) {
        const char *end = strchr(p, '/');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == 2 && p[0] == '.' && p[1] == '.') return 1;
        if (!end) break;
        p = end + 1;
    }
    return 0;
}

/* src:lines(path): upvalue 1 = src. The path must stay inside the file root, symbolic links included. */
static int src_lines(lua_State *L) {
    sw_host *h = sw_host_of(L);
    if (!lua_rawequal(L, 1, lua_upvalueindex(1)))
        return luaL_error(L, "src:lines(path): call it with a colon (src:lines, not src.lines)");
    const char *rel = luaL_checkstring(L, 2);
    if (h->file_root == NULL)
        return forbid(L, h, "src:lines('%s'): this plugin may not read files (no workspace folder is set)", rel);
    if (rel[0] == '/')
        return forbid(L, h, "src:lines('%s'): absolute paths are not allowed; give a path inside the workspace", rel);
    if (has_dotdot(rel))
        return forbid(L, h, "src:lines('%s'): '..' is not allowed in paths; give a path inside the workspace", rel);
    if (rel[0] == 0) return luaL_error(L, "src:lines: the path is empty");
    lfile *lf = lua_newuserdatauv(L, sizeof(lfile), 0);
    lf->f = NULL;
    sw_get_slot(L, SLOT_FILE_MT);
    lua_setmetatable(L, -2);
    int handle = lua_gettop(L);
    const char *full = lua_pushfstring(L, "%s/%s", h->file_root, rel);
    char resolved[PATH_MAX];
    if (realpath(full, resolved) == NULL) return luaL_error(L, "src:lines('%s'): cannot open it (%s)", rel, strerror(errno));
    size_t rl = strlen(h->file_root);
    if (strncmp(resolved, h->file_root, rl) != 0 || (resolved[rl] != '/' && resolved[rl] != 0))
        return forbid(L, h, "src:lines('%s'): the path leads outside the workspace (through a symbolic link)", rel);
    lf->f = fopen(resolved, "rb");
    if (lf->f == NULL) return luaL_error(L, "src:lines('%s'): cannot open it (%s)", rel, strerror(errno));
    sw_get_slot(L, SLOT_READ_FILES); /* record the path as given, for the run's record of what the source read */
    if (!lua_istable(L, -1)) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        sw_set_slot(L, SLOT_READ_FILES);
    }
    lua_pushstring(L, rel);
    lua_pushboolean(L, 1);
    lua_rawset(L, -3);
    lua_pop(L, 1);
    lua_pushvalue(L, handle);
    lua_pushcclosure(L, lines_next, 1);
    lua_pushnil(L);
    lua_pushnil(L);
    lua_pushvalue(L, handle); /* closing value of a generic for */
    return 4;
}

int sw_source_body(lua_State *L) {
    sw_host *h = sw_host_of(L);
    const source_args *a = h->args;
    sw_emit_free(h);
    atomic_store(&h->wd_record, 0);
    h->emit_columns = a->count;
    sw_get_slot(L, SLOT_MAIN);
    int fn = lua_gettop(L);
    if (!lua_isfunction(L, fn)) return luaL_error(L, "the plugin has no read function");
    lua_createtable(L, 0, 2);
    int src = lua_gettop(L);
    lua_createtable(L, 0, a->count);
    for (int32_t i = 0; i < a->count; i++) {
        lua_pushinteger(L, i + 1);
        lua_setfield(L, -2, a->names[i]);
    }
    lua_pushvalue(L, src);
    lua_insert(L, -2);
    lua_pushcclosure(L, src_emit, 2);
    lua_setfield(L, src, "emit");
    lua_pushvalue(L, src);
    lua_pushcclosure(L, src_lines, 1);
    lua_setfield(L, src, "lines");
    lua_pushvalue(L, fn);
    lua_pushvalue(L, src);
    sw_get_slot(L, SLOT_P);
    h->host_mode = 0;
    lua_call(L, 2, 0);
    h->host_mode = 1;
    return 0;
}

int sw_read_source(sw_host *h, const char *const *names, int32_t count) {
    source_args a = {names, count};
    return sw_protected(h, sw_source_body, &a);
}

int64_t sw_emitted_records(sw_host *h) { return h->emit_records; }

sw_cell sw_emitted_cell(sw_host *h, int64_t record, int32_t column) {
    sw_cell cell = h->emit_cells[record * h->emit_columns + column];
    if (cell.tag == SW_NODE_STRING) cell.s = h->emit_bytes + cell.i;
    return cell;
}

void sw_release_emitted(sw_host *h) { sw_emit_free(h); }
