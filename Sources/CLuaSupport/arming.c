/*
 * The deferred budget hook. Any active Lua hook makes the VM trace every instruction (36-81 % of a small
 * criterion's row loop), so plugin code runs with no hook until a budget period (a call, one row, the
 * work between two emitted records) has run for SW_GRACE_NS. The ticker thread (watchdog.c) notices such a
 * period through h->seq and sends SW_ARM_SIGNAL to the thread running it; the handler, on that thread,
 * sets the count hook on the running Lua thread and on the main state, as lua.c does for Ctrl-C (Lua
 * documents lua_sethook as safe in a signal handler; calling it from another thread is not: it walks the
 * running thread's CallInfo list). From then on the budget and time limit are checked as before.
 *
 * Hooks belong to one lua_State, so the sandbox's coroutine.resume, coroutine.wrap and coroutine.close
 * (copies of lcorolib.c, Lua 5.4.4, MIT licence) keep h->running up to date and give the thread they
 * start the hook state the period needs: a coroutine created before the hook was armed gets it when it
 * is resumed, and the resumer gets it back when the coroutine yields or ends.
 *
 * SIGURG is used because its default action is to ignore it and it is rarely used (Go uses it for the
 * same purpose); a handler installed before ours is still called for signals that are not ours.
 */
#define _GNU_SOURCE
#include "host.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SW_ARM_SIGNAL SIGURG

static _Thread_local sw_host *tls_host; /* the host whose call runs on this thread */
static _Thread_local int tls_tid;
static struct sigaction previous_action;
static pthread_once_t install_once = PTHREAD_ONCE_INIT;

void sw_arm_thread(sw_host *h, lua_State *thread) {
    int count = h->trip != TRIP_NONE ? 1 : h->hook_period;
    if (lua_gethook(thread) == sw_hook && lua_gethookmask(thread) == LUA_MASKCOUNT && lua_gethookcount(thread) == count)
        return;
    lua_sethook(thread, sw_hook, LUA_MASKCOUNT, count);
}

/* Arms the running thread and the main state (the handler, or a code path that finds armed set). */
static void arm_running(sw_host *h) {
    lua_State *running = atomic_load(&h->running);
    if (running) sw_arm_thread(h, running);
    if (running != h->L) sw_arm_thread(h, h->L);
}

/* Turns the hook off at the start of a new budget period; a tripped call keeps it. */
void sw_disarm(sw_host *h) {
    if (h->exact || h->trip != TRIP_NONE) return;
    atomic_store(&h->armed, 0);
    lua_State *running = atomic_load(&h->running);
    if (running) lua_sethook(running, NULL, 0, 0);
    if (running != h->L) lua_sethook(h->L, NULL, 0, 0);
    /* The handler may have armed the period in between (a late signal for this very period): keep it. */
    if (atomic_load(&h->armed)) arm_running(h);
}

/* Gives `thread`, about to run plugin code, the hook state the period needs. */
static void sync_hook(sw_host *h, lua_State *thread) {
    if (h->exact || atomic_load(&h->armed)) {
        sw_arm_thread(h, thread);
        return;
    }
    if (lua_gethook(thread) != NULL) {
        lua_sethook(thread, NULL, 0, 0);
        if (atomic_load(&h->armed)) sw_arm_thread(h, thread);
    }
}

static void on_arm_signal(int sig, siginfo_t *info, void *context) {
    int saved = errno;
    sw_host *h = tls_host;
    uint64_t wanted = h ? atomic_load(&h->arm_seq) : 0;
    if (h && wanted != 0 && wanted == atomic_load(&h->seq)) {
        if (!atomic_load(&h->armed)) {
            atomic_store(&h->armed, 1);
            arm_running(h);
        }
        atomic_store(&h->arm_ack, wanted);
    } else if ((previous_action.sa_flags & SA_SIGINFO) && previous_action.sa_sigaction) {
        previous_action.sa_sigaction(sig, info, context);
    } else if (!(previous_action.sa_flags & SA_SIGINFO) && previous_action.sa_handler != SIG_DFL &&
               previous_action.sa_handler != SIG_IGN && previous_action.sa_handler != NULL) {
        previous_action.sa_handler(sig);
    }
    errno = saved;
}

static void install_handler(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_arm_signal;
    action.sa_flags = SA_SIGINFO | SA_RESTART | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    sigaction(SW_ARM_SIGNAL, &action, &previous_action);
}

void sw_send_arm_signal(int tid) {
    if (tid > 0) syscall(SYS_tgkill, getpid(), tid, SW_ARM_SIGNAL);
}

void sw_call_begin(sw_host *h) {
    lua_State *L = h->L;
    h->trip = TRIP_NONE;
    atomic_store(&h->armed, 0);
    atomic_store(&h->running, L);
    if (h->exact) {
        lua_sethook(L, sw_hook, LUA_MASKCOUNT, h->hook_period);
        return;
    }
    if (lua_gethook(L) != NULL) lua_sethook(L, NULL, 0, 0);
    pthread_once(&install_once, install_handler);
    if (tls_tid == 0) tls_tid = (int)syscall(SYS_gettid);
    atomic_store(&h->call_tid, tls_tid);
    tls_host = h;
    /* Threads may block signals (libdispatch's workers block nearly all): let this one through. */
    sigset_t arm, old;
    sigemptyset(&arm);
    sigaddset(&arm, SW_ARM_SIGNAL);
    h->unblocked = pthread_sigmask(SIG_UNBLOCK, &arm, &old) == 0 && sigismember(&old, SW_ARM_SIGNAL) == 1;
}

