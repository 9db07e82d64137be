#ifndef SEGWORK_CLUA_SHIM_H
#define SEGWORK_CLUA_SHIM_H
/* Lua 5.4's headers, for CLuaSupport (C) and LuaHost (Swift).
 *
 * Swift code must never call a Lua function that can raise (longjmp through Swift frames is undefined
 * behaviour): every such call lives in CLuaSupport, behind a protected call. LuaHost uses only the
 * non-raising functions of the C API directly (lua_gettop, lua_type, lua_toboolean, …). That is why this header
 * offers no inline wrappers for Lua's macros: the ones it used to offer (lua_pcall, lua_tostring, lua_getglobal
 * and others, some of which can raise) were unused and an invitation to call them from Swift. */
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#endif
