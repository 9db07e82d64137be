import Foundation
import SegworkData

// The diff model (`seg diff`, docs/DIFF.md). Every Double is rounded to 12 significant digits like the
// profiles, so the JSON, CSV and Markdown exports show the same value and the bytes are stable. Undefined
// values are nil and written as JSON `null`: keys are never omitted.

/// How two versions of one definition differ: the migration matrix of customers between segments, the
/// size and share change of every segment, who entered or left the population, and what changed in the
/// inputs. Built by `DiffEngine.diff`, written by `DiffExporter`.
public struct VersionDiff: Codable, Sendable, Equatable {
    /// The diff format version this code writes.
    public static let currentFormatVersion = 1
    /// The label of customers without a segment (same as in the profiles).
    public static let unassignedLabel = ReservedLabel.unassigned
    /// The label of customers who are not in a version's population at all.
    public static let absentLabel = ReservedLabel.absent

    /// Format version of this diff (1).
    public var formatVersion: Int
    /// The definition both versions belong to.
    public var definition: String
    /// The older side of the comparison (rows of the matrix).
    public var from: VersionRef
    /// The newer side of the comparison (columns of the matrix).
    public var to: VersionRef
    /// Segment labels on each axis, in a stable order: segments of `from` by size descending then label
    /// (byte order), then labels new in `to` (by size in `to` descending, then label), then `(unassigned)`,
    /// then `(absent)` (customer not in that version's population). The last two are always present.
    public var labels: [String]
    /// `matrix[i, j]` = customers in `labels[i]` in `from` and in `labels[j]` in `to`, stored sparsely (only
    /// non-empty cells). The `(absent)` row counts customers who entered the population, the `(absent)` column
    /// those who left; the `(absent)`×`(absent)` cell is always 0.
    public var matrix: MigrationMatrix
    /// One entry per label except `(absent)`, in the order of `labels` (so `(unassigned)` is last).
    public var segments: [SegmentChange]
    /// Customers in `to` but not in `from`.
    public var entered: Int
    /// Customers in `from` but not in `to`.
    public var left: Int
    /// Customers in both whose segment changed (to or from `(unassigned)` included).
    public var moved: Int
    /// Customers in both whose segment did not change.
    public var stayed: Int
    /// `moved / (moved + stayed)`: the share of customers present in both versions whose segment changed
    /// (unassigned counts as a segment). nil when no customer is in both.
    public var drift: Double?
    /// What differs in the inputs: definition, reference date, Segwork version, datasets, plugins and their
    /// parameters. Empty when nothing differs. Order: see `InputChange`.
    public var inputChanges: [InputChange]
    /// Every customer off the diagonal of the matrix (moved, entered or left), only when requested (nil
    /// otherwise). Sorted by `from` then `to` in the order of `labels`, then by customer id in byte order.
    public var movers: [Mover]?

    /// Creates a diff.
    public init(formatVersion: Int = VersionDiff.currentFormatVersion, definition: String, from: VersionRef,
                to: VersionRef, labels: [String], matrix: MigrationMatrix, segments: [SegmentChange], entered: Int,
                left: Int, moved: Int, stayed: Int, drift: Double?, inputChanges: [InputChange],
                movers: [Mover]?) {
        self.formatVersion = formatVersion; self.definition = definition; self.from = from; self.to = to
        self.labels = labels; self.matrix = matrix; self.segments = segments; self.entered = entered
        self.left = left; self.moved = moved; self.stayed = stayed; self.drift = drift
        self.inputChanges = inputChanges; self.movers = movers
    }

    private enum CodingKeys: String, CodingKey {
        case formatVersion, definition, from, to, labels, matrix, matrixCells, segments, entered, left, moved, stayed
        case drift, inputChanges, movers
    }

