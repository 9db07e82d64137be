import Foundation
import SegworkData

/// `validate`: rows breaking a rule go to the rejects and leave the table, or stop the run. Rules are checked in
/// the order required, range, allowed, regex; a row fails on the first it breaks. On a text column, `allowed` and
/// `regex` are decided once per distinct value (spread over the cores), so a 10 M-row column with a few thousand
/// distinct values runs a few thousand regex matches, not 10 M.
extension Cleaner {
    mutating func validate(_ v: ValidateSpec, _ step: CleanStep, _ r: inout CleanStepReport) throws {
        let c = table[v.column]!
        if let range = v.range {
            guard c.isNumeric || c.type == .date else {
                throw error(step, "checks a range on '\(v.column)', \(c.type.withArticle) column; ranges need a number or date column")
            }
            if range.dates != (c.type == .date) {
                throw error(step, "checks '\(v.column)', \(c.type.withArticle) column, against a range of \(range.dates ? "dates" : "numbers"); write the bounds as \(c.type == .date ? "dates YYYY-MM-DD" : "numbers")")
            }
        }
        r.description = Self.describeValidate(v)

        let verdicts = ValueVerdicts(c, v)
        var keepRows: [Int32] = []
        keepRows.reserveCapacity(table.rowCount)
        for i in 0..<table.rowCount {
            let rule: ValueVerdicts.Rule?
            if !c.isValid(i) {
                rule = v.required ? .required : nil
            } else if let range = v.range, let x = c.double(at: i), !(range.min...range.max).contains(x) {
                rule = .range
            } else {
                rule = verdicts.rule(at: i)
            }
            guard let rule else { keepRows.append(Int32(i)); continue }
            if rule == .timeout {
                throw DataError(file: origin, line: line(ofRecord: record(i)), column: v.column,
                                message: "the regex of clean step \(r.step) ran longer than \(Self.regexSeconds) s on record \(record(i) + 1) of dataset '\(dataset)' (catastrophic backtracking, e.g. nested repeats like (a+)+); simplify the pattern")
            }
            // A personal value is exported nowhere, rejects included.
            let value = pii.contains(v.column) ? Self.withheld : c.string(at: i) ?? ""
            if v.onError == .stop {
                throw DataError(file: origin, line: line(ofRecord: record(i)), column: v.column,
                                message: "record \(record(i) + 1) of dataset '\(dataset)' breaks validate rule '\(rule.rawValue)' with value '\(value)' (clean step \(r.step)); fix the value, or drop 'on_error: stop' to send failing rows to rejects.csv")
            }
            rejects.append(CleaningReject(dataset: dataset, line: line(ofRecord: record(i)), column: v.column,
                                          rule: rule.rawValue, value: value))
        }
        r.rejects = table.rowCount - keepRows.count
        try keep(keepRows)
    }

    /// A validate step's description in the cleaning report (the push-down's too: `CleanPushDown`).
    static func describeValidate(_ v: ValidateSpec) -> String {
        var rules: [String] = []
        if v.required { rules.append("required") }
        if v.range != nil { rules.append("range") }
        if v.allowed != nil { rules.append("allowed") }
        if v.regex != nil { rules.append("regex") }
        return "validate \(v.column): \(rules.joined(separator: ", "))" + (v.onError == .stop ? ", stop on error" : "")
    }

    /// Wall-clock seconds one regex match may take on one value (a legitimate pattern takes microseconds; ICU itself
    /// gives up silently after about 0.7 s, which over many rows still adds up to minutes).
    static let regexSeconds = 0.25

    /// A validate step's pattern compiled to match a whole value only: `\A(?:pattern)\z`, so that an alternation or
    /// a lazy repeat whose first match is shorter still accepts a value it matches whole (`a|ab` accepts `ab`). The
    /// group does not capture, so the pattern's own groups keep their numbers. Nil when it does not compile (the
    /// definition was checked when read).
    static func wholeValueRegex(_ pattern: String) -> NSRegularExpression? {
        try? NSRegularExpression(pattern: "\\A(?:" + pattern + ")\\z")
    }

