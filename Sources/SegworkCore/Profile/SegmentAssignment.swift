import Foundation
import LuaHost
import SegworkData

/// Which segment each row is in: `codes[i]` indexes `labels`, or is -1 when row `i` is unassigned.
///
/// Labels must be distinct and non-empty, and must not be one of the reserved group names
/// `"(all)"` or `"(unassigned)"` (``Profiler`` checks this).
package struct SegmentAssignment: Sendable, Equatable {
    /// One code per table row; -1 means unassigned.
    public var codes: [Int32]
    /// The segment labels the codes index.
    public var labels: [String]

    /// Creates an assignment.
    public init(codes: [Int32], labels: [String]) {
        self.codes = codes
        self.labels = labels
    }

    /// The assignment a criterion plugin produced (same codes and labels).
    public init(_ labels: LabelAssignment) {
        self.init(codes: labels.codes, labels: labels.labels)
    }

    /// The label of row `i`, nil when it is unassigned (or its code is out of range).
    public func label(at i: Int) -> String? {
        let c = Int(codes[i])
        return c >= 0 && c < labels.count ? labels[c] : nil
    }
}

/// What to profile besides the customer count and share of each segment.
package struct ProfileOptions: Sendable, Equatable {
    /// Columns profiled with numeric statistics (integer, double, or date; dates as days since 1970-01-01).
    public var numeric: [String]
    /// Columns profiled by their most frequent values (any column type; values compared as text).
    public var categorical: [String]
    /// The revenue column (integer or double); when set, each segment gets its revenue total and share.
    public var monetary: String?
    /// How many top values to keep per categorical column (0 or more).
    public var topN: Int

    /// Creates options.
    public init(numeric: [String] = [], categorical: [String] = [], monetary: String? = nil, topN: Int = 5) {
        self.numeric = numeric
        self.categorical = categorical
        self.monetary = monetary
        self.topN = topN
    }
}

/// Why profiles could not be computed. Every message names the column or label and says what to change.
public enum ProfileError: SegworkError, Sendable, Equatable, CustomStringConvertible {
    /// A column named in the profile options is not in the table.
    case unknownColumn(name: String, role: String, available: [String])
    /// A column has a type that cannot be profiled in the role it was listed in.
    case wrongType(name: String, role: String, type: ColumnType, allowed: [ColumnType])
    /// A column is listed twice in the same role, or as both numeric and categorical.
    case duplicateColumn(name: String, role: String)
    /// The assignment does not have one code per table row.
    case rowCountMismatch(codes: Int, rows: Int)
    /// A code is neither -1 nor a valid label index.
    case badCode(row: Int, code: Int32, labels: Int)
    /// Two segments share a label.
    case duplicateLabel(String)
    /// A label is empty or is one of the reserved group names.
    case reservedLabel(String)
    /// `topN` is negative.
    case badTopN(Int)
    /// Combining the criteria gave more segments than `limits.segments` allows.
    case tooManySegments(count: Int, limit: Int, criteria: [String], combine: String)

    /// A message a user can act on.
    public var description: String {
        switch self {
        case let .unknownColumn(name, role, available):
            let list = available.isEmpty ? "(the table has no columns)" : available.joined(separator: ", ")
            return "profile: \(role) column '\(name)' is not in the table; available columns: \(list). "
                + "Fix the name in the definition's profile section or add a feature that creates it."
        case let .wrongType(name, role, type, allowed):
            let ok = allowed.map(\.rawValue).joined(separator: ", ")
            var hint = ""
            if role == "numeric" && (type == .string || type == .bool) {
                hint = " List it under 'categorical' instead."
            }
            return "profile: \(role) column '\(name)' has type \(type.rawValue), but a \(role) column "
                + "must be one of: \(ok).\(hint)"
        case let .duplicateColumn(name, role):
            if role.contains(" and ") {
                return "profile: column '\(name)' is listed as both numeric and categorical; "
                    + "profile it one way (or derive a second column with a feature)."
            }
            return "profile: column '\(name)' is listed twice under '\(role)'; list it once."
        case let .rowCountMismatch(codes, rows):
            return "profile: the segment assignment has \(codes) rows but the table has \(rows); "
                + "both must come from the same run."
        case let .badCode(row, code, labels):
            return "profile: row \(row) has segment code \(code), but there are only \(labels) labels "
                + "(codes must be -1 for unassigned or 0..<\(labels))."
        case .duplicateLabel(let l):
            return "profile: the segment label '\(l)' appears twice; labels must be distinct."
        case .reservedLabel(let l):
            return "profile: '\(l)' cannot be a segment label: labels must be non-empty and not "
                + "'\(Profiler.populationLabel)' or '\(Profiler.unassignedLabel)'. Rename the segment."
        case .badTopN(let n):
            return "profile: topN is \(n); it must be 0 or more."
        case let .tooManySegments(count, limit, criteria, combine):
            return "combining criteria \(criteria.map { "'\($0)'" }.joined(separator: ", ")) (combine: \(combine)) gave "
                + "\(count) segments, more than the limit of \(limit); use fewer labels per criterion or fewer "
                + "criteria, or raise limits.segments in workspace.yaml if this many segments is intended."
        }
    }

    /// Same as `description`.
    public var errorDescription: String? { description }
    /// A profile that cannot be computed (bad plugin output) fails the run.
    public var exitStatus: ExitStatus { .runFailed }
}
