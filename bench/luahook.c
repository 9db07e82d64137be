/*
 * Micro-benchmark of the Lua per-row call pattern Segwork's row loop uses (Sources/CLuaSupport/rows.c): one
 * reused row table, 3 fields set with lua_rawset, assign(row, p) called with lua_call, the label read back.
 * It runs each criterion with and without a count hook (Segwork used to set one, every 1000 instructions, for its
 * instruction budget on every call; since issue 4 it arms the hook only for calls still running after 10 ms), to
 * show what the hook itself costs. Not part of Segwork; bench/profile.sh builds and
 * runs it (part 3), or by hand:
 *     cc -O2 -o /tmp/luahook bench/luahook.c $(pkg-config --cflags --libs lua5.4) && /tmp/luahook 1000000
 * `luahook ROWS CRITERION HOOK` (0/1 each) makes one run only, to count its instructions with valgrind
 * --tool=callgrind (minus a run with 0 rows), which a busy shared machine cannot disturb.
 */
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <linux/perf_event.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define REPEATS 5

static const char *CRITERIA[][2] = {
    {"three (bench_three)",
     "return function(row, p)\n"
     "  local r, f, m = row.recency_days, row.frequency, row.monetary\n"
     "  if r == nil then return 'none' end\n"
     "  if r <= p.recent and f >= p.frequent and m >= p.big then return 'best' end\n"
     "  if r <= p.recent then return 'active' end\n"
     "  return 'lapsed'\n"
     "end\n"},
    {"rfm (bundled rule, segutil calls)",
     "local segutil = {}\n"
     "function segutil.count_below(breaks, value)\n"
     "  local n = 0\n"
     "  for i = 1, #breaks do if breaks[i] < value then n = n + 1 end end\n"
     "  return n\n"
     "end\n"
     "function segutil.score_up(breaks, value) return 1 + segutil.count_below(breaks, value) end\n"
     "function segutil.score_down(breaks, value) return #breaks + 1 - segutil.count_below(breaks, value) end\n"
     "local GRID = {\n"
     "  [5] = { 'New', 'Potential Loyalist', 'Potential Loyalist', 'Champions', 'Champions' },\n"
     "  [4] = { 'Promising', 'Potential Loyalist', 'Potential Loyalist', 'Loyal', 'Loyal' },\n"
     "  [3] = { 'About to Sleep', 'About to Sleep', 'Need Attention', 'Loyal', 'Loyal' },\n"
     "  [2] = { 'Hibernating', 'Hibernating', 'At Risk', 'At Risk', 'Cannot Lose Them' },\n"
     "  [1] = { 'Lost', 'Lost', 'At Risk', 'At Risk', 'Cannot Lose Them' },\n"
     "}\n"
     "return function(row, p)\n"
     "  if p.r_breaks == nil then error('no breaks') end\n"
     "  local recency, frequency = row.recency_days, row.frequency\n"
     "  if recency == nil or frequency == nil or frequency <= 0 then\n"
     "    if p.no_purchase_label == '' then return nil end\n"
     "    return p.no_purchase_label\n"
     "  end\n"
     "  local r = segutil.score_down(p.r_breaks, recency)\n"
     "  local f = segutil.score_up(p.f_breaks, frequency)\n"
     "  if p.mode == 'scores' then return 'x' end\n"
     "  return GRID[r][f]\n"
     "end\n"},
};

static void hook(lua_State *L, lua_Debug *ar) {
    (void)L;
    (void)ar;
}

/* On-CPU time of this thread: time spent waiting for a core on a busy machine does not count. */
static double cpu_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A user-mode instruction counter for this thread, or -1 when perf events are not allowed. */
static int instruction_counter(void) {
    struct perf_event_attr a;
    memset(&a, 0, sizeof a);
    a.size = sizeof a;
    a.type = PERF_TYPE_HARDWARE;
    a.config = PERF_COUNT_HW_INSTRUCTIONS;
    a.disabled = 1;
    a.exclude_kernel = 1;
    a.exclude_hv = 1;
    return (int)syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
}

