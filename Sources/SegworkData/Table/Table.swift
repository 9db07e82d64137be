/// A columnar table: named, typed columns of equal length. Rows are never materialised.
public struct Table: Sendable {
    /// The columns, in order.
    public private(set) var columns: [Column]
    /// Number of rows.
    public private(set) var rowCount: Int
    private var positions: [String: Int]
    /// For a table read from a text file: the line where each row's record starts (nil for other tables;
    /// tables derived by selecting rows do not carry it).
    public var rowLines: RowLines?

    /// Creates a table; all columns must have the same length and distinct names.
    public init(columns: [Column]) throws {
        self.columns = []
        self.rowCount = columns.first?.count ?? 0
        self.positions = [:]
        for c in columns { try add(c) }
    }

    /// The column called `name`.
    public subscript(name: String) -> Column? {
        positions[name].map { columns[$0] }
    }

    /// Column names in order.
    public var columnNames: [String] { columns.map(\.name) }

    /// Adds a column, or throws when the name exists or the length differs.
    public mutating func add(_ column: Column) throws {
        if positions[column.name] != nil { throw TableError.duplicateColumn(column.name) }
        if !columns.isEmpty || rowCount != 0, column.count != rowCount {
            throw TableError.lengthMismatch(column: column.name, expected: rowCount, got: column.count)
        }
        if columns.isEmpty { rowCount = column.count }
        positions[column.name] = columns.count
        columns.append(column)
    }

    /// Keeps the rows listed (ascending, distinct, in range) in every column, one column at a time and in place
    /// where the arrays are not shared (see `Column.keepRows`). The table no longer carries `rowLines`: its rows are
    /// no longer the file's records one after another.
    public mutating func keepRows(_ rows: [Int32]) {
        guard rows.count != rowCount else { return }
        for i in columns.indices { columns[i].keepRows(rows) }
        rowCount = rows.count
        rowLines = nil
    }

    /// Replaces the column of the same name, or adds it.
    public mutating func set(_ column: Column) throws {
        if let p = positions[column.name] {
            guard column.count == rowCount else {
                throw TableError.lengthMismatch(column: column.name, expected: rowCount, got: column.count)
            }
            columns[p] = column
        } else {
            try add(column)
        }
    }
}

/// Misuse of a `Table`.
public enum TableError: SegworkError, Equatable, CustomStringConvertible {
    /// Two columns with one name.
    case duplicateColumn(String)
    /// A column of the wrong length.
    case lengthMismatch(column: String, expected: Int, got: Int)

    /// A message a user can act on.
    public var description: String {
        switch self {
        case .duplicateColumn(let n): return "column '\(n)' appears twice; rename one of them"
        case .lengthMismatch(let n, let e, let g): return "column '\(n)' has \(g) rows but the table has \(e)"
        }
    }

    /// Misuse of a table (a source that makes bad columns) fails the run.
    public var exitStatus: ExitStatus { .runFailed }
}
