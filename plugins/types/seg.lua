---@meta seg
-- Editor definitions (lua-language-server) for the Segwork plugin sandbox: the `seg` host API, `require`, and
-- the globals the sandbox keeps. Definitions only: Segwork never runs this file, and the plugin catalog skips
-- the `types/` folder. A test (PluginTypeDefinitionTests) fails when this file and the sandbox disagree.
-- The .luarc.json Segwork writes turns off LuaLS's own `basic`, `os`, `io`, `debug` and `package` libraries,
-- so what is declared here is exactly what a plugin can call.

---The host API of the Segwork sandbox.
---@class seglib
seg = {}

---The host's API level (`1`). Plugins declare the level they target with `api = 1`.
---@type integer
seg.api = 1

---Writes the arguments (through `tostring`), joined by spaces, to the run log as `[plugin] message`.
---@param ... any
function seg.log(...) end

---Splits `s` on the plain (not pattern) separator `sep`; keeps empty fields.
---`seg.split("a||b", "|")` → `{ "a", "", "b" }`.
---@param s string
---@param sep string must not be empty
---@return string[]
function seg.split(s, sep) end

---`s` without leading and trailing ASCII white space (spaces, tabs, `\r`, `\n`, `\f`, `\v`).
---@param s string
---@return string
function seg.trim(s) end

---Loads `name.lua` from the library folders (`plugins/lib`; dots become slashes; letters, digits, `_` and single
---dots only), as text, in the same sandbox. The result is cached per plugin.
---@param name string
---@return any
function require(name) end

---Same as `seg.log`: writes to the run log, never to standard output.
---@param ... any
function print(...) end

---The sandbox itself.
---@type table
_G = {}

---`"Lua 5.4"`.
---@type string
_VERSION = "Lua 5.4"

---@param v any
---@param message? any
---@return any
function assert(v, message, ...) end

---@param message any
---@param level? integer
function error(message, level) end

---@generic V
---@param t V[]
---@return fun(t: V[], i: integer): integer, V
---@return V[]
---@return integer
function ipairs(t) end

---@generic K, V
---@param t table<K, V>
---@param index? K
---@return K?
---@return V?
function next(t, index) end

---@generic K, V
---@param t table<K, V>
---@return fun(t: table<K, V>, k?: K): K, V
---@return table<K, V>
---@return nil
function pairs(t) end

---@param f function
---@return boolean success
---@return any ...
function pcall(f, ...) end

---@param f function
---@param msgh function
---@return boolean success
---@return any ...
function xpcall(f, msgh, ...) end

---@param a any
---@param b any
---@return boolean
function rawequal(a, b) end

---@param t table
---@param k any
---@return any
function rawget(t, k) end

---@param t table
---@param k any
---@param v any
---@return table
function rawset(t, k, v) end

---@param v table|string
---@return integer
function rawlen(v) end

---@param index integer|"#"
---@return any
function select(index, ...) end

---@param e any
---@param base? integer
---@return number?
function tonumber(e, base) end

---@param v any
---@return string
function tostring(v) end

---@param v any
---@return "nil"|"number"|"string"|"boolean"|"table"|"function"|"thread"|"userdata"
function type(v) end

---@param object any
---@return table?
function getmetatable(object) end

---Sets a table's metatable. A metatable with a `__gc` field is refused (finalizers would run outside the
---instruction budget).
---@generic T: table
---@param t T
---@param mt? table
---@return T
function setmetatable(t, mt) end

---Loads a text chunk (binary chunks are refused). The environment defaults to the sandbox.
---@param chunk string|function
---@param chunkname? string
---@param mode? "t"
---@param env? table
---@return function?
---@return string? error_message
function load(chunk, chunkname, mode, env) end

---The sandbox's `os`: only `time`, `date` and `clock`. Plugin time is UTC whatever the machine's time zone.
---@class segos
os = {}

---Seconds since the epoch; with a table, reads it as a UTC date and time (missing `hour` is 12).
---@param t? segosdate
---@return integer
function os.time(t) end

---Formats a time, always in UTC (as if the format started with `!`); `"*t"` returns a table.
---@param format? string
---@param time? integer
---@return string|segosdate
function os.date(format, time) end

---CPU time used by the plugin's process, in seconds.
---@return number
function os.clock() end

---A date and time as `os.date("*t")` returns it and `os.time(t)` reads it (UTC; `isdst` is always false).
---@class segosdate
---@field year integer
---@field month integer 1-12
---@field day integer 1-31
---@field hour? integer 0-23 (12 when missing)
---@field min? integer 0-59
---@field sec? integer 0-61
---@field wday? integer weekday, 1 = Sunday
---@field yday? integer day of the year, 1-366
---@field isdst? boolean

---Absent in the sandbox: binary chunks are refused.
---@deprecated
function string.dump() end
