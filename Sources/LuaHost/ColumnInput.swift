/// One column handed to a criterion or scorer. Arrays are shared, not copied (copy-on-write).
/// Dates are passed as `string` columns of ISO 8601 `YYYY-MM-DD` text by the caller.
public struct ColumnInput: Sendable {
    /// The values, typed.
    public enum Values: Sendable {
        /// 64-bit integers; arrive in Lua as integers.
        case integer([Int64])
        /// Doubles; arrive in Lua as floats.
        case double([Double])
        /// Booleans.
        case bool([Bool])
        /// Dictionary-encoded strings: `codes[i]` indexes `dictionary`. Each distinct string is made
        /// into a Lua string once per call, not once per row.
        case string(codes: [Int32], dictionary: [String])
    }

    /// The name the plugin sees (`row.<name>`).
    public var name: String
    /// The values.
    public var values: Values
    /// Validity bitmap words, bit `i % 64` of word `i / 64` set when row `i` has a value; nil means no
    /// missing values. A missing value arrives in Lua as `nil`.
    public var validity: [UInt64]?

    /// Creates a column input.
    public init(name: String, values: Values, validity: [UInt64]?) {
        self.name = name; self.values = values; self.validity = validity
    }
}

/// Statistics of one column, given once to a plugin's `prepare(stats, p)` as `stats.<column>`.
/// In Lua: `{count=, missing=, min=, max=, mean=, sum=, p={[0]=…, [100]=…}, distinct=, top={{value=, count=}…}}`;
/// numeric fields are absent for text columns and `top`/`distinct` are absent for numeric ones.
public struct ColumnStatistics: Sendable, Equatable {
    /// Rows with a value.
    public var count: Int
    /// Rows without one.
    public var missing: Int
    /// Smallest value (numeric columns).
    public var min: Double?
    /// Largest value (numeric columns).
    public var max: Double?
    /// Mean (numeric columns).
    public var mean: Double?
    /// Sum (numeric columns).
    public var sum: Double?
    /// Percentiles 0…100 by linear interpolation between closest ranks (numpy's default, "type 7"):
    /// 101 numbers for numeric columns with values, empty otherwise.
    public var percentiles: [Double]
    /// Number of distinct values (text columns).
    public var distinct: Int?
    /// The most frequent values with their counts, most frequent first, ties by value (text columns, at most 20).
    public var top: [ValueCount]
    /// The fitted clustering, on the statistics of a clustering's id and label columns (`stats.<field>.clusters`;
    /// docs/CLUSTERING.md); nil otherwise.
    public var clusters: PluginValue?

    /// A value and how often it occurs.
    public struct ValueCount: Sendable, Equatable {
        /// The value.
        public var value: String
        /// How many rows have it.
        public var count: Int
        /// Creates a pair.
        public init(value: String, count: Int) { self.value = value; self.count = count }
    }

    /// Creates statistics.
    public init(count: Int, missing: Int, min: Double? = nil, max: Double? = nil, mean: Double? = nil,
                sum: Double? = nil, percentiles: [Double] = [], distinct: Int? = nil, top: [ValueCount] = []) {
        self.count = count; self.missing = missing; self.min = min; self.max = max; self.mean = mean
        self.sum = sum; self.percentiles = percentiles; self.distinct = distinct; self.top = top
    }
}

/// The labels a criterion gave: `codes[i]` indexes `labels`, or is -1 when the criterion returned nil
/// (the customer is unassigned by it). Labels are listed in order of first appearance.
public struct LabelAssignment: Sendable, Equatable {
    /// One code per row.
    public var codes: [Int32]
    /// Distinct labels.
    public var labels: [String]
    /// Creates an assignment.
    public init(codes: [Int32], labels: [String]) { self.codes = codes; self.labels = labels }
}

/// The numbers a scorer gave; `valid[i]` is false where it returned nil (or NaN).
public struct ScoreColumn: Sendable, Equatable {
    /// One value per row (0 where not valid).
    public var values: [Double]
    /// Whether each row has a score.
    public var valid: [Bool]
    /// Creates a score column.
    public init(values: [Double], valid: [Bool]) { self.values = values; self.valid = valid }
}

/// What a source plugin emitted, column by column in the order of its declared `columns`.
/// Values are `.null` where a record lacked the field.
public struct SourceOutput: Sendable, Equatable {
    /// Column names in declared order.
    public var names: [String]
    /// `values[c][r]` is column c of record r.
    public var values: [[PluginValue]]
    /// Creates a source output.
    public init(names: [String], values: [[PluginValue]]) { self.names = names; self.values = values }
}
