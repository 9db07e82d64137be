import Foundation
import CLuaSupport

/// One column after a cleaner ran: the values it returned for every row (rows it dropped are missing).
public struct CleanedColumn: Sendable {
    /// The name the plugin saw (`row.<name>`).
    public var name: String
    /// The cleaned values, of the input column's type. For text the dictionary is the input's, followed by
    /// the new strings the plugin returned (in order of first appearance), with no value twice.
    public var values: ColumnInput.Values
    /// Whether each row has a value.
    public var valid: [Bool]
    /// Values of kept rows that differ from the input (a value that became missing, or was filled, counts).
    public var changed: Int
}

/// What a cleaner returned for all rows.
public struct CleanedRows: Sendable {
    /// `keep[i]` is false where `clean` returned nil (the row is dropped).
    public var keep: [Bool]
    /// The cleaned columns, in the order they were given.
    public var columns: [CleanedColumn]
}

extension Plugin {
    /// Calls a cleaner's `clean(row, p)` for each of `rowCount` rows. `row` holds exactly the fields in
    /// `columns` (a missing value is nil); `clean` returns the row (the same table changed in place, or a new
    /// one) or nil to drop it. A key of the returned table must be one of `columns`; a field it leaves out
    /// becomes missing. Each value must fit its column: an integer (a float with a whole value is accepted)
    /// for integer columns, a number for doubles, a boolean for bools, a valid UTF-8 string for text, and for
    /// the columns in `dates` (given as `YYYY-MM-DD` text) a string the caller checks. Anything else throws
    /// `.badReturn` naming the column and the row. Values of the columns in `withheld` (personal data) are never
    /// shown, and when any column is withheld only withheld columns may change: a changed value in another column
    /// throws `.badReturn`, so a personal value cannot be copied into a column that is exported.
    /// Each row's call runs under the instruction budget, memory cap and time limit of one call.
    public func clean(columns: [ColumnInput], rowCount: Int, dates: Set<String> = [],
                      withheld: Set<String> = []) throws -> CleanedRows {
        try requireKind(.cleaner, "clean")
        ColumnBridge.checkLengths(columns, rowCount: rowCount)
        guard let strings = sw_clean_strings_new(Int32(columns.count)) else {
            throw PluginError(plugin: manifest.name, file: shownFile, reason: .runtime("the plugin host is out of memory"))
        }
        defer { sw_clean_strings_free(strings) }
        let n = max(rowCount, 1)
        // Zeroed: the C loop leaves the value of a missing or dropped row as it finds it.
        let outputs: [UnsafeMutableRawPointer] = columns.map { _ in
            let p = UnsafeMutableRawPointer.allocate(byteCount: n * 8, alignment: 8)
            p.initializeMemory(as: UInt8.self, repeating: 0, count: n * 8)
            return p
        }
        let valid: [UnsafeMutablePointer<Bool>] = columns.map { _ in
            let p = UnsafeMutablePointer<Bool>.allocate(capacity: n)
            p.initialize(repeating: false, count: n)
            return p
        }
        defer { outputs.forEach { $0.deallocate() }; valid.forEach { $0.deallocate() } }
        var keep = [Bool](repeating: false, count: rowCount)
        var changed = [Int](repeating: 0, count: columns.count)
        let host = state.host
        let status = ColumnBridge.withDescriptors(columns) { descriptors -> Int32 in
            var cleanColumns = descriptors.enumerated().map { c, d in
                sw_clean_column(in: d, is_date: dates.contains(columns[c].name) ? 1 : 0,
                                withhold: withheld.contains(columns[c].name) ? 1 : 0,
                                out: outputs[c], out_valid: valid[c], changed: 0)
            }
            let status = keep.withUnsafeMutableBufferPointer { k in
                cleanColumns.withUnsafeMutableBufferPointer { cc in
                    sw_run_clean(host, cc.baseAddress, Int32(cc.count), Int64(rowCount), k.baseAddress, strings)
                }
            }
            for c in cleanColumns.indices { changed[c] = Int(cleanColumns[c].changed) }
            return status
        }
        try state.check(status, .clean)
        let cleaned = columns.enumerated().map { c, column in
            CleanedColumn(name: column.name,
                          values: Self.values(of: column, output: outputs[c], rowCount: rowCount, strings: strings,
                                              index: Int32(c)),
                          valid: Array(UnsafeBufferPointer(start: valid[c], count: rowCount)), changed: changed[c])
        }
        return CleanedRows(keep: keep, columns: cleaned)
    }

    private static func values(of column: ColumnInput, output: UnsafeMutableRawPointer, rowCount: Int,
                               strings: OpaquePointer, index: Int32) -> ColumnInput.Values {
        func copy<T>(_ type: T.Type) -> [T] {
            Array(UnsafeBufferPointer(start: output.assumingMemoryBound(to: T.self), count: rowCount))
        }
        switch column.values {
        case .integer: return .integer(copy(Int64.self))
        case .double: return .double(copy(Double.self))
        case .bool: return .bool(copy(Bool.self))
        case .string(_, let dictionary):
            // New strings (codes from dictionary.count on) never equal an input entry: the C loop gives those
            // their input code.
            let codes = copy(Int32.self)
            let added = Int(sw_clean_strings_count(strings, index))
            guard added > 0 else { return .string(codes: codes, dictionary: dictionary) }
            var out = dictionary
            out.reserveCapacity(dictionary.count + added)
            for k in 0..<added {
                var length = 0
                let bytes = sw_clean_string(strings, index, Int64(k), &length)
                out.append(String(decoding: UnsafeRawBufferPointer(start: bytes, count: length), as: UTF8.self))
            }
            return .string(codes: codes, dictionary: out)
        }
    }
}
