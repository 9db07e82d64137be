import CLua
import CLuaSupport

/// A Lua value read out of a plugin's state as plain Swift data (functions and other non-data values
/// are only named). Read with `LuaValueReader`, which uses only Lua API calls that cannot raise.
indirect enum LuaValue {
    case `nil`
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    /// A string whose bytes are not valid UTF-8, shown for messages (quoted, bad bytes as `\xHH`).
    /// It is never decoded: replacing bad bytes would make different strings equal.
    case invalidString(shown: String)
    /// A table's entries, in no particular order.
    case table([(key: LuaValue, value: LuaValue)])
    case function
    /// A table that contains itself.
    case cycle
    /// Any other type (userdata, thread), or a table nested too deeply.
    case other(String)

    /// Lua's name for the value's type.
    var typeName: String {
        switch self {
        case .nil: return "nil"
        case .bool: return "boolean"
        case .int, .double: return "number"
        case .string, .invalidString: return "string"
        case .table, .cycle: return "table"
        case .function: return "function"
        case .other(let name): return name
        }
    }

    /// The string, when this is a string.
    var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The entries keyed by string when every key is a string (an empty table qualifies).
    var stringKeyed: [String: LuaValue]? {
        guard case .table(let entries) = self else { return nil }
        var out: [String: LuaValue] = [:]
        for (key, value) in entries {
            guard case .string(let k) = key else { return nil }
            out[k] = value
        }
        return out
    }

    /// The elements when the keys are exactly 1…n (an empty table qualifies).
    var sequence: [LuaValue]? {
        guard case .table(let entries) = self else { return nil }
        var out = [LuaValue?](repeating: nil, count: entries.count)
        for (key, value) in entries {
            guard case .int(let i) = key, i >= 1, i <= Int64(entries.count) else { return nil }
            out[Int(i) - 1] = value
        }
        return out.map { $0 ?? .nil }
    }
}

/// Walks Lua values on the stack without running any Lua code and without calling any API function
/// that can raise (`lua_next` on keys it produced, `lua_rawgeti`, `lua_type`, `lua_to*` on values of
/// the matching type). Safe to use from Swift.
struct LuaValueReader {
    let state: OpaquePointer
    private var open: [UnsafeRawPointer] = []
    private let maxDepth = 100

    init(state: OpaquePointer) { self.state = state }

    /// Reads the value at `index` (any valid stack index).
    mutating func read(at index: Int32) -> LuaValue {
        read(at: lua_absindex(state, index), depth: 0)
    }

    private mutating func read(at index: Int32, depth: Int) -> LuaValue {
        switch lua_type(state, index) {
        case LUA_TNIL, LUA_TNONE:
            return .nil
        case LUA_TBOOLEAN:
            return .bool(lua_toboolean(state, index) != 0)
        case LUA_TNUMBER:
            if lua_isinteger(state, index) != 0 { return .int(Int64(lua_tointegerx(state, index, nil))) }
            return .double(Double(lua_tonumberx(state, index, nil)))
        case LUA_TSTRING:
            return Self.checkedString(state, at: index)
        case LUA_TTABLE:
            return readTable(at: index, depth: depth)
        case LUA_TFUNCTION:
            return .function
        default:
            return .other(String(cString: lua_typename(state, lua_type(state, index))))
        }
    }

    private mutating func readTable(at index: Int32, depth: Int) -> LuaValue {
        guard let identity = lua_topointer(state, index) else { return .other("table") }
        if open.contains(identity) { return .cycle }
        guard depth < maxDepth, lua_checkstack(state, 3) != 0 else { return .other("table nested too deeply") }
        open.append(identity)
        defer { open.removeLast() }
        var entries: [(key: LuaValue, value: LuaValue)] = []
        let top = lua_gettop(state)
        lua_pushnil(state)
        while lua_next(state, index) != 0 {
            let key = read(at: top + 1, depth: depth + 1)
            let value = read(at: top + 2, depth: depth + 1)
            entries.append((key, value))
            lua_settop(state, top + 1)
        }
        lua_settop(state, top)
        return .table(entries)
    }

    /// The string at `index` (which must hold a string): `.string` when its bytes are valid UTF-8,
    /// `.invalidString` otherwise.
    static func checkedString(_ state: OpaquePointer, at index: Int32) -> LuaValue {
        var length = 0
        guard let bytes = lua_tolstring(state, index, &length) else { return .string("") }
        guard sw_utf8_valid(bytes, length) == 0 else {
            return .string(String(decoding: UnsafeRawBufferPointer(start: bytes, count: length), as: UTF8.self))
        }
        var shown = [CChar](repeating: 0, count: Int(SW_SHOW_BYTES_MAX))
        sw_show_bytes(bytes, length, &shown)
        return .invalidString(shown: String(cString: shown))
    }

    /// The bytes of the string at `index` (which must hold a string) decoded as UTF-8 (for strings the
    /// host has already checked, such as interned labels).
    static func string(_ state: OpaquePointer, at index: Int32) -> String {
        var length = 0
        guard let bytes = lua_tolstring(state, index, &length) else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: bytes, count: length), as: UTF8.self)
    }
}
