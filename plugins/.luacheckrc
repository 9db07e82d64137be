-- luacheck configuration for Segwork plugins: the globals the plugin sandbox provides (docs/PLUGINS.md, "Sandbox";
-- Sources/CLuaSupport/sandbox.c). `seg plugins lint` passes this same configuration to luacheck; a test keeps the
-- two identical. Anything else (io, debug, package, os.execute, ...) is absent in the sandbox and flagged as an
-- undefined variable or field.
std = "segwork"
stds.segwork = {
  read_globals = {
    "assert", "error", "ipairs", "next", "pairs", "pcall", "xpcall", "rawequal", "rawget", "rawlen", "rawset",
    "select", "tonumber", "tostring", "type", "getmetatable", "setmetatable", "load", "print", "require",
    "_VERSION", "_G",
    string = { fields = { "byte", "char", "find", "format", "gmatch", "gsub", "len", "lower", "match", "pack",
                          "packsize", "rep", "reverse", "sub", "unpack", "upper" } },
    table = { fields = { "concat", "insert", "move", "pack", "remove", "sort", "unpack" } },
    math = { fields = { "abs", "acos", "asin", "atan", "ceil", "cos", "deg", "exp", "floor", "fmod", "huge", "log",
                        "max", "maxinteger", "min", "mininteger", "modf", "pi", "rad", "random", "randomseed", "sin",
                        "sqrt", "tan", "tointeger", "type", "ult" } },
    utf8 = { fields = { "char", "charpattern", "codepoint", "codes", "len", "offset" } },
    coroutine = { fields = { "close", "create", "isyieldable", "resume", "running", "status", "wrap", "yield" } },
    os = { fields = { "clock", "date", "time" } },
    seg = { fields = { "api", "log", "split", "trim" } },
  },
}
-- W581 ('not (x > y)' can be replaced by 'x <= y'): plugins write 'not (x > y)' on purpose, so that NaN fails a check.
ignore = { "581" }
max_line_length = 120
