/*
 * The sandbox's `os` table: time, date and clock. Plugin time is UTC whatever the process's TZ:
 * os.date always formats in UTC (as if its format started with "!") and os.time(table) reads the
 * table as a UTC date and time (timegm-style, computed here; TZ is never consulted). With a frozen
 * clock, os.time() returns it, os.date(fmt) formats it and os.clock() returns 0.
 */
#include "host.h"

#include <limits.h>

static int call_upvalue(lua_State *L) {
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

static int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (m 1…12, d 1…31). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
    y -= m <= 2;
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* The date `z` days after 1970-01-01. */
static void civil_from_days(int64_t z, int64_t *y, int64_t *m, int64_t *d) {
    z += 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

/* A field of an os.time table, checked as Lua's own os.time does; d < 0: required. */
static int64_t date_field(lua_State *L, const char *key, int d, int delta) {
    int isnum;
    int type = lua_getfield(L, 1, key);
    lua_Integer value = lua_tointegerx(L, -1, &isnum);
    lua_pop(L, 1);
    if (!isnum) {
        if (type != LUA_TNIL) return luaL_error(L, "field '%s' is not an integer", key);
        if (d < 0) return luaL_error(L, "field '%s' missing in date table", key);
        return d;
    }
    if (!(value >= 0 ? value - delta <= INT_MAX : INT_MIN + delta <= value))
        return luaL_error(L, "field '%s' is out-of-bound", key);
    return (int64_t)value - delta;
}

static void set_field(lua_State *L, const char *key, int64_t value) {
    lua_pushinteger(L, (lua_Integer)value);
    lua_setfield(L, 1, key);
}

/* os.time(table): the table read as UTC; like Lua's os.time it normalizes the table's fields. */
static int utc_time(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    int64_t year = date_field(L, "year", -1, 1900) + 1900;
    int64_t month = date_field(L, "month", -1, 1);
    int64_t day = date_field(L, "day", -1, 0);
    int64_t hour = date_field(L, "hour", 12, 0);
    int64_t min = date_field(L, "min", 0, 0);
    int64_t sec = date_field(L, "sec", 0, 0);
    /* Every field fits an int, so none of this can overflow 64 bits. */
    year += floor_div(month, 12);
    month -= floor_div(month, 12) * 12;
    int64_t days = days_from_civil(year, month + 1, 1) + day - 1;
    int64_t t = days * 86400 + hour * 3600 + min * 60 + sec;
    int64_t y, m, d;
    int64_t whole = floor_div(t, 86400), rest = t - whole * 86400;
    civil_from_days(whole, &y, &m, &d);
    if (y - 1900 > INT_MAX || y - 1900 < INT_MIN)
        return luaL_error(L, "time result cannot be represented in this installation");
    set_field(L, "year", y);
    set_field(L, "month", m);
    set_field(L, "day", d);
    set_field(L, "hour", rest / 3600);
    set_field(L, "min", rest / 60 % 60);
    set_field(L, "sec", rest % 60);
    set_field(L, "yday", whole - days_from_civil(y, 1, 1) + 1);
    set_field(L, "wday", whole + 4 - floor_div(whole + 4, 7) * 7 + 1); /* 1970-01-01 was a Thursday */
    lua_pushboolean(L, 0);
    lua_setfield(L, 1, "isdst");
    lua_pushinteger(L, (lua_Integer)t);
    return 1;
}

static int sb_os_time(lua_State *L) {
    sw_host *h = sw_host_of(L);
    if (!lua_isnoneornil(L, 1)) return utc_time(L);
    if (h->has_frozen_time) {
        lua_pushinteger(L, (lua_Integer)h->frozen_time);
        return 1;
    }
    return call_upvalue(L);
}

/* os.date([fmt [, t]]): Lua's os.date with "!" put in front of the format (UTC) unless it is there. */
static int sb_os_date(lua_State *L) {
    sw_host *h = sw_host_of(L);
    size_t len;
    const char *fmt = luaL_optlstring(L, 1, "%c", &len);
    int has_time = !lua_isnoneornil(L, 2);
    lua_settop(L, 2);
    lua_pushvalue(L, lua_upvalueindex(1));
    if (len > 0 && fmt[0] == '!') lua_pushvalue(L, 1);
    else {
        lua_pushliteral(L, "!");
        lua_pushlstring(L, fmt, len);
        lua_concat(L, 2);
    }
    if (has_time) lua_pushvalue(L, 2);
    else if (h->has_frozen_time) lua_pushinteger(L, (lua_Integer)h->frozen_time);
    else lua_pushnil(L);
    lua_call(L, 2, 1);
    return 1;
}

static int sb_os_clock(lua_State *L) {
    sw_host *h = sw_host_of(L);
    if (h->has_frozen_time) {
        lua_pushnumber(L, 0.0);
        return 1;
    }
    return call_upvalue(L);
}

/* Pushes the sandbox's os table, wrapping time, date and clock of Lua's os library at index `os`. */
void sw_push_os_table(lua_State *L, int os) {
    static const char *const names[] = {"time", "date", "clock"};
    static const lua_CFunction functions[] = {sb_os_time, sb_os_date, sb_os_clock};
    lua_createtable(L, 0, 3);
    for (int i = 0; i < 3; i++) {
        lua_getfield(L, os, names[i]);
        lua_pushcclosure(L, functions[i], 1);
        lua_setfield(L, -2, names[i]);
    }
}