static double run(const char *code, long rows, int with_hook, int counter, double *instructions) {
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);
    if (luaL_loadstring(L, code) != LUA_OK || lua_pcall(L, 0, 1, 0) != LUA_OK) {
        fprintf(stderr, "lua: %s\n", lua_tostring(L, -1));
        exit(1);
    }
    int fn = lua_gettop(L);
    /* p: the parameters both criteria read (rfm's breakpoints as measured on the 1M data). */
    (void)luaL_dostring(L, "return { recent = 90, frequent = 5, big = 500, mode = 'segment', no_purchase_label = 'No Purchase',"
                     " r_breaks = {34, 76, 132, 235}, f_breaks = {1, 4, 8, 15} }");
    int p = lua_gettop(L);
    lua_createtable(L, 0, 3);
    int row = lua_gettop(L);
    const char *names[3] = {"recency_days", "frequency", "monetary"};
    for (int c = 0; c < 3; c++) lua_pushstring(L, names[c]);
    int keys = row + 1;
    if (with_hook) lua_sethook(L, hook, LUA_MASKCOUNT, 1000);
    int top = lua_gettop(L);
    long sink = 0;
    if (counter >= 0) {
        ioctl(counter, PERF_EVENT_IOC_RESET, 0);
        ioctl(counter, PERF_EVENT_IOC_ENABLE, 0);
    }
    double t0 = cpu_now();
    for (long i = 0; i < rows; i++) {
        long x = (i * 2654435761u) % 1000;
        for (int c = 0; c < 3; c++) {
            lua_pushvalue(L, keys + c);
            if (x < 50) lua_pushnil(L);               /* 5 % without purchases, as in the data */
            else if (c == 0) lua_pushinteger(L, x % 400);
            else if (c == 1) lua_pushinteger(L, 1 + x % 20);
            else lua_pushnumber(L, x * 1.7);
            lua_rawset(L, row);
        }
        lua_pushvalue(L, fn);
        lua_pushvalue(L, row);
        lua_pushvalue(L, p);
        lua_call(L, 2, 1);
        sink += lua_type(L, -1);
        lua_settop(L, top);
    }
    double t = cpu_now() - t0;
    *instructions = -1;
    if (counter >= 0) {
        uint64_t n = 0;
        ioctl(counter, PERF_EVENT_IOC_DISABLE, 0);
        if (read(counter, &n, sizeof n) == (ssize_t)sizeof n) *instructions = (double)n;
    }
    lua_close(L);
    if (sink == 42) puts("");
    return t;
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Prints, per criterion and hook setting, the median over REPEATS runs (interleaved, so load changes hit
 * both settings alike) of CPU ns per row, and instructions per row (a count the machine's load cannot change). */
int main(int argc, char **argv) {
    long rows = argc > 1 ? atol(argv[1]) : 1000000;
    if (argc > 3) {
        /* One run of criterion argv[2] (0 or 1) with hook argv[3] (0 or 1): for counting instructions under
         * valgrind --tool=callgrind, where a run with 0 rows gives the set-up to subtract. */
        double ins;
        run(CRITERIA[atoi(argv[2]) & 1][1], rows, atoi(argv[3]) & 1, -1, &ins);
        return 0;
    }
    int counter = instruction_counter();
    printf("%-36s %-11s %12s %10s %14s\n", "criterion", "count hook", "CPU ns/row", "M rows/s", "instr./row");
    for (size_t k = 0; k < sizeof CRITERIA / sizeof CRITERIA[0]; k++) {
        double t[2][REPEATS], ins[2][REPEATS];
        for (int rep = 0; rep < REPEATS; rep++)
            for (int h = 0; h <= 1; h++) t[h][rep] = run(CRITERIA[k][1], rows, h, counter, &ins[h][rep]);
        for (int h = 0; h <= 1; h++) {
            qsort(t[h], REPEATS, sizeof(double), by_value);
            qsort(ins[h], REPEATS, sizeof(double), by_value);
            double med = t[h][REPEATS / 2], in = ins[h][REPEATS / 2];
            char shown[32] = "n/a";
            if (in >= 0) snprintf(shown, sizeof shown, "%.0f", in / rows);
            printf("%-36s %-11s %12.1f %10.2f %14s\n", CRITERIA[k][0], h ? "every 1000" : "none",
                   med / rows * 1e9, rows / med / 1e6, shown);
        }
    }
    return 0;
}
