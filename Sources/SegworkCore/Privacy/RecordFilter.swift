import Foundation

/// Removes whole records from delimited text (CSV, TSV, `membership.csv`, `rejects.csv`) and JSON Lines while
/// copying every other byte unchanged — the header, the kept records, their quoting and line ends, blank lines, a
/// UTF-8 byte-order mark. Used by erasure (`seg forget`) to take customers out of snapshots, stored memberships
/// and exports.
///
/// Records are split the way `DataReader` reads them: RFC 4180 quoting (a field that starts with `"` runs to
/// the matching `"`, `""` inside is a quote, quoted line breaks stay in the record), and LF, CRLF or a lone CR
/// end a record. Lines are counted as the reader counts them (physical lines from 1, the header on line 1).
public enum RecordFilter {
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

    /// Filters delimited text. `match(header, fields)` is called for every non-blank record after the header
    /// (fields unquoted, as bytes); a non-nil result removes the record. Nothing is removed from a text without a
    /// header.
    public static func delimited(_ data: Data, delimiter: UInt8,
                                 match: (_ header: [String], _ fields: [[UInt8]]) -> Int?) -> Result {
        let bytes = [UInt8](data)
        let n = bytes.count
        var out: [UInt8] = []
        out.reserveCapacity(n)
        var removed: [Removed] = []
        var i = 0
        if n >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { out += bytes[0..<3]; i = 3 }
        var line = 1
        var header: [String]?
        while i < n {
            let start = i, startLine = line
            var fields: [[UInt8]] = []
            var field: [UInt8] = []
            var quoted = false
            var contentEnd = n
            while i < n {
                let b = bytes[i]
                if quoted {
                    if b == quote {
                        if i + 1 < n, bytes[i + 1] == quote { field.append(quote); i += 2; continue }
                        quoted = false; i += 1; continue
                    }
                    if b == lf || (b == cr && !(i + 1 < n && bytes[i + 1] == lf)) { line += 1 }
                    field.append(b); i += 1; continue
                }
                if b == quote, field.isEmpty { quoted = true; i += 1; continue }
                if b == delimiter { fields.append(field); field = []; i += 1; continue }
                if b == lf || b == cr {
                    contentEnd = i
                    i += (b == cr && i + 1 < n && bytes[i + 1] == lf) ? 2 : 1
                    line += 1
                    break
                }
                field.append(b); i += 1
            }
            fields.append(field)
            let blank = contentEnd == start
            if blank { out += bytes[start..<i]; continue }
            guard let names = header else {
                header = fields.map { String(decoding: $0, as: UTF8.self) }
                out += bytes[start..<i]
                continue
            }
            if let key = match(names, fields) {
                removed.append(Removed(key: key, line: startLine, lineCount: max(1, line - startLine)))
            } else {
                out += bytes[start..<i]
            }
        }
        return Result(data: Data(out), removed: removed)
    }

    /// Filters JSON Lines: `match(object)` is called with every line that parses as a JSON object (values as
    /// `JSONSerialization` gives them); a non-nil result removes the line with its line end. Other lines are kept.
    public static func jsonLines(_ data: Data, match: (_ object: [String: Any]) -> Int?) -> Result {
        let bytes = [UInt8](data)
        let n = bytes.count
        var out: [UInt8] = []
        out.reserveCapacity(n)
        var removed: [Removed] = []
        var i = 0, line = 1
        while i < n {
            let start = i
            var end = i
            while end < n, bytes[end] != lf, bytes[end] != cr { end += 1 }
            var next = end
            if next < n { next += (bytes[next] == cr && next + 1 < n && bytes[next + 1] == lf) ? 2 : 1 }
            let object = end > start
                ? (try? JSONSerialization.jsonObject(with: Data(bytes[start..<end]), options: [.fragmentsAllowed])) as? [String: Any]
                : nil
            if let object, let key = match(object) {
                removed.append(Removed(key: key, line: line, lineCount: 1))
            } else {
                out += bytes[start..<next]
            }
            i = next
            line += 1
        }
        return Result(data: Data(out), removed: removed)
    }

    /// The text of a JSON Lines value for comparison with an id: a string as is, a number in its plain form
    /// (`123`, `1.5`), anything else nil.
    public static func jsonText(_ value: Any?) -> [UInt8]? {
        if let s = value as? String { return Array(s.utf8) }
        if let n = value as? NSNumber { return Array(n.stringValue.utf8) }
        return nil
    }
}
