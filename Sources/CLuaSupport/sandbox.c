/*
 * The sandbox: a plain environment table used as _ENV of the plugin chunk, of modules it requires and
 * (by default) of chunks it loads. See docs in Sources/LuaHost/Plugin.swift for the list.
 */
#include "host.h"

#include <stdio.h>
#include <string.h>
#include <lualib.h>

void sw_make_file_metatable(lua_State *L);
void sw_push_os_table(lua_State *L, int os);

/* setmetatable that refuses finalizers: __gc runs with hooks off, outside every budget. */
static int sb_setmetatable(lua_State *L) {
    int t = lua_type(L, 2);
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table");
    if (t == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        int has_gc = lua_rawget(L, 2) != LUA_TNIL;
        lua_pop(L, 1);
        if (has_gc)
            return luaL_error(L, "setmetatable: metatables with a __gc field are not allowed in plugins "
                                 "(finalizers would run outside the instruction budget)");
    }
    if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL)
        return luaL_error(L, "cannot change a protected metatable");
    lua_settop(L, 2);
    lua_setmetatable(L, 1);
    return 1;
}

/*
 * string.rep that fails like an allocation when the result would not fit in the plugin's memory cap
 * (Lua's own check only refuses results over 2 GiB, with a plain error).
 */
static int sb_rep(lua_State *L) {
    sw_host *h = sw_host_of(L);
    size_t l, lsep = 0;
    luaL_checklstring(L, 1, &l);
    lua_Integer n = luaL_checkinteger(L, 2);
    luaL_optlstring(L, 3, "", &lsep);
    if (n > 1) {
        size_t room = sw_memory_room(h);
        size_t unit = l + lsep;
        if (unit < l || (unit > 0 && (size_t)n > room / unit)) {
            h->memory_denied = 1;
            return luaL_error(L, "not enough memory for string.rep (%I copies of %I bytes)", n, (lua_Integer)unit);
        }
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

/* load(chunk [, chunkname [, mode [, env]]]): always text mode; env defaults to the sandbox. */
static int sb_load(lua_State *L) {
    int n = lua_gettop(L);
    lua_settop(L, 4);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushvalue(L, 1);
    lua_pushvalue(L, 2);
    lua_pushliteral(L, "t");
    if (n >= 4) lua_pushvalue(L, 4);
    else lua_pushvalue(L, lua_upvalueindex(2));
    lua_call(L, 4, LUA_MULTRET);
    return lua_gettop(L) - 4;
}

/* seg.log(...) and print(...): tostring'd arguments joined by spaces, handed to the host's log. */
static int sb_log(lua_State *L) {
    sw_host *h = sw_host_of(L);
    int n = lua_gettop(L);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int i = 1; i <= n; i++) {
        if (i > 1) luaL_addchar(&b, ' ');
        luaL_tolstring(L, i, NULL);
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    if (h->log && h->log(h->log_ud, s, len) != 0) return luaL_error(L, "seg.log: the host could not write the message");
    return 0;
}

static const char *find_bytes(const char *p, size_t n, const char *sep, size_t lsep) {
    while (n >= lsep) {
        const char *c = memchr(p, sep[0], n - lsep + 1);
        if (c == NULL) return NULL;
        if (memcmp(c, sep, lsep) == 0) return c;
        n -= (size_t)(c - p) + 1;
        p = c + 1;
    }
    return NULL;
}

/* seg.split(s, sep): plain separator, keeps empty fields, returns an array. */
static int seg_split(lua_State *L) {
    size_t ls, lsep;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *sep = luaL_checklstring(L, 2, &lsep);
    luaL_argcheck(L, lsep > 0, 2, "separator must not be empty");
    lua_newtable(L);
    lua_Integer n = 0;
    const char *p = s, *end = s + ls;
    for (;;) {
        const char *hit = find_bytes(p, (size_t)(end - p), sep, lsep);
        const char *stop = hit ? hit : end;
        lua_pushlstring(L, p, (size_t)(stop - p));
        lua_rawseti(L, -2, ++n);
        if (hit == NULL) break;
        p = hit + lsep;
    }
    return 1;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

/* seg.trim(s): removes ASCII white space at both ends. */
/* math.randomseed wrapper: with no argument Lua 5.4 reseeds from the time and an address, which would make a
 * run unrepeatable; here it reseeds with the host's per-run seed instead. Upvalues: the real randomseed, the seed. */
static int sb_randomseed(lua_State *L) {
    int n = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    if (n == 0) {
        lua_pushvalue(L, lua_upvalueindex(2));
        n = 1;
    } else {
        lua_insert(L, 1);
    }
    lua_call(L, n, LUA_MULTRET);
    return lua_gettop(L);
}

static int seg_trim(lua_State *L) {
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    size_t a = 0, b = len;
    while (a < b && is_space(s[a])) a++;
    while (b > a && is_space(s[b - 1])) b--;
    lua_pushlstring(L, s + a, b - a);
    return 1;
}

static int valid_module_name(const char *name, size_t len) {
    if (len == 0 || name[0] == '.' || name[len - 1] == '.') return 0;
    for (size_t i = 0; i < len; i++) {
        char c = name[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
        if (!ok || (c == '.' && name[i + 1] == '.')) return 0;
    }
    return 1;
}

/* require(name): only <library path>/<name with dots as slashes>.lua, run in the sandbox, cached. */
static int sb_require(lua_State *L) {
    sw_host *h = sw_host_of(L);
    size_t len;
    const char *name = luaL_checklstring(L, 1, &len);
    lua_settop(L, 1);
    if (!valid_module_name(name, len))
        return luaL_error(L, "module '%s' not found in the plugin library: module names may only use letters, "
                             "digits, '_' and single dots", name);
    sw_get_slot(L, SLOT_REQUIRE); /* 2: cache */
    lua_pushvalue(L, 1);
    int cached = lua_rawget(L, 2);
    if (cached == LUA_TLIGHTUSERDATA) return luaL_error(L, "module '%s' requires itself (circular require)", name);
    if (cached != LUA_TNIL) return 1;
    lua_pop(L, 1);
    luaL_Buffer searched;
    luaL_buffinit(L, &searched);
    const char *found = NULL;
    for (int i = 0; i < h->library_path_count && found == NULL; i++) {
        if (i > 0) luaL_addstring(&searched, ", "); /* before pushing: the buffer must be on top */
        lua_pushstring(L, h->library_paths[i]);
        lua_pushliteral(L, "/");
        luaL_gsub(L, name, ".", "/");
        lua_pushliteral(L, ".lua");
        lua_concat(L, 4);
        const char *path = lua_tostring(L, -1);
        FILE *f = fopen(path, "r");
        if (f != NULL) {
            fclose(f);
            found = path;
            lua_insert(L, 3); /* keep the path below the buffer */
            break;
        }
        lua_pop(L, 1); /* the message names the folder by its label, never a path of Segwork's own */
        lua_pushstring(L, h->library_labels[i]);
        lua_pushliteral(L, "/");
        luaL_gsub(L, name, ".", "/");
        lua_pushliteral(L, ".lua");
        lua_concat(L, 4);
        luaL_addvalue(&searched);
    }
    if (found == NULL) {
        if (h->library_path_count == 0) luaL_addstring(&searched, "no library paths are configured");
        luaL_pushresult(&searched);
        return luaL_error(L, "module '%s' not found in the plugin library (searched: %s)", name, lua_tostring(L, -1));
    }
    lua_settop(L, 3); /* 1 name, 2 cache, 3 path */
    /* Messages name a module by its path inside the workspace when it is there, else as lib/<name>.lua: never by an
     * absolute path, which a caught error could carry into a label and an export. */
    size_t root_len = h->file_root ? strlen(h->file_root) : 0;
    if (root_len > 0 && strncmp(found, h->file_root, root_len) == 0 && found[root_len] == '/') {
        lua_pushfstring(L, "@%s", found + root_len + 1);
    } else {
        lua_pushliteral(L, "@lib/");
        luaL_gsub(L, name, ".", "/");
        lua_pushliteral(L, ".lua");
        lua_concat(L, 3);
    }
    int status = sw_loadfile_named(L, found, lua_tostring(L, -1));
    lua_remove(L, -2); /* the chunk name; the loaded chunk (or the message) stays on top */
    if (status != LUA_OK) return lua_error(L);
    sw_get_slot(L, SLOT_ENV);
    if (lua_setupvalue(L, -2, 1) == NULL) lua_pop(L, 1);
    lua_pushvalue(L, 1);
    lua_pushlightuserdata(L, (void *)h); /* "loading" marker */
    lua_rawset(L, 2);
    lua_pushvalue(L, 1);
    lua_pushvalue(L, 3);
    status = lua_pcall(L, 2, 1, 0);
    if (status != LUA_OK) {
        lua_pushvalue(L, 1);
        lua_pushnil(L);
        lua_rawset(L, 2);
        return lua_error(L);
    }
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_pushboolean(L, 1);
    }
    lua_pushvalue(L, 1);
    lua_pushvalue(L, -2);
    lua_rawset(L, 2);
    return 1;
}

static void copy_field(lua_State *L, int from, int to, const char *name) {
    lua_getfield(L, from, name);
    lua_setfield(L, to, name);
}

int sw_open_sandbox(lua_State *L) {
    sw_host *h = sw_host_of(L);
    luaL_requiref(L, LUA_GNAME, luaopen_base, 0);
    int G = lua_gettop(L);
    luaL_requiref(L, LUA_COLIBNAME, luaopen_coroutine, 0);
    luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 0);
    luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 0);
    luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 0);
    luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 0);
    luaL_requiref(L, LUA_OSLIBNAME, luaopen_os, 0);
    int co = G + 1, tab = G + 2, str = G + 3, math = G + 4, utf8 = G + 5, os = G + 6;
    lua_newtable(L);
    int E = lua_gettop(L);

    static const char *const base[] = {"assert", "error", "ipairs", "next", "pairs", "pcall", "xpcall",
                                       "rawequal", "rawget", "rawlen", "rawset", "select", "tonumber",
                                       "tostring", "type", "getmetatable", "_VERSION", NULL};
    for (int i = 0; base[i]; i++) copy_field(L, G, E, base[i]);
    lua_pushcfunction(L, sb_setmetatable);
    lua_setfield(L, E, "setmetatable");
    lua_getfield(L, G, "load");
    lua_pushvalue(L, E);
    lua_pushcclosure(L, sb_load, 2);
    lua_setfield(L, E, "load");
    lua_pushcfunction(L, sb_log);
    lua_setfield(L, E, "print");
    lua_pushcfunction(L, sb_require);
    lua_setfield(L, E, "require");

    /* string.dump goes from the library table itself: ("").dump must not reach it either. */
    lua_pushnil(L);
    lua_setfield(L, str, "dump");
    lua_getfield(L, str, "rep");
    lua_pushcclosure(L, sb_rep, 1);
    lua_setfield(L, str, "rep");
    lua_pushvalue(L, str);
    lua_setfield(L, E, "string");
    lua_pushvalue(L, tab);
    lua_setfield(L, E, "table");
    lua_pushvalue(L, math);
    lua_setfield(L, E, "math");
    lua_pushvalue(L, utf8);
    lua_setfield(L, E, "utf8");
    sw_wrap_coroutines(L, co); /* they keep the budget hook on whichever thread runs */
    lua_pushvalue(L, co);
    lua_setfield(L, E, "coroutine");

    /* Lua 5.4 seeds math.random randomly: seed it from the environment so runs repeat. */
    lua_getfield(L, math, "randomseed");
    lua_pushinteger(L, (lua_Integer)h->random_seed);
    lua_call(L, 1, 0);
    lua_getfield(L, math, "randomseed");
    lua_pushinteger(L, (lua_Integer)h->random_seed);
    lua_pushcclosure(L, sb_randomseed, 2);
    lua_setfield(L, math, "randomseed");

    sw_push_os_table(L, os);
    lua_setfield(L, E, "os");

    lua_createtable(L, 0, 4);
    lua_pushinteger(L, 1);
    lua_setfield(L, -2, "api");
    lua_pushcfunction(L, sb_log);
    lua_setfield(L, -2, "log");
    lua_pushcfunction(L, seg_split);
    lua_setfield(L, -2, "split");
    lua_pushcfunction(L, seg_trim);
    lua_setfield(L, -2, "trim");
    lua_setfield(L, E, "seg");

    lua_pushvalue(L, E);
    lua_setfield(L, E, "_G");
    lua_pushvalue(L, E);
    sw_set_slot(L, SLOT_ENV);
    sw_make_file_metatable(L);
    sw_set_slot(L, SLOT_FILE_MT);
    lua_settop(L, G - 1);
    return 0;
}
