import Foundation
import LuaHost
import SegworkData

/// The outcome of one gate for one segment (or for the whole run). Encoded with every key present
/// (`segment`, `actual` and `limit` as `null` when they do not apply).
public struct GateResult: Sendable, Equatable, Codable {
    /// The gate: its key in the definition (`min_segment_size`, …), `segments.<label>.<limit>` for a
    /// per-segment limit, `profile[i]` for the i-th profile bound (from 0).
    public var gate: String
    /// The segment concerned, when there is one.
    public var segment: String?
    /// Whether the gate passed.
    public var passed: Bool
    /// The measured value (a count, or a share as a fraction), when there is one.
    public var actual: Double?
    /// The limit it was compared with (for a profile bound with both ends, the end it is checked against:
    /// the one it crosses, else the minimum).
    public var limit: Double?
    /// Names the gate, the segment and the numbers, e.g. "gate min_segment_size: segment 'About to Sleep'
    /// has 26 customers, below the minimum of 30". Safe to print: control characters escaped (`TerminalText`).
    public var message: String

    /// Creates a result.
    public init(gate: String, segment: String?, passed: Bool, actual: Double?, limit: Double?, message: String) {
        self.gate = gate; self.segment = segment; self.passed = passed
        self.actual = actual; self.limit = limit
        // Messages name segment labels, which come from plugins: escaped and cut like any plugin text.
        self.message = TerminalText.escaped(message, keepNewlines: false)
    }

    /// Writes every key, absent values as `null`.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(gate, forKey: .gate); try c.encode(segment, forKey: .segment)
        try c.encode(passed, forKey: .passed); try c.encode(actual, forKey: .actual)
        try c.encode(limit, forKey: .limit); try c.encode(message, forKey: .message)
    }
}

/// Number formatting for gate messages.
enum GateFormat {
    /// A count or statistic in shortest form, at most 12 significant digits (`26`, `27.5`, `0.3`).
    static func number(_ d: Double) -> String {
        guard d.isFinite, d != 0 else { return formatDouble(d) }
        let scale = pow(10, 11 - floor(log10(abs(d))))
        let r = (d * scale).rounded() / scale
        return formatDouble(r.isFinite ? r : d)
    }

    /// A fraction as a percentage (`0.05` → `5%`), with as few decimals as keep it apart from `other`
    /// (so "4.99% above 5%" never reads as "5% above 5%").
    static func percent(_ d: Double, apartFrom other: Double? = nil) -> String {
        var decimals = 2
        while true {
            let s = fixed(d * 100, decimals)
            if decimals >= 10 || other.map({ $0 == d || fixed($0 * 100, decimals) != s }) ?? true { return s + "%" }
            decimals += 1
        }
    }

    private static func fixed(_ d: Double, _ decimals: Int) -> String {
        var s = String(format: "%.\(decimals)f", d)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s == "-0" ? "0" : s
    }

    /// `'A', 'B', 'C'`, or `none` for an empty list.
    static func labels(_ names: [String]) -> String {
        names.isEmpty ? "none" : names.map { "'\($0)'" }.joined(separator: ", ")
    }
}