    /// Writes every key, `drift` and `movers` as `null` when undefined or not requested. The matrix is written in
    /// full (`matrix`, every row) up to `MigrationMatrix.fullLimit` labels; beyond, `matrix` is `null` and
    /// `matrixCells` lists the non-empty cells as `[row, column, count]` (docs/DIFF.md, "Large diffs").
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(formatVersion, forKey: .formatVersion); try c.encode(definition, forKey: .definition)
        try c.encode(from, forKey: .from); try c.encode(to, forKey: .to)
        try c.encode(labels, forKey: .labels)
        if matrix.isSmall {
            try c.encode(matrix.rows(), forKey: .matrix)
        } else {
            try c.encodeNil(forKey: .matrix)
            try c.encode(matrix.cells.map { [$0.from, $0.to, $0.count] }, forKey: .matrixCells)
        }
        try c.encode(segments, forKey: .segments); try c.encode(entered, forKey: .entered)
        try c.encode(left, forKey: .left); try c.encode(moved, forKey: .moved)
        try c.encode(stayed, forKey: .stayed); try c.encode(drift, forKey: .drift)
        try c.encode(inputChanges, forKey: .inputChanges); try c.encode(movers, forKey: .movers)
    }

    /// Reads what `encode(to:)` writes (either form of the matrix).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        formatVersion = try c.decode(Int.self, forKey: .formatVersion)
        definition = try c.decode(String.self, forKey: .definition)
        from = try c.decode(VersionRef.self, forKey: .from); to = try c.decode(VersionRef.self, forKey: .to)
        let labels = try c.decode([String].self, forKey: .labels)
        self.labels = labels
        if let rows = try c.decodeIfPresent([[Int]].self, forKey: .matrix) {
            guard rows.count == labels.count, rows.allSatisfy({ $0.count == labels.count }) else {
                throw DecodingError.dataCorruptedError(forKey: .matrix, in: c, debugDescription: "the matrix is labels × labels")
            }
            matrix = MigrationMatrix(rows: rows)
        } else {
            let cells = try c.decode([[Int]].self, forKey: .matrixCells).map { t -> MigrationMatrix.Cell in
                guard t.count == 3, (0..<labels.count).contains(t[0]), (0..<labels.count).contains(t[1]) else {
                    throw DecodingError.dataCorruptedError(forKey: .matrixCells, in: c,
                                                           debugDescription: "a cell is [row, column, count] with indexes into labels")
                }
                return MigrationMatrix.Cell(from: t[0], to: t[1], count: t[2])
            }
            matrix = MigrationMatrix(size: labels.count, cells: cells)
        }
        segments = try c.decode([SegmentChange].self, forKey: .segments)
        entered = try c.decode(Int.self, forKey: .entered); left = try c.decode(Int.self, forKey: .left)
        moved = try c.decode(Int.self, forKey: .moved); stayed = try c.decode(Int.self, forKey: .stayed)
        drift = try c.decodeIfPresent(Double.self, forKey: .drift)
        inputChanges = try c.decode([InputChange].self, forKey: .inputChanges)
        movers = try c.decodeIfPresent([Mover].self, forKey: .movers)
    }
}

/// One side of a diff: which stored version it is.
public struct VersionRef: Codable, Sendable, Equatable {
    /// The version id (`v3`).
    public var id: String
    /// The run id of that version.
    public var runID: String
    /// Its reference date, `YYYY-MM-DD`.
    public var asOf: String
    /// When it was stored, ISO 8601 UTC.
    public var createdAt: String
    /// Customers in its population (rows of its membership).
    public var customers: Int

    /// Creates a version reference.
    public init(id: String, runID: String, asOf: String, createdAt: String, customers: Int) {
        self.id = id; self.runID = runID; self.asOf = asOf; self.createdAt = createdAt; self.customers = customers
    }
}

/// How one segment (or the unassigned group) changed. Invariants: `before = stayed + movedOut + left`,
/// `after = stayed + movedIn + entered`.
public struct SegmentChange: Codable, Sendable, Equatable {
    /// The segment label, or `(unassigned)`.
    public var label: String
    /// Customers in it in `from` (0 for a new segment).
    public var before: Int
    /// Customers in it in `to` (0 for a vanished segment).
    public var after: Int
    /// `after - before`.
    public var delta: Int
    /// `before` / customers in `from`; nil when `from` has no customers.
    public var shareBefore: Double?
    /// `after` / customers in `to`; nil when `to` has no customers.
    public var shareAfter: Double?
    /// `shareAfter - shareBefore` (from the unrounded shares); nil when either is undefined.
    public var shareDelta: Double?
    /// Customers in it in both versions (the matrix diagonal).
    public var stayed: Int
    /// Customers in it in `to` who were in another group (segment or unassigned) in `from`.
    public var movedIn: Int
    /// Customers in it in `from` who are in another group in `to`.
    public var movedOut: Int
    /// Customers in it in `to` who were not in `from`'s population.
    public var entered: Int
    /// Customers in it in `from` who are not in `to`'s population.
    public var left: Int

