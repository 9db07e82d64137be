import Foundation

/// A data file problem: names the file, the 1-based physical line where the record starts (when known), the column, and what to do.
///
/// Printed as `<file>, line <n>, column '<c>': <message>`, leaving out the parts that are not known.
public struct DataError: SegworkError, CustomStringConvertible, Equatable {
    /// The file (or other origin, such as `plugin legacy_pipe`) the data came from.
    public var file: String
    /// The 1-based physical line where the offending record starts, when the origin has lines.
    public var line: Int?
    /// The column concerned, when one is.
    public var column: String?
    /// What is wrong and what to do about it.
    public var message: String

    /// Creates an error.
    public init(file: String, line: Int?, column: String? = nil, message: String) {
        self.file = file; self.line = line; self.column = column; self.message = message
    }

    /// `<file>, line <n>, column '<c>': <message>`.
    public var description: String {
        var s = file
        if let line { s += ", line \(line)" }
        if let column { s += ", column '\(column)'" }
        return s + ": " + message
    }

    /// Same as `description`.
    public var errorDescription: String? { description }
    /// A data file that cannot be read, or has a bad value, fails the run.
    public var exitStatus: ExitStatus { .runFailed }
}

/// How to read a file.
package struct ReadOptions: Sendable {
    /// Overrides inferred types, per column name. Naming a column the file does not have is an error.
    public var schema: [String: ColumnType]
    /// CSV only, default ",". Must be a single ASCII byte other than `"`, CR and LF.
    public var delimiter: UInt8

    /// Columns read as text when present and not in `schema` (key columns such as customer ids, so that
    /// `00123` stays `00123`). Naming a column the file does not have is not an error.
    public var textColumns: Set<String>

    /// Date columns written in other formats than ISO 8601, per column name: each value must match one of the
    /// formats, tried in order (ISO is then accepted only when listed, as `%Y-%m-%d`). A column named here is read
    /// as `date` whatever `schema` says.
    public var dateFormats: [String: [DateFormat]]

    /// When true, each maximal invalid UTF-8 subsequence is replaced by U+FFFD (counted in `warnings`) instead of
    /// stopping the read with a `DataError`. NUL bytes are an error either way.
    public var replaceInvalidUTF8: Bool

    /// Collects things the user should hear about that do not stop the read (replaced bytes), if set.
    public var warnings: ReadWarnings?

    /// Told how many bytes and records have been read, if set (a terminal progress line).
    public var progress: ReadProgress?

    /// Personal (pii) columns: messages about them never show a value; they say "value withheld (pii column)".
    public var pii: Set<String> = []

    /// The name errors and notes give the file, when it is not the path read: the user's file for a snapshot
    /// stored under `.seg/datasets/`. Nil: the path.
    public var displayName: String?

    /// The layout of a delimited text file (separator, header, decimal mark) when the extension alone does not say.
    /// `format.delimiter`, when set, wins over `delimiter` and over the extension.
    public var format = TextFormat()

    /// Reads every column as text whatever the schema says (checks a file's structure without its types: import).
    package var allText = false

    /// Checks a delimited text file's structure without keeping it (`seg import`): every record is parsed and
    /// checked as usual, but only the first chunk's values are kept in the table read, and the number of records
    /// of the whole file goes into `shape.rows`. Memory stays near one chunk per thread whatever the file's size.
    /// Not for JSON Lines (whose columns are the keys of every record).
    package var shape: ReadShape? = nil

    /// Makes the error for a schema that names columns the file does not have (given those names, sorted, and the
    /// file's columns), when the schema's author should hear of it in their own terms (a definition's file and
    /// line). Nil: a `DataError` naming the file.
    package var unknownSchemaColumns: (@Sendable (_ unknown: [String], _ columns: [String]) -> any Error)? = nil

    /// Bytes read per chunk; each chunk is parsed on its own thread.
    var chunkBytes = 16 << 20
    /// Parsing threads (at most the number of cores).
    var threads = min(ProcessInfo.processInfo.activeProcessorCount, 8)

    /// Creates options.
    public init(schema: [String: ColumnType] = [:], delimiter: UInt8 = UInt8(ascii: ","), textColumns: Set<String> = [],
                dateFormats: [String: [DateFormat]] = [:], replaceInvalidUTF8: Bool = false,
                warnings: ReadWarnings? = nil, progress: ReadProgress? = nil) {
        self.schema = schema; self.delimiter = delimiter; self.textColumns = textColumns
        self.dateFormats = dateFormats; self.replaceInvalidUTF8 = replaceInvalidUTF8
        self.warnings = warnings; self.progress = progress
    }

    /// The forced type of column `name`, if any.
    func forcedType(_ name: String) -> ColumnType? {
        if allText { return .string }
        if dateFormats[name] != nil { return .date }
        return schema[name] ?? (textColumns.contains(name) ? .string : nil)
    }
}

/// Warnings gathered while reading (from several threads if need be), in the order they were added.
package final class ReadWarnings: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []

    /// An empty collection.
    public init() {}

    /// Adds one warning (a sentence naming the file).
    public func add(_ message: String) {
        lock.lock(); defer { lock.unlock() }
        list.append(message)
    }

    /// The warnings so far.
    public var messages: [String] {
        lock.lock(); defer { lock.unlock() }
        return list
    }
}

extension ColumnType {
    /// The phrase used in "'x' is not <phrase>" messages.
    package var expectation: String {
        switch self {
        case .integer: return "an integer"
        case .double: return "a number"
        case .bool: return "true or false"
        case .date: return "a date (YYYY-MM-DD)"
        case .string: return "text"
        }
    }
}

/// Shows a value in an error message: quoted, shortened when long.
package func quoteForMessage(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    let limit = 60
    if bytes.count <= limit { return "'" + String(decoding: bytes, as: UTF8.self) + "'" }
    var cut = limit
    while cut > 0, bytes[cut] & 0xC0 == 0x80 { cut -= 1 } // do not split a UTF-8 sequence
    return "'" + String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<cut]), as: UTF8.self) + "…'"
}

/// Checks that a schema only names columns that exist.
package func checkSchema(_ options: ReadOptions, columns: [String], origin: String) throws {
    let present = Set(columns)
    let unknown = options.schema.keys.filter { !present.contains($0) }.sorted()
    guard let first = unknown.first else { return }
    if let problem = options.unknownSchemaColumns { throw problem(unknown, columns) }
    let listed = columns.isEmpty ? "none" : columns.map { "'\($0)'" }.joined(separator: ", ")
    throw DataError(file: origin, line: nil, column: first,
                    message: "the schema names \(unknown.count == 1 ? "a column" : "columns") "
                        + unknown.map { "'\($0)'" }.joined(separator: ", ")
                        + " that the file does not have; its columns are \(listed)")
}

/// Where a shape-only read (`ReadOptions.shape`) leaves the number of records of the whole file.
package final class ReadShape: @unchecked Sendable {
    /// Records read, every chunk counted.
    package var rows = 0
    /// Nothing counted yet.
    package init() {}
}
