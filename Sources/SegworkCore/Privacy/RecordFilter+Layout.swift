import Foundation
import SegworkData

extension RecordFilter {
    /// Filters delimited text laid out as `format` says (a definition's `delimiter:`, `header:`, `columns:`), the way
    /// `DataReader` reads it with those options; `implied` is the delimiter the file's extension gives.
    static func delimited(_ data: Data, format: TextFormat, implied: UInt8,
                          match: (_ header: [String], _ fields: Fields) -> Int?) -> Result {
        let columns = format.header ? nil : format.columns
        switch format.delimiter {
        case .whitespace?: return whitespace(data, columns: columns, match: match)
        case .byte(let d)?: return delimited(data, delimiter: d, columns: columns, match: match)
        case nil:
            let d = format.decimalComma && implied == UInt8(ascii: ",") ? UInt8(ascii: ";") : implied
            return delimited(data, delimiter: d, columns: columns, match: match)
        }
    }

    /// Filters text whose fields are separated by runs of spaces and tabs (no quoting; leading and trailing spaces
    /// and lines of spaces only are not fields), copying every kept byte unchanged. `columns` names the columns of
    /// a file without a header line; else the first non-blank line is the header.
    static func whitespace(_ data: Data, columns: [String]?,
                           match: (_ header: [String], _ fields: Fields) -> Int?) -> Result {
        let bytes = [UInt8](data)
        let n = bytes.count
        let lf: UInt8 = 10, cr: UInt8 = 13, space: UInt8 = 32, tab: UInt8 = 9
        var out: [UInt8] = []
        var kept = 0
        var removed: [Removed] = []
        var i = n >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
        var line = 1
        var header = columns
        var fields = Fields(bytes: bytes)
        while i < n {
            let start = i, startLine = line
            fields.spans.removeAll(keepingCapacity: true)
            while i < n {
                let b = bytes[i]
                if b == space || b == tab { i += 1; continue }
                if b == lf || b == cr {
                    i += (b == cr && i + 1 < n && bytes[i + 1] == lf) ? 2 : 1
                    line += 1
                    break
                }
                let fieldStart = i
                while i < n, bytes[i] != space, bytes[i] != tab, bytes[i] != lf, bytes[i] != cr { i += 1 }
                fields.spans.append((fieldStart, i, false))
            }
            if fields.spans.isEmpty { continue }   // a blank line, kept
            guard let names = header else {
                header = fields.spans.indices.map { String(decoding: fields[$0], as: UTF8.self) }
                continue
            }
            if let key = match(names, fields) {
                removed.append(Removed(key: key, line: startLine, lineCount: 1))
                out += bytes[kept..<start]
                kept = i
            }
        }
        if removed.isEmpty { return Result(data: data, removed: []) }
        out += bytes[kept..<n]
        return Result(data: Data(out), removed: removed)
    }
}