    /// Creates a segment change.
    public init(label: String, before: Int, after: Int, delta: Int, shareBefore: Double?, shareAfter: Double?,
                shareDelta: Double?, stayed: Int, movedIn: Int, movedOut: Int, entered: Int, left: Int) {
        self.label = label; self.before = before; self.after = after; self.delta = delta
        self.shareBefore = shareBefore; self.shareAfter = shareAfter; self.shareDelta = shareDelta
        self.stayed = stayed; self.movedIn = movedIn; self.movedOut = movedOut
        self.entered = entered; self.left = left
    }

    /// Writes every key, undefined shares as `null`.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(label, forKey: .label); try c.encode(before, forKey: .before)
        try c.encode(after, forKey: .after); try c.encode(delta, forKey: .delta)
        try c.encode(shareBefore, forKey: .shareBefore); try c.encode(shareAfter, forKey: .shareAfter)
        try c.encode(shareDelta, forKey: .shareDelta); try c.encode(stayed, forKey: .stayed)
        try c.encode(movedIn, forKey: .movedIn); try c.encode(movedOut, forKey: .movedOut)
        try c.encode(entered, forKey: .entered); try c.encode(left, forKey: .left)
    }
}

/// One difference in what produced the two versions.
///
/// Order in a diff: the definition, then `run` facts (`as_of`, `segwork_version`), then datasets by name,
/// then plugins by name (names in byte order); within a dataset `added`/`removed` or `file`, `sha256`,
/// `rows`; within a plugin `added`/`removed` or `kind`, `version`, `file`, `sha256`, then one `param`
/// change per differing parameter, by parameter name.
public struct InputChange: Codable, Sendable, Equatable {
    /// What the change is about.
    public enum Kind: String, Codable, Sendable {
        /// The definition file's text (compared by SHA-256).
        case definition
        /// A fact of the run itself: the reference date or the Segwork version.
        case run
        /// A dataset, by name.
        case dataset
        /// A plugin, by name.
        case plugin
    }

    /// What the change is about.
    public var kind: Kind
    /// The definition, dataset or plugin name; empty for `run` facts.
    public var name: String
    /// What differs: `sha256` (definition, dataset, plugin), `as_of`, `segwork_version` (run), `added`,
    /// `removed`, `file`, `rows` (dataset), `kind`, `version`, `param` (plugin).
    public var field: String
    /// For `param` changes, the parameter's name; nil otherwise.
    public var param: String?
    /// The value in `from`; nil when it had none (something added). Parameters are compact JSON (`3`,
    /// `"gold"`); an added/removed dataset carries its SHA-256, an added/removed plugin its version.
    public var before: String?
    /// The value in `to`; nil when it has none (something removed).
    public var after: String?

    /// Creates an input change.
    public init(kind: Kind, name: String, field: String, param: String? = nil, before: String?, after: String?) {
        self.kind = kind; self.name = name; self.field = field; self.param = param
        self.before = before; self.after = after
    }

    /// Writes every key, missing values as `null`.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind); try c.encode(name, forKey: .name)
        try c.encode(field, forKey: .field); try c.encode(param, forKey: .param)
        try c.encode(before, forKey: .before); try c.encode(after, forKey: .after)
    }
}

/// One customer off the diagonal of the migration matrix.
public struct Mover: Codable, Sendable, Equatable {
    /// The customer id, exactly as in the membership.
    public var customerID: String
    /// Label in `from` (a segment, `(unassigned)`, or `(absent)` for a customer who entered).
    public var from: String
    /// Label in `to` (a segment, `(unassigned)`, or `(absent)` for a customer who left).
    public var to: String

    /// Creates a mover.
    public init(customerID: String, from: String, to: String) {
        self.customerID = customerID; self.from = from; self.to = to
    }
}