    /// Whether `regex` matches all of `text`; nil when matching ran past `regexSeconds` (NSRegularExpression has no
    /// limit of its own, and a pattern with nested repeats can backtrack for hours: a definition must not hang a run).
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

/// The `allowed` and `regex` rules of a validate step for each present value of a column: for a text column decided
/// once per dictionary entry that a present row uses, for other columns per row on the value's text; in both cases in
/// blocks on every core (each block compiles its own regex, as NSRegularExpression is not shared between threads).
///
/// A regex that runs past `Cleaner.regexSeconds` on one value stops the run at the first row holding such a value;
/// once one entry timed out, the blocks stop deciding, and entries left undecided are decided when a row reaches
/// them, so a hostile pattern costs one timeout, not one per distinct value.
struct ValueVerdicts {
    /// The rule a value broke (`timeout`: the regex ran past `Cleaner.regexSeconds`).
    enum Rule: String { case required, range, allowed, regex, timeout }

    private let column: Column
    private let allowed: Set<String>?
    private let regex: NSRegularExpression?
    /// Per dictionary entry (text columns) or per row (others): 0 passes, `undecided`, else 1 + the index in `order`
    /// of the rule broken. Nil when the step has neither rule.
    private let entries: [UInt8]?
    private static let order: [Rule] = [.allowed, .regex, .timeout]
    private static let undecided: UInt8 = 255

    init(_ column: Column, _ spec: ValidateSpec) {
        self.column = column
        allowed = spec.allowed.map(Set.init)
        regex = spec.regex.flatMap { Cleaner.wholeValueRegex($0) }
        guard allowed != nil || regex != nil else { entries = nil; return }
        if case .string(let codes, let dictionary) = column.storage {
            let used = Self.used(codes, column, dictionary.count)
            entries = Self.decide(count: dictionary.count, allowed: allowed, pattern: spec.regex) { used[$0] ? dictionary[$0] : nil }
        } else {
            // Numbers, dates and booleans are checked as the text Segwork writes for them, row by row.
            entries = Self.decide(count: column.count, allowed: allowed, pattern: spec.regex) { column.string(at: $0) }
        }
    }

    /// Which dictionary entries a present row uses.
    private static func used(_ codes: [Int32], _ column: Column, _ count: Int) -> [Bool] {
        var used = [Bool](repeating: false, count: count)
        for i in 0..<codes.count where column.isValid(i) { used[Int(codes[i])] = true }
        return used
    }

    /// The verdict for each of `count` entries (dictionary entries, or rows), whose text `text` gives (nil: nothing
    /// to decide), in blocks on every core.
    private static func decide(count: Int, allowed: Set<String>?, pattern: String?,
                               text: @escaping @Sendable (Int) -> String?) -> [UInt8] {
        var verdicts = [UInt8](repeating: undecided, count: count)
        let stop = TimeoutSeen()
        let block = 1024
        verdicts.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let base = buffer.baseAddress!  // each block writes its own entries
            DispatchQueue.concurrentPerform(iterations: (count + block - 1) / block) { b in
                let local = pattern.flatMap { Cleaner.wholeValueRegex($0) }
                for k in (b * block)..<min(count, (b + 1) * block) {
                    guard let value = text(k) else { continue }
                    if stop.seen { return }
                    let rule = check(value, allowed: allowed, regex: local)
                    if rule == .timeout { stop.see() }
                    base[k] = rule.map { UInt8(order.firstIndex(of: $0)! + 1) } ?? 0
                }
            }
        }
        return verdicts
    }

    /// The rule present row `i` breaks among `allowed` and `regex`, if any.
    func rule(at i: Int) -> Rule? {
        guard allowed != nil || regex != nil else { return nil }
        guard let entries else { return nil }
        let k: Int
        if case .string(let codes, _) = column.storage { k = Int(codes[i]) } else { k = i }
        let e = entries[k]
        if e == Self.undecided { return column.string(at: i).flatMap { Self.check($0, allowed: allowed, regex: regex) } }
        return e == 0 ? nil : Self.order[Int(e) - 1]
    }

    private static func check(_ text: String, allowed: Set<String>?, regex: NSRegularExpression?) -> Rule? {
        if let allowed, !allowed.contains(text) { return .allowed }
        if let regex {
            switch Cleaner.fullMatch(regex, text) {
            case .some(true): return nil
            case .some(false): return .regex
            case .none: return .timeout
            }
        }
        return nil
    }
}

/// Set once any block's regex timed out (read and written under a lock).
private final class TimeoutSeen: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    var seen: Bool { lock.lock(); defer { lock.unlock() }; return flag }
    func see() { lock.lock(); flag = true; lock.unlock() }
}
