import CLuaSupport

/// Why a Lua value is not plain data; `path` names where (e.g. `thresholds[2]`).
struct PlainDataProblem: Error {
    var path: String
    var problem: String
}

extension LuaValue {
    /// The value as plain data: nil, booleans, numbers (integers stay integers), strings, arrays (keys
    /// 1…n; an empty table is an empty array) and tables with string keys. Functions, cycles and mixed
    /// keys are refused.
    func plainValue(path: String) throws -> PluginValue {
        switch self {
        case .nil: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .string(let s): return .string(s)
        case .invalidString(let shown):
            throw PlainDataProblem(path: path, problem: "is a string that is not valid UTF-8 (\(shown))")
        case .function: throw PlainDataProblem(path: path, problem: "is a function")
        case .cycle: throw PlainDataProblem(path: path, problem: "is a table that contains itself")
        case .other(let name): throw PlainDataProblem(path: path, problem: "is a \(name)")
        case .table(let entries):
            let badKeys = entries.compactMap { entry -> String? in
                if case .invalidString(let shown) = entry.key { return shown }
                return nil
            }
            if let shown = badKeys.min() {
                throw PlainDataProblem(path: path, problem: "has a key that is not valid UTF-8 (\(shown))")
            }
            if let items = sequence {
                return .array(try items.enumerated().map { try $0.element.plainValue(path: "\(path)[\($0.offset + 1)]") })
            }
            if let fields = stringKeyed {
                var out: [String: PluginValue] = [:]
                for key in fields.keys.sorted() { out[key] = try fields[key]!.plainValue(path: "\(path).\(key)") }
                return .object(out)
            }
            throw PlainDataProblem(path: path, problem: "is a table that mixes keys (use either a list or string keys)")
        }
    }
}

/// Plain data flattened for the C side (`sw_node`s in pre-order plus one string buffer). Object keys
/// are written sorted, so the Lua tables built from them never depend on dictionary order.
struct NodeBuffer {
    private(set) var nodes: [sw_node] = []
    private(set) var bytes: [CChar] = [0]

    private mutating func text(_ s: String) -> (Int64, Int64) {
        let offset = bytes.count
        bytes.append(contentsOf: s.utf8.map { CChar(bitPattern: $0) })
        return (Int64(offset), Int64(bytes.count - offset))
    }

    private mutating func node(_ tag: Int32, key: String?, count: Int64 = 0, base: Int32 = 1, i: Int64 = 0,
                               d: Double = 0, string: String? = nil) {
        let (keyOffset, keyLength) = key.map { text($0) } ?? (0, -1)
        let (stringOffset, stringLength) = string.map { text($0) } ?? (0, 0)
        nodes.append(sw_node(tag: tag, base: base, count: count, i: i, d: d, str_off: stringOffset,
                             str_len: stringLength, key_off: keyOffset, key_len: keyLength))
    }

    /// Appends a value (as an object member when `key` is set).
    mutating func add(_ value: PluginValue, key: String? = nil) {
        switch value {
        case .null: node(Int32(SW_NODE_NIL), key: key)
        case .bool(let b): node(Int32(SW_NODE_BOOL), key: key, i: b ? 1 : 0)
        case .int(let i): node(Int32(SW_NODE_INT), key: key, i: i)
        case .double(let d): node(Int32(SW_NODE_DOUBLE), key: key, d: d)
        case .string(let s): node(Int32(SW_NODE_STRING), key: key, string: s)
        case .array(let items):
            node(Int32(SW_NODE_ARRAY), key: key, count: Int64(items.count))
            for item in items { add(item) }
        case .object(let fields):
            addObject(fields, key: key)
        }
    }

    /// Appends an object with sorted keys.
    mutating func addObject(_ fields: [String: PluginValue], key: String? = nil) {
        node(Int32(SW_NODE_OBJECT), key: key, count: Int64(fields.count))
        for name in fields.keys.sorted() { add(fields[name]!, key: name) }
    }

    /// Appends the statistics table handed to `prepare`: one table per column, as documented on
    /// `ColumnStatistics` (`p` is indexed 0…100).
    mutating func addStatistics(_ stats: [String: ColumnStatistics]) {
        node(Int32(SW_NODE_OBJECT), key: nil, count: Int64(stats.count))
        for column in stats.keys.sorted() {
            let s = stats[column]!
            var fields: [String: PluginValue] = ["count": .int(Int64(s.count)), "missing": .int(Int64(s.missing))]
            if let v = s.min { fields["min"] = .double(v) }
            if let v = s.max { fields["max"] = .double(v) }
            if let v = s.mean { fields["mean"] = .double(v) }
            if let v = s.sum { fields["sum"] = .double(v) }
            if let v = s.distinct { fields["distinct"] = .int(Int64(v)) }
            if let model = s.clusters { fields["clusters"] = model }
            if s.distinct != nil || !s.top.isEmpty {
                fields["top"] = .array(s.top.map { .object(["value": .string($0.value), "count": .int(Int64($0.count))]) })
            }
            let extra = s.percentiles.isEmpty ? 0 : 1
            node(Int32(SW_NODE_OBJECT), key: column, count: Int64(fields.count + extra))
            for name in fields.keys.sorted() { add(fields[name]!, key: name) }
            if extra == 1 {
                node(Int32(SW_NODE_ARRAY), key: "p", count: Int64(s.percentiles.count), base: 0)
                for v in s.percentiles { add(.double(v)) }
            }
        }
    }

    /// Calls `body` with pointers to the nodes and the string buffer.
    func withPointers<R>(_ body: (UnsafePointer<sw_node>?, Int64, UnsafePointer<CChar>?) -> R) -> R {
        nodes.withUnsafeBufferPointer { n in
            bytes.withUnsafeBufferPointer { b in body(n.baseAddress, Int64(n.count), b.baseAddress) }
        }
    }
}
