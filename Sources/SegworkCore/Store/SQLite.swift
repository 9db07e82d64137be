import CSQLite
import Foundation
import SegworkData

/// A failed SQLite call: the primary result code and SQLite's own message (`sqlite3_errmsg`).
struct SQLiteError: Error, Equatable, CustomStringConvertible {
    /// Primary result code (`SQLITE_CORRUPT`, `SQLITE_NOTADB`, `SQLITE_BUSY` …).
    var code: Int32
    /// SQLite's message.
    var message: String

    var description: String { "\(message) (sqlite code \(code))" }

    /// The file is damaged or is not a database at all.
    var isCorruption: Bool { code == SQLITE_CORRUPT || code == SQLITE_NOTADB }
}

/// One value in or out of SQLite.
enum SQLiteValue: Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Data)
}

/// One result row, with typed accessors that say which column had the wrong type.
struct SQLiteRow {
    /// The values in select-list order.
    var values: [SQLiteValue]

    /// Column `i` as text (nil for NULL); an integer column is converted.
    func text(_ i: Int) -> String? {
        switch values[i] {
        case .text(let s): return s
        case .integer(let n): return String(n)
        case .blob(let d): return String(decoding: d, as: UTF8.self)
        default: return nil
        }
    }

    /// Column `i` as an integer (nil for NULL or non-integer values).
    func int(_ i: Int) -> Int64? {
        if case .integer(let n) = values[i] { return n }
        return nil
    }

    /// Column `i` as bytes (a text column gives its UTF-8; NULL gives nil).
    func blob(_ i: Int) -> Data? {
        switch values[i] {
        case .blob(let d): return d
        case .text(let s): return Data(s.utf8)
        default: return nil
        }
    }
}

/// A thin wrapper over SQLite's C API — open, prepare/bind/step, transactions — turning every failure into a
/// `SQLiteError` carrying SQLite's own message.
///
/// Why the C API and not GRDB: the store needs a handful of statements, one transaction per write and a few
/// pragmas. GRDB would add a large dependency (hundreds of source files, a longer clean build on every machine and
/// in CI) for conveniences — record mapping, observation, migrations — the store does not use; its schema has one
/// version and a hand-written check. The C API is stable, documented and already on every machine through the
/// system library (`libsqlite3-dev`), so this wrapper is about 200 lines that are easy to audit.
///
/// Not thread-safe by itself: a connection belongs to one `VersionStore`, which serialises access.
final class SQLiteConnection {
    /// The database file.
    let path: String
    private var db: OpaquePointer?

    /// Opens `path` read-write (created when `create` is true), with extended result codes off so that codes
    /// compare against the primary `SQLITE_*` constants.
    init(path: String, create: Bool) throws {
        self.path = path
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_FULLMUTEX
        let rc = sqlite3_open_v2(path, &handle, flags, nil)
        guard rc == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_close_v2(handle)
            throw SQLiteError(code: rc & 0xff, message: message)
        }
        db = handle
        sqlite3_busy_timeout(handle, 5000)
    }

    deinit { sqlite3_close_v2(db) }

    /// Whether SQLite opened the file read-only (the operating system refused write access).
    var isReadOnly: Bool { sqlite3_db_readonly(db, "main") == 1 }

    /// The error for the last failed call on this connection.
    func lastError(_ rc: Int32) -> SQLiteError {
        SQLiteError(code: rc & 0xff, message: String(cString: sqlite3_errmsg(db)))
    }

    /// Runs one or more statements without parameters or results.
    func execute(_ sql: String) throws {
        let rc = sqlite3_exec(db, sql, nil, nil, nil)
        if rc != SQLITE_OK { throw lastError(rc) }
    }

    /// Runs one statement with `parameters` bound to `?1 …` and returns every result row.
    @discardableResult
    func rows(_ sql: String, _ parameters: [SQLiteValue] = []) throws -> [SQLiteRow] {
        let statement = try SQLiteStatement(connection: self, handle: db, sql: sql)
        try statement.bind(parameters)
        var result: [SQLiteRow] = []
        while let row = try statement.step() { result.append(row) }
        return result
    }

    /// Runs one statement and returns its first row, if any.
    func row(_ sql: String, _ parameters: [SQLiteValue] = []) throws -> SQLiteRow? {
        try rows(sql, parameters).first
    }

    /// Runs `body` inside `BEGIN IMMEDIATE` … `COMMIT` (the write lock is taken at the start, so two writers
    /// never both read a state and then both write); rolls back when `body` throws.
    @discardableResult
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            if sqlite3_get_autocommit(db) == 0 { sqlite3_exec(db, "ROLLBACK", nil, nil, nil) }
            throw error
        }
    }
}

/// A prepared statement, finalized when released.
final class SQLiteStatement {
    private let connection: SQLiteConnection
    private var handle: OpaquePointer?

    init(connection: SQLiteConnection, handle db: OpaquePointer?, sql: String) throws {
        self.connection = connection
        let rc = sqlite3_prepare_v2(db, sql, -1, &handle, nil)
        if rc != SQLITE_OK { throw connection.lastError(rc) }
    }

    deinit { sqlite3_finalize(handle) }

    /// Binds `values` to parameters 1…n.
    func bind(_ values: [SQLiteValue]) throws {
        for (offset, value) in values.enumerated() {
            let i = Int32(offset + 1)
            let rc: Int32
            switch value {
            case .null: rc = sqlite3_bind_null(handle, i)
            case .integer(let n): rc = sqlite3_bind_int64(handle, i, n)
            case .real(let d): rc = sqlite3_bind_double(handle, i, d)
            case .text(let s): rc = sqlite3_bind_text(handle, i, s, -1, csqlite_transient())
            case .blob(let d):
                if d.isEmpty {
                    rc = sqlite3_bind_zeroblob(handle, i, 0)
                } else {
                    rc = d.withUnsafeBytes { sqlite3_bind_blob(handle, i, $0.baseAddress, Int32($0.count), csqlite_transient()) }
                }
            }
            if rc != SQLITE_OK { throw connection.lastError(rc) }
        }
    }

    /// The next row, or nil when the statement is done.
    func step() throws -> SQLiteRow? {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_DONE { return nil }
        guard rc == SQLITE_ROW else { throw connection.lastError(rc) }
        let count = sqlite3_column_count(handle)
        var values: [SQLiteValue] = []
        values.reserveCapacity(Int(count))
        for c in 0..<count {
            switch sqlite3_column_type(handle, c) {
            case SQLITE_INTEGER: values.append(.integer(sqlite3_column_int64(handle, c)))
            case SQLITE_FLOAT: values.append(.real(sqlite3_column_double(handle, c)))
            case SQLITE_TEXT:
                // Pointer first, then the byte count (the order SQLite documents).
                let p = sqlite3_column_text(handle, c)
                let n = Int(sqlite3_column_bytes(handle, c))
                if let p {
                    values.append(.text(String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)))
                } else {
                    values.append(.text(""))
                }
            case SQLITE_BLOB:
                let p = sqlite3_column_blob(handle, c)
                let n = Int(sqlite3_column_bytes(handle, c))
                values.append(.blob(p.map { Data(bytes: $0, count: n) } ?? Data()))
            default: values.append(.null)
            }
        }
        return SQLiteRow(values: values)
    }
}
