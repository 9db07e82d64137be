/*
 * Loading a Lua file under a chosen chunk name (see host.h, sw_loadfile_named).
 */
#include "host.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* sw_loadfile_named: a reader over a FILE that skips a UTF-8 BOM and a first line starting with '#' (keeping its
 * newline, so line numbers stay right), as luaL_loadfilex does. */
typedef struct sw_file_reader {
    FILE *f;
    int first;
    char buffer[4096];
} sw_file_reader;

static const char *read_file_chunk(lua_State *L, void *ud, size_t *size) {
    (void)L;
    sw_file_reader *r = ud;
    size_t n = fread(r->buffer, 1, sizeof r->buffer, r->f);
    const char *start = r->buffer;
    if (r->first) {
        r->first = 0;
        if (n >= 3 && memcmp(start, "\xEF\xBB\xBF", 3) == 0) { start += 3; n -= 3; }
        if (n > 0 && start[0] == '#') {
            size_t i = 0;
            while (i < n && start[i] != '\n') i++;
            while (i == n) { /* the comment line is longer than the buffer */
                n = fread(r->buffer, 1, sizeof r->buffer, r->f);
                start = r->buffer;
                if (n == 0) { *size = 0; return NULL; }
                i = 0;
                while (i < n && start[i] != '\n') i++;
            }
            start += i; n -= i;
        }
    }
    *size = n;
    return n > 0 ? start : NULL;
}

int sw_loadfile_named(lua_State *L, const char *path, const char *chunkname) {
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        lua_pushfstring(L, "cannot open %s: %s", chunkname + 1, strerror(errno));
        return LUA_ERRFILE;
    }
    sw_file_reader *r = malloc(sizeof *r);
    if (r == NULL) { fclose(f); lua_pushliteral(L, "not enough memory"); return LUA_ERRMEM; }
    r->f = f;
    r->first = 1;
    int status = lua_load(L, read_file_chunk, r, chunkname, "t");
    int failed = ferror(f);
    fclose(f);
    free(r);
    if (failed && status == LUA_OK) {
        lua_pop(L, 1);
        lua_pushfstring(L, "cannot read %s", chunkname + 1);
        return LUA_ERRFILE;
    }
    return status;
}
