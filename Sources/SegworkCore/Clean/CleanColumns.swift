import Foundation
import SegworkData

/// `standardise`: the text operations and date formats of a step work on a text column's dictionary, each distinct
/// value once (spread over the cores), and then only codes move per row: a column of 10 M rows with 30 distinct
/// values costs 30 transformations and one pass over 10 M integers. The result is the column a value-by-value
/// rebuild gives: its dictionary holds the new values in order of first appearance among the rows.
extension Cleaner {
    mutating func standardise(_ s: StandardiseSpec, _ step: CleanStep, _ r: inout CleanStepReport) throws {
        let c = table[s.column]!
        var ops: [String] = []
        if s.trim { ops.append("trim") }
        if s.collapseWhitespace { ops.append("collapse whitespace") }
        if let t = s.textCase { ops.append("\(t.rawValue) case") }
        if !s.map.isEmpty { ops.append("map \(s.map.count) \(s.map.count == 1 ? "value" : "values")") }
        var column = c
        if !ops.isEmpty {
            guard case .string(let codes, let dictionary) = c.storage else {
                throw error(step, "changes the text of '\(s.column)', \(c.type.withArticle) column; text operations need a text column (set its type to string in the schema)")
            }
            let out = Self.transformAll(dictionary, s)
            let (remapped, changed) = Self.remap(codes, validity: c.validity, from: dictionary, to: out)
            column = Column(name: s.column, storage: remapped.storage, validity: remapped.validity)
            r.valuesChanged = changed
        }
        var description = "standardise \(s.column): " + ops.joined(separator: ", ")
        if !s.dates.isEmpty {
            let formats = s.dates.joined(separator: ", ")
            if column.type == .date {
                description += (ops.isEmpty ? "" : "; ") + "already dates, formats \(formats) not needed"
            } else {
                // Formats were checked when the definition was read; compile them once, not per value.
                let compiled = s.dates.compactMap { try? DateFormat($0) }
                let (dates, parsed, unparsed) = Self.parseDates(column, compiled)
                column = dates
                r.valuesChanged += unparsed
                description += (ops.isEmpty ? "" : "; ")
                    + "parse dates (\(formats)): \(parsed) parsed, \(unparsed) matched no format and became missing"
            }
        }
        r.description = description
        try table.set(column)
    }

    /// What `rejects.csv` and messages show instead of a value of a `pii: true` column.
    static let withheld = "(withheld: pii)"

    /// One value through trim, collapse, case and map; nil when nothing is left. `whitespace` is the compiled
    /// `\s+` (one per thread: see `transformAll`). A `map` key matches a value with the same bytes (a composed "é"
    /// does not match a key written "e" + U+0301), as dedupe compares texts.
    static func transform(_ value: String, _ s: StandardiseSpec, whitespace: NSRegularExpression? = nil) -> String? {
        var v = ASCIIText.transform(value, s) ?? unicodeTransform(value, s, whitespace: whitespace)
        if let i = s.map.index(forKey: v), s.map[i].key.utf8.elementsEqual(v.utf8) { v = s.map[i].value }
        return v.isEmpty ? nil : v
    }

    /// Trim, collapse and case through Foundation and ICU (any text).
    static func unicodeTransform(_ value: String, _ s: StandardiseSpec, whitespace: NSRegularExpression?) -> String {
        var v = value
        if s.trim { v = v.trimmingCharacters(in: .whitespacesAndNewlines) }
        if s.collapseWhitespace {
            // The same as replacingOccurrences(of: "\\s+", with: " ", options: .regularExpression), compiled once.
            let regex = whitespace ?? Self.whitespaceRun()
            v = regex.stringByReplacingMatches(in: v, range: NSRange(v.startIndex..., in: v), withTemplate: " ")
        }
        switch s.textCase {
        case .upper?: v = v.uppercased()
        case .lower?: v = v.lowercased()
        case nil: break
        }
        return v
    }

    /// A run of whitespace, as ICU defines `\s`.
    static func whitespaceRun() -> NSRegularExpression { try! NSRegularExpression(pattern: "\\s+") }

