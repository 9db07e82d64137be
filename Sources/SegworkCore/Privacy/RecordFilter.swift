import Foundation
import SegworkData

/// Removes whole records from delimited text (CSV, TSV, `membership.csv`, `rejects.csv`) and JSON Lines while
/// copying every other byte unchanged — the header, the kept records, their quoting and line ends, blank lines, a
/// UTF-8 byte-order mark. Used by erasure (`seg forget`) to take customers out of snapshots, stored memberships
/// and exports.
///
/// Records are split the way `DataReader` reads them: RFC 4180 quoting (a field that starts with `"` runs to
/// the matching `"`, `""` inside is a quote, quoted line breaks stay in the record), and LF, CRLF or a lone CR
/// end a record. Lines are counted as the reader counts them (physical lines from 1, the header on line 1).
package enum RecordFilter {
    /// A record that was removed.
    public struct Removed: Sendable, Equatable {
        /// What the match function returned for it (e.g. the index of the id that matched).
        public var key: Int
        /// The physical line where the record starts.
        public var line: Int
        /// How many physical lines it spans (more than 1 when a quoted field holds line breaks).
        public var lineCount: Int
    }

    /// The result: the bytes without the removed records, and what was removed, in file order.
    public struct Result: Sendable {
        /// The kept bytes.
        public var data: Data
        /// The removed records.
        public var removed: [Removed]
    }

    private static let quote = UInt8(ascii: "\""), lf: UInt8 = 10, cr: UInt8 = 13

    /// The fields of one record, read on demand (a record's fields are located once, and only the fields asked
    /// for are copied and unquoted).
    public struct Fields {
        let bytes: [UInt8]
        /// Per field: start, end (the content without quotes) and whether it was quoted.
        var spans: [(start: Int, end: Int, quoted: Bool)] = []

        /// How many fields the record has.
        public var count: Int { spans.count }

        /// Field `i`: unquoted text as is, quoted text without its quotes and with `""` made `"`.
        public subscript(i: Int) -> [UInt8] {
            let s = spans[i]
            guard s.quoted else { return Array(bytes[s.start..<s.end]) }
            var out: [UInt8] = []
            out.reserveCapacity(s.end - s.start)
            var j = s.start
            while j < s.end {
                out.append(bytes[j])
                j += bytes[j] == RecordFilter.quote && j + 1 < s.end && bytes[j + 1] == RecordFilter.quote ? 2 : 1
            }
            return out
        }

        /// The first field, nil for none.
        public var first: [UInt8]? { spans.isEmpty ? nil : self[0] }

        /// Whether any field satisfies `predicate`.
        public func contains(where predicate: ([UInt8]) -> Bool) -> Bool {
            spans.indices.contains { predicate(self[$0]) }
        }
    }

    /// Filters delimited text. `match(header, fields)` is called for every non-blank record after the header; a
    /// non-nil result removes the record. Nothing is removed from a text without a header. When nothing is removed,
    /// `data` is returned as it is. `columns` names the columns of a file without a header line (every record is
    /// then a record).
    public static func delimited(_ data: Data, delimiter: UInt8, columns: [String]? = nil,
                                 match: (_ header: [String], _ fields: Fields) -> Int?) -> Result {
        let bytes = [UInt8](data)
        let n = bytes.count
        var out: [UInt8] = []
        var kept = 0   // bytes[kept..<start of the current record] are still to be copied
        var removed: [Removed] = []
        var i = n >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
        var line = 1
        var header: [String]? = columns
        var fields = Fields(bytes: bytes)
        while i < n {
            let start = i, startLine = line
            fields.spans.removeAll(keepingCapacity: true)
            var fieldStart = i, quotedEnd = -1
            var contentEnd = n
            while i < n {
                let b = bytes[i]
                if b == quote, i == fieldStart {
                    // A quoted field: to the closing quote (a doubled quote stays inside).
                    i += 1
                    while i < n {
                        let c = bytes[i]
                        if c == quote {
                            if i + 1 < n, bytes[i + 1] == quote { i += 2; continue }
                            break
                        }
                        if c == lf || (c == cr && !(i + 1 < n && bytes[i + 1] == lf)) { line += 1 }
                        i += 1
                    }
                    quotedEnd = i
                    if i < n { i += 1 }
                    continue
                }
                if b == delimiter || b == lf || b == cr {
                    fields.spans.append(quotedEnd >= 0 ? (fieldStart + 1, quotedEnd, true) : (fieldStart, i, false))
                    if b == delimiter { i += 1; fieldStart = i; quotedEnd = -1; continue }
                    contentEnd = i
                    i += (b == cr && i + 1 < n && bytes[i + 1] == lf) ? 2 : 1
                    line += 1
                    break
                }
                i += 1
            }
            if contentEnd == n {   // the last record, without a line end
                fields.spans.append(quotedEnd >= 0 ? (fieldStart + 1, quotedEnd, true) : (fieldStart, n, false))
            }
            if contentEnd == start { continue }   // a blank line, kept
            guard let names = header else {
                header = fields.spans.indices.map { String(decoding: fields[$0], as: UTF8.self) }
                continue
            }
            if let key = match(names, fields) {
                removed.append(Removed(key: key, line: startLine, lineCount: max(1, line - startLine)))
                out += bytes[kept..<start]
                kept = i
            }
        }
        if removed.isEmpty { return Result(data: data, removed: []) }
        out += bytes[kept..<n]
        return Result(data: Data(out), removed: removed)
    }

    /// Filters JSON Lines the way `DataReader` reads them: a record is one line ending at LF (a CR before it, like
    /// any whitespace around the object, belongs to the record), a leading UTF-8 byte-order mark is not part of the
    /// first record (and is kept). `match(fields)` is called with every line the reader accepts as a record, its
    /// top-level values as the reader's text (`JSONLinesParser.fieldTexts`: strings unescaped, numbers and booleans
    /// as written, so `1e2`, `-0` and `12.50` stay exactly that); a non-nil result removes the line with its line
    /// end. Other lines are kept. Lines are counted as the reader counts them (from 1, at each LF).
    public static func jsonLines(_ data: Data, match: (_ fields: [String: [UInt8]]) -> Int?) -> Result {
        let bytes = [UInt8](data)
        let n = bytes.count
        var out: [UInt8] = []
        out.reserveCapacity(n)
        var removed: [Removed] = []
        var i = 0, line = 1
        if n >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { out += bytes[0..<3]; i = 3 }
        while i < n {
            let start = i
            var end = i
            while end < n, bytes[end] != lf { end += 1 }
            let next = end < n ? end + 1 : end
            let fields = end > start
                ? bytes.withUnsafeBufferPointer { JSONLinesParser.fieldTexts(UnsafeBufferPointer(rebasing: $0[start..<end])) }
                : nil
            if let fields, let key = match(fields) {
                removed.append(Removed(key: key, line: line, lineCount: 1))
            } else {
                out += bytes[start..<next]
            }
            i = next
            line += 1
        }
        if removed.isEmpty { return Result(data: data, removed: []) }
        return Result(data: Data(out), removed: removed)
    }
}
