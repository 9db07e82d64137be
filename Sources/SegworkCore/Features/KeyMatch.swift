import SegworkData
/// Matches the keys of one column to the rows of a unique key column (the population's customer ids): used to
/// attach transactions to customers and to join customer-level datasets.
struct KeyIndex {
    private enum Index {
        case integer([Int64: Int32])
        /// Id bytes → row (ids are unique, so the code of row i's id is i).
        case text(ByteDictionary)
    }
    private let index: Index

    /// Indexes `ids`. Throws when an id is missing or appears twice.
    init(ids: Column, origin: String) throws {
        switch ids.storage {
        case .integer(let v):
            var d = [Int64: Int32](minimumCapacity: v.count)
            for i in 0..<v.count {
                guard ids.isValid(i) else { throw Self.missing(ids.name, origin, i) }
                if let first = d.updateValue(Int32(i), forKey: v[i]) { throw Self.duplicate(String(v[i]), ids.name, origin, Int(first), i) }
            }
            index = .integer(d)
        default:
            var d = ByteDictionary(expected: ids.count, keepStrings: false)
            for i in 0..<ids.count {
                guard let s = ids.string(at: i) else { throw Self.missing(ids.name, origin, i) }
                let code = s.withUTF8Bytes { d.code(for: $0) }
                if Int(code) != i { throw Self.duplicate(s, ids.name, origin, Int(code), i) }
            }
            index = .text(d)
        }
    }

    private static func missing(_ col: String, _ origin: String, _ row: Int) -> DataError {
        DataError(file: origin, line: nil, column: col,
                  message: "record \(row + 1) has no customer id in column '\(col)'; every customer needs one")
    }

    private static func duplicate(_ id: String, _ col: String, _ origin: String, _ first: Int, _ second: Int) -> DataError {
        DataError(file: origin, line: nil, column: col,
                  message: "id '\(id)' appears more than once (records \(first + 1) and \(second + 1)); ids must be unique (remove the duplicate rows)")
    }

    /// For each row of `keys`, the matching row, or -1 when the key is missing or unknown.
    func match(_ keys: Column) -> [Int32] {
        var out = [Int32](repeating: -1, count: keys.count)
        switch (index, keys.storage) {
        case (.integer(let d), .integer(let v)):
            for i in 0..<v.count where keys.isValid(i) { out[i] = d[v[i]] ?? -1 }
        case (.text(let d), .string(let codes, let dict)):
            let map = dict.map { $0.withUTF8Bytes { d.find($0) } ?? -1 }
            for i in 0..<codes.count where keys.isValid(i) { out[i] = map[Int(codes[i])] }
        case (.integer(let d), .string(let codes, let dict)):
            let map = dict.map { Int64($0).flatMap { d[$0] } ?? -1 }
            for i in 0..<codes.count where keys.isValid(i) { out[i] = map[Int(codes[i])] }
        case (.text(let d), _):
            for i in 0..<keys.count { if let s = keys.string(at: i) { out[i] = s.withUTF8Bytes { d.find($0) } ?? -1 } }
        case (.integer(let d), _):
            for i in 0..<keys.count { if let s = keys.string(at: i), let n = Int64(s) { out[i] = d[n] ?? -1 } }
        }
        return out
    }
}