    /// `transform` of every dictionary entry, in blocks on every core (each block compiles its own regex).
    static func transformAll(_ dictionary: [String], _ s: StandardiseSpec) -> [String?] {
        var out = [String?](repeating: nil, count: dictionary.count)
        let block = 4096
        out.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let base = buffer.baseAddress!  // each block writes its own entries
            DispatchQueue.concurrentPerform(iterations: (dictionary.count + block - 1) / block) { b in
                let whitespace = s.collapseWhitespace ? whitespaceRun() : nil
                for k in (b * block)..<min(dictionary.count, (b + 1) * block) {
                    base[k] = transform(dictionary[k], s, whitespace: whitespace)
                }
            }
        }
        return out
    }

    /// The codes of a text column re-pointed at the transformed values (`out[k]` replaces entry `k`; nil makes the
    /// value missing), with new values of the same bytes merged and the dictionary in order of first appearance among
    /// the rows; and how many present values changed (their bytes). Texts compare by bytes, as dedupe compares them:
    /// canonically equivalent spellings (a composed and a decomposed "é") stay apart and are never rewritten.
    static func remap(_ codes: [Int32], validity: Bitmap?, from dictionary: [String],
                      to out: [String?]) -> (column: Column, changed: Int) {
        let unseen: Int32 = -2, gone: Int32 = -1
        var target = [Int32](repeating: unseen, count: dictionary.count)
        let differs = (0..<dictionary.count).map { k in out[k].map { !$0.utf8.elementsEqual(dictionary[k].utf8) } ?? true }
        var index = ByteDictionary(keepStrings: false)  // new value's bytes → its code in newDictionary
        var newDictionary: [String] = []
        var newCodes = [Int32](repeating: 0, count: codes.count)
        var valid = Bitmap(count: codes.count, allSet: false)
        var changed = 0
        for i in 0..<codes.count {
            if let validity, !validity[i] { continue }
            let old = Int(codes[i])
            var t = target[old]
            if t == unseen {
                if let value = out[old] {
                    t = value.withUTF8Bytes { index.code(for: $0) }
                    if Int(t) == newDictionary.count { newDictionary.append(value) }
                } else {
                    t = gone
                }
                target[old] = t
            }
            if differs[old] { changed += 1 }
            if t >= 0 { newCodes[i] = t; valid[i] = true }
        }
        return (Column(name: "", storage: .string(codes: newCodes, dictionary: newDictionary), validity: valid), changed)
    }

    /// The column parsed into dates with the first format that matches: each distinct text once for a text column,
    /// each value for others. Values that match no format become missing.
    static func parseDates(_ column: Column, _ formats: [DateFormat]) -> (column: Column, parsed: Int, unparsed: Int) {
        var days = [Int32](repeating: 0, count: column.count)
        var valid = Bitmap(count: column.count, allSet: false)
        var parsed = 0, unparsed = 0
        if case .string(let codes, let dictionary) = column.storage {
            // Per dictionary entry: 0 not parsed yet, 1 a date (in `entryDays`), 2 no format matched.
            var state = [UInt8](repeating: 0, count: dictionary.count)
            var entryDays = [Int32](repeating: 0, count: dictionary.count)
            for i in 0..<column.count where column.isValid(i) {
                let k = Int(codes[i])
                if state[k] == 0 {
                    if let d = dictionary[k].withUTF8Bytes({ DateFormat.days($0, in: formats) }) {
                        state[k] = 1; entryDays[k] = d
                    } else {
                        state[k] = 2
                    }
                }
                if state[k] == 1 { days[i] = entryDays[k]; valid[i] = true; parsed += 1 } else { unparsed += 1 }
            }
        } else {
            for i in 0..<column.count {
                guard let text = column.string(at: i) else { continue }
                if let d = text.withUTF8Bytes({ DateFormat.days($0, in: formats) }) {
                    days[i] = d; valid[i] = true; parsed += 1
                } else {
                    unparsed += 1
                }
            }
        }
        return (Column(name: column.name, storage: .date(days), validity: valid), parsed, unparsed)
    }
}

/// Trim, collapse and case for text that is all ASCII (most ids, emails, codes and categories), on bytes: the same
/// result as the Foundation and ICU path (`unicodeTransform`), whose character classes it takes from Foundation and
/// ICU themselves when first used, at a fraction of the cost.
enum ASCIIText {
    /// The ASCII bytes `trimmingCharacters(in: .whitespacesAndNewlines)` removes.
    static let trimmed: [Bool] = (0..<128).map { CharacterSet.whitespacesAndNewlines.contains(Unicode.Scalar(UInt8($0))) }
    /// The ASCII bytes ICU's `\s` matches.
    static let space: [Bool] = {
        let regex = Cleaner.whitespaceRun()
        return (0..<128).map { c in
            let text = String(Unicode.Scalar(UInt8(c)))
            return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        }
    }()

    /// The value trimmed, collapsed and cased as `s` says; nil when the value is not all ASCII.
    static func transform(_ value: String, _ s: StandardiseSpec) -> String? {
        var value = value
        return value.withUTF8 { bytes -> String? in
            guard !bytes.contains(where: { $0 >= 0x80 }) else { return nil }
            var lo = 0, hi = bytes.count
            if s.trim {
                while lo < hi, trimmed[Int(bytes[lo])] { lo += 1 }
                while hi > lo, trimmed[Int(bytes[hi - 1])] { hi -= 1 }
            }
            var out = [UInt8]()
            out.reserveCapacity(hi - lo)
            var i = lo
            while i < hi {
                var b = bytes[i]
                if s.collapseWhitespace, space[Int(b)] {
                    while i + 1 < hi, space[Int(bytes[i + 1])] { i += 1 }
                    b = 0x20
                }
                switch s.textCase {
                case .upper? where b >= 0x61 && b <= 0x7A: b -= 0x20
                case .lower? where b >= 0x41 && b <= 0x5A: b += 0x20
                default: break
                }
                out.append(b)
                i += 1
            }
            return String(decoding: out, as: UTF8.self)
        }
    }
}
