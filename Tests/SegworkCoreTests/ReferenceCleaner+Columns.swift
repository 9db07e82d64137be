import Foundation
@testable import SegworkCore
@testable import SegworkData

/// THE ORACLE, NOT PRODUCTION CODE: `standardise` and `validate` as at commit 1882b86 (CleanColumns.swift there),
/// kept for CleanerOracleTests, with one deliberate change since (as in ReferenceCleaner's dedupe): texts compare by
/// their UTF-8 bytes, so `standardise` neither merges canonically equivalent spellings nor matches a `map` key to one,
/// and counts a value changed when its bytes change. See ReferenceCleaner.
extension ReferenceCleaner {
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
            let out = dictionary.map { Self.transform($0, s) }
            var builder = ReferenceTextColumnBuilder()
            var changed = 0
            for i in 0..<codes.count {
                guard c.isValid(i) else { builder.append(nil); continue }
                let old = Int(codes[i])
                if out[old].map({ !$0.utf8.elementsEqual(dictionary[old].utf8) }) ?? true { changed += 1 }
                builder.append(out[old])
            }
            column = builder.column(s.column)
            r.valuesChanged = changed
        }
        var description = "standardise \(s.column): " + ops.joined(separator: ", ")
        if !s.dates.isEmpty {
            let formats = s.dates.joined(separator: ", ")
            if column.type == .date {
                description += (ops.isEmpty ? "" : "; ") + "already dates, formats \(formats) not needed"
            } else {
                var days = [Int32](repeating: 0, count: column.count)
                var valid = Bitmap(count: column.count, allSet: false)
                var parsed = 0, unparsed = 0
                let compiled = s.dates.compactMap { try? DateFormat($0) }
                for i in 0..<column.count {
                    guard let text = column.string(at: i) else { continue }
                    if let d = text.withUTF8Bytes({ DateFormat.days($0, in: compiled) }) {
                        days[i] = d; valid[i] = true; parsed += 1
                    } else {
                        unparsed += 1
                    }
                }
                column = Column(name: s.column, storage: .date(days), validity: valid)
                r.valuesChanged += unparsed
                description += (ops.isEmpty ? "" : "; ")
                    + "parse dates (\(formats)): \(parsed) parsed, \(unparsed) matched no format and became missing"
            }
        }
        r.description = description
        try table.set(column)
    }

    static let withheld = "(withheld: pii)"

    static func transform(_ value: String, _ s: StandardiseSpec) -> String? {
        var v = value
        if s.trim { v = v.trimmingCharacters(in: .whitespacesAndNewlines) }
        if s.collapseWhitespace { v = v.replacingOccurrences(of: "\\s+", with: " ", options: .regularExpression) }
        switch s.textCase {
        case .upper?: v = v.uppercased()
        case .lower?: v = v.lowercased()
        case nil: break
        }
        if let i = s.map.index(forKey: v), s.map[i].key.utf8.elementsEqual(v.utf8) { v = s.map[i].value }
        return v.isEmpty ? nil : v
    }

    mutating func validate(_ v: ValidateSpec, _ step: CleanStep, _ r: inout CleanStepReport) throws {
        let c = table[v.column]!
        var rules: [String] = []
        if v.required { rules.append("required") }
        if let range = v.range {
            guard c.isNumeric || c.type == .date else {
                throw error(step, "checks a range on '\(v.column)', \(c.type.withArticle) column; ranges need a number or date column")
            }
            if range.dates != (c.type == .date) {
                throw error(step, "checks '\(v.column)', \(c.type.withArticle) column, against a range of \(range.dates ? "dates" : "numbers"); write the bounds as \(c.type == .date ? "dates YYYY-MM-DD" : "numbers")")
            }
            rules.append("range")
        }
        if v.allowed != nil { rules.append("allowed") }
        let regex = try v.regex.map { try NSRegularExpression(pattern: $0) }
        if regex != nil { rules.append("regex") }
        let allowed = Set(v.allowed ?? [])
        func broken(_ i: Int) throws -> String? {
            guard let text = c.string(at: i) else { return v.required ? "required" : nil }
            if let range = v.range, let x = c.double(at: i), !(range.min...range.max).contains(x) { return "range" }
            if v.allowed != nil, !allowed.contains(text) { return "allowed" }
            if let regex {
                switch Self.fullMatch(regex, text) {
                case .some(true): break
                case .some(false): return "regex"
                case .none:
                    throw DataError(file: origin, line: line(ofRecord: records[i]), column: v.column,
                                    message: "the regex of clean step \(r.step) ran longer than \(Self.regexSeconds) s on record \(records[i] + 1) of dataset '\(dataset)' (catastrophic backtracking, e.g. nested repeats like (a+)+); simplify the pattern")
                }
            }
            return nil
        }
        var kept: [Int32] = []
        for i in 0..<table.rowCount {
            guard let rule = try broken(i) else { kept.append(Int32(i)); continue }
            let value = pii.contains(v.column) ? Self.withheld : c.string(at: i) ?? ""
            if v.onError == .stop {
                throw DataError(file: origin, line: line(ofRecord: records[i]), column: v.column,
                                message: "record \(records[i] + 1) of dataset '\(dataset)' breaks validate rule '\(rule)' with value '\(value)' (clean step \(r.step)); fix the value, or drop 'on_error: stop' to send failing rows to rejects.csv")
            }
            rejects.append(CleaningReject(dataset: dataset, line: line(ofRecord: records[i]), column: v.column, rule: rule, value: value))
        }
        r.rejects = table.rowCount - kept.count
        r.description = "validate \(v.column): \(rules.joined(separator: ", "))" + (v.onError == .stop ? ", stop on error" : "")
        try keep(kept)
    }

    static let regexSeconds = 0.25

    static func fullMatch(_ regex: NSRegularExpression, _ text: String) -> Bool? {
        let whole = NSRange(text.startIndex..., in: text)
        let start = Date()
        var result: Bool? = false
        regex.enumerateMatches(in: text, options: [.anchored, .reportProgress], range: whole) { m, _, stop in
            if let m {
                result = m.range == whole
                stop.pointee = true
            } else if Date().timeIntervalSince(start) > regexSeconds {
                result = nil
                stop.pointee = true
            }
        }
        return result
    }
}

/// 1882b86's `TextColumnBuilder`: distinct values in order of first appearance, looked up with Swift string equality
/// (so a value canonically equal to an earlier one takes the earlier one's spelling).
struct ReferenceTextColumnBuilder {
    private var codes: [Int32] = []
    private var dictionary: [String] = []
    private var index: [[UInt8]: Int32] = [:]
    private var valid = Bitmap(count: 0, allSet: false)

    mutating func append(_ value: String?) {
        guard let value else { codes.append(0); valid.append(false); return }
        if let c = index[Array(value.utf8)] { codes.append(c) } else {
            let c = Int32(dictionary.count)
            dictionary.append(value); index[Array(value.utf8)] = c; codes.append(c)
        }
        valid.append(true)
    }

    func column(_ name: String) -> Column {
        Column(name: name, storage: .string(codes: codes, dictionary: dictionary), validity: valid)
    }
}
