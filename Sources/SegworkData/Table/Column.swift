/// The type of a column. Names are the ones used in schemas (`schema: {age: integer}`).
public enum ColumnType: String, Sendable, Codable, CaseIterable {
    /// 64-bit signed integers.
    case integer
    /// 64-bit floating point.
    case double
    /// true / false.
    case bool
    /// Calendar dates, stored as days since 1970-01-01.
    case date
    /// Text, dictionary-encoded (each distinct value stored once).
    case string
}

extension ColumnType {
    /// The type name with its article, for messages ("an integer", "a string").
    public var withArticle: String { self == .integer ? "an integer" : "a \(rawValue)" }
}

/// One typed column with a validity mask. Missing values have their validity bit clear; the stored
/// value at a missing position is unspecified (0 / empty).
public struct Column: Sendable {
    /// The typed values.
    public enum Storage: Sendable {
        /// Integers.
        case integer([Int64])
        /// Doubles.
        case double([Double])
        /// Booleans.
        case bool([Bool])
        /// Days since 1970-01-01.
        case date([Int32])
        /// `codes[i]` indexes `dictionary`.
        case string(codes: [Int32], dictionary: [String])
    }

    /// Column name.
    public var name: String
    /// Values.
    public var storage: Storage
    /// Validity: nil when no value is missing.
    public var validity: Bitmap?

    /// Creates a column; `validity` nil means every value is present.
    public init(name: String, storage: Storage, validity: Bitmap? = nil) {
        self.name = name
        self.storage = storage
        self.validity = (validity?.allSet ?? true) ? nil : validity
    }

    /// Number of rows.
    public var count: Int {
        switch storage {
        case .integer(let v): return v.count
        case .double(let v): return v.count
        case .bool(let v): return v.count
        case .date(let v): return v.count
        case .string(let c, _): return c.count
        }
    }

    /// The column's type.
    public var type: ColumnType {
        switch storage {
        case .integer: return .integer
        case .double: return .double
        case .bool: return .bool
        case .date: return .date
        case .string: return .string
        }
    }

    /// Whether the type is numeric for statistics (integer or double).
    public var isNumeric: Bool { type == .integer || type == .double }

    /// Whether row `i` has a value.
    @inline(__always)
    public func isValid(_ i: Int) -> Bool { validity?[i] ?? true }

    /// Number of missing values.
    public var missingCount: Int { validity.map { $0.count - $0.setCount } ?? 0 }

    /// Row `i` as a Double (integers, doubles, dates as days, bools as 0/1), nil when missing or text.
    public func double(at i: Int) -> Double? {
        guard isValid(i) else { return nil }
        switch storage {
        case .integer(let v): return Double(v[i])
        case .double(let v): return v[i]
        case .bool(let v): return v[i] ? 1 : 0
        case .date(let v): return Double(v[i])
        case .string: return nil
        }
    }

    /// Row `i` as text (dates as `YYYY-MM-DD`, doubles in shortest round-trip form), nil when missing.
    public func string(at i: Int) -> String? {
        guard isValid(i) else { return nil }
        switch storage {
        case .integer(let v): return String(v[i])
        case .double(let v): return formatDouble(v[i])
        case .bool(let v): return v[i] ? "true" : "false"
        case .date(let v): return CivilDate(days: v[i]).description
        case .string(let c, let d): return d[Int(c[i])]
        }
    }
}

/// Formats a Double the same way everywhere in Segwork: integers without a fraction, others in
/// Swift's shortest round-trip form, `NaN`/`inf` spelled out.
public func formatDouble(_ d: Double) -> String {
    if d.isNaN { return "NaN" }
    if d.isInfinite { return d < 0 ? "-inf" : "inf" }
    if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
    return "\(d)"
}