void sw_call_end(sw_host *h) {
    if (h->exact) return;
    tls_host = NULL;
    atomic_store(&h->call_tid, 0);
    if (h->unblocked) {
        sigset_t arm;
        sigemptyset(&arm);
        sigaddset(&arm, SW_ARM_SIGNAL);
        pthread_sigmask(SIG_BLOCK, &arm, NULL);
        h->unblocked = 0;
    }
}

/* --- coroutine.resume, coroutine.wrap and coroutine.close that track the running thread ------------ */

static lua_State *getco(lua_State *L) {
    lua_State *co = lua_tothread(L, 1);
    luaL_argexpected(L, co, 1, "coroutine");
    return co;
}

/* Runs on `co` from here: it becomes the running thread and gets the hook state of the period. */
static void enter(sw_host *h, lua_State *co) {
    atomic_store(&h->running, co);
    sync_hook(h, co);
}

/* Back on L (the resumer): it may have been armed or tripped meanwhile. */
static void leave(sw_host *h, lua_State *L) {
    atomic_store(&h->running, L);
    sync_hook(h, L);
}

static int auxresume(lua_State *L, lua_State *co, int narg) {
    sw_host *h = sw_host_of(L);
    int status, nres;
    if (!lua_checkstack(co, narg)) {
        lua_pushliteral(L, "too many arguments to resume");
        return -1;
    }
    lua_xmove(L, co, narg);
    enter(h, co);
    status = lua_resume(co, L, narg, &nres);
    leave(h, L);
    if (status == LUA_OK || status == LUA_YIELD) {
        if (!lua_checkstack(L, nres + 1)) {
            lua_pop(co, nres);
            lua_pushliteral(L, "too many results to resume");
            return -1;
        }
        lua_xmove(co, L, nres);
        return nres;
    }
    lua_xmove(co, L, 1);
    return -1;
}

static int sb_resume(lua_State *L) {
    lua_State *co = getco(L);
    int r = auxresume(L, co, lua_gettop(L) - 1);
    if (r < 0) {
        lua_pushboolean(L, 0);
        lua_insert(L, -2);
        return 2;
    }
    lua_pushboolean(L, 1);
    lua_insert(L, -(r + 1));
    return r + 1;
}

/* lua_resetthread runs the coroutine's pending __close handlers: plugin code, on co. */
static int reset_thread(lua_State *L, lua_State *co) {
    sw_host *h = sw_host_of(L);
    enter(h, co);
    int status = lua_resetthread(co);
    leave(h, L);
    return status;
}

static int auxwrap(lua_State *L) {
    lua_State *co = lua_tothread(L, lua_upvalueindex(1));
    int r = auxresume(L, co, lua_gettop(L));
    if (r < 0) {
        int stat = lua_status(co);
        if (stat != LUA_OK && stat != LUA_YIELD) {
            stat = reset_thread(L, co);
            lua_xmove(co, L, 1);
        }
        if (stat != LUA_ERRMEM && lua_type(L, -1) == LUA_TSTRING) {
            luaL_where(L, 1);
            lua_insert(L, -2);
            lua_concat(L, 2);
        }
        return lua_error(L);
    }
    return r;
}

static int sb_wrap(lua_State *L) {
    luaL_checktype(L, 1, LUA_TFUNCTION);
    lua_State *co = lua_newthread(L);
    lua_pushvalue(L, 1);
    lua_xmove(L, co, 1);
    lua_pushcclosure(L, auxwrap, 1);
    return 1;
}

enum { COS_RUN, COS_DEAD, COS_YIELD, COS_NORM };

static int auxstatus(lua_State *L, lua_State *co) {
    if (L == co) return COS_RUN;
    switch (lua_status(co)) {
    case LUA_YIELD: return COS_YIELD;
    case LUA_OK: {
        lua_Debug ar;
        if (lua_getstack(co, 0, &ar)) return COS_NORM;
        return lua_gettop(co) == 0 ? COS_DEAD : COS_YIELD;
    }
    default: return COS_DEAD;
    }
}

static int sb_close(lua_State *L) {
    static const char *const names[] = {"running", "dead", "suspended", "normal"};
    lua_State *co = getco(L);
    int status = auxstatus(L, co);
    if (status != COS_DEAD && status != COS_YIELD) return luaL_error(L, "cannot close a %s coroutine", names[status]);
    if (reset_thread(L, co) == LUA_OK) {
        lua_pushboolean(L, 1);
        return 1;
    }
    lua_pushboolean(L, 0);
    lua_xmove(co, L, 1);
    return 2;
}

void sw_wrap_coroutines(lua_State *L, int co) {
    lua_pushcfunction(L, sb_resume);
    lua_setfield(L, co, "resume");
    lua_pushcfunction(L, sb_wrap);
    lua_setfield(L, co, "wrap");
    lua_pushcfunction(L, sb_close);
    lua_setfield(L, co, "close");
}
