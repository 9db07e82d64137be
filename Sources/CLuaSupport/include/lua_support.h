#ifndef SEGWORK_LUA_SUPPORT_H
#define SEGWORK_LUA_SUPPORT_H
/* C side of the Lua host: everything that may raise a Lua error runs here, inside lua_pcall. */
#include <lua.h>
#endif
