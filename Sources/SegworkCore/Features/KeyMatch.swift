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

    /// Indexes `ids`. Throws when an id is missing or appears twice, naming the lines when `lines` (the table's
    /// `rowLines`) is given; `pii` withholds the id's value from the message.
    init(ids: Column, origin: String, lines: RowLines? = nil, pii: Bool = false) throws {
        func line(_ row: Int) -> Int? { lines.flatMap { row < $0.count ? $0.line(of: row) : nil } }
        func where_(_ row: Int) -> String { line(row).map { "line \($0)" } ?? "record \(row + 1)" }
        func duplicate(_ id: String, _ first: Int, _ second: Int) -> DataError {
            DataError(file: origin, line: line(second), column: ids.name,
                      message: (pii ? "an id [value withheld (pii column)]" : "id '\(id)'")
                          + " appears more than once (\(where_(first)) and \(where_(second))); ids must be unique "
                          + "(remove the duplicate rows)")
        }
        func missing(_ row: Int) -> DataError {
            DataError(file: origin, line: line(row), column: ids.name,
                      message: (line(row) == nil ? "record \(row + 1)" : "the record") + " has no customer id in "
                          + "column '\(ids.name)'; every customer needs one")
        }
        switch ids.storage {
        case .integer(let v):
            var d = [Int64: Int32](minimumCapacity: v.count)
            for i in 0..<v.count {
                guard ids.isValid(i) else { throw missing(i) }
                if let first = d.updateValue(Int32(i), forKey: v[i]) { throw duplicate(String(v[i]), Int(first), i) }
            }
            index = .integer(d)
        default:
            var d = ByteDictionary(expected: ids.count, keepStrings: false)
            for i in 0..<ids.count {
                guard let s = ids.string(at: i) else { throw missing(i) }
                let code = s.withUTF8Bytes { d.code(for: $0) }
                if Int(code) != i { throw duplicate(s, Int(code), i) }
            }
            index = .text(d)
        }
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
