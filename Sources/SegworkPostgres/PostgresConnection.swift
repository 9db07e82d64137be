// One connection to PostgreSQL through libpq, the server project's own client library: it speaks every
// authentication method and TLS setting the server does, reads ~/.pgpass and PG* variables as psql does, and has
// the COPY protocol, the database's fast path for bulk reads. (postgres-nio has no COPY TO, and would bring
// SwiftNIO's event loops into a synchronous reader.)
//
// Everything runs in one READ ONLY, REPEATABLE READ transaction, so the queries of one dataset (the column types,
// the rows, a push-down's counts) see one snapshot of the database, and a query cannot change it.
import CPostgres
import Foundation
import SegworkData

/// A result column: its name and PostgreSQL type.
public struct PostgresColumn: Sendable, Equatable {
    /// The column's name in the result.
    public var name: String
    /// The type's OID (`pg_type.oid`).
    public var typeOID: UInt32
    /// The type's name (`int8`, `numeric`, `date`, …).
    public var typeName: String

    /// How Segwork reads the column, or nil for a type it cannot read as it is (a timestamp, an array, …).
    /// Integers are integer; floats and numeric are double; bool, date; text-like types (text, varchar, char,
    /// name, uuid, citext, enums) are string.
    public var segworkType: ColumnType? {
        switch typeOID {
        case 20, 21, 23: return .integer               // int8, int2, int4
        case 700, 701, 1700: return .double            // float4, float8, numeric
        case 16: return .bool
        case 1082: return .date
        case 25, 1043, 1042, 19, 2950: return .string  // text, varchar, bpchar, name, uuid
        case 1114, 1184, 1083, 1266, 1186: return nil  // timestamp(tz), time(tz), interval: say how to cast
        default: return typeName.hasPrefix("_") ? nil : .string  // arrays are refused; citext, enums, … are text
        }
    }
}

/// A connection to PostgreSQL for reading one dataset. Not thread-safe; closed by `close()` or when released.
public final class PostgresConnection {
    private var conn: OpaquePointer?
    private let dataset: String
    /// Strings that must never appear in a message: the connection string and its password.
    private let secrets: [String]

    /// Connects with the libpq connection string `url` (a `postgresql://` URI or `key=value` pairs), then opens a
    /// read-only transaction. `dataset` names the dataset in errors. Waits at most 15 s for the server unless the
    /// string sets `connect_timeout`.
    public init(url: String, dataset: String) throws {
        self.dataset = dataset
        var secrets = [url]
        var parseError: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(url, &parseError) else {
            let detail = parseError.map { String(cString: $0) } ?? "not a connection string"
            PQfreemem(parseError)
            throw PostgresError(.configuration, dataset: dataset,
                                "the connection string is malformed (\(Self.masked(Self.scrub(detail, [url])))); write it as "
                                    + "postgresql://user@host:5432/database or host=… dbname=… user=…, and percent-encode "
                                    + "/ @ : % ? # in a user or password (%2F %40 %3A %25 %3F %23)")
        }
        var option = options
        while let keyword = option.pointee.keyword {
            if String(cString: keyword) == "password", let value = option.pointee.val, value.pointee != 0 {
                secrets.append(String(cString: value))
            }
            option += 1
        }
        PQconninfoFree(options)
        self.secrets = secrets.filter { !$0.isEmpty }
        // Our defaults first; the user's string (expanded from "dbname") overrides them.
        let keywords = ["connect_timeout", "fallback_application_name", "client_encoding", "dbname"]
        let values = ["15", "segwork", "UTF8", url]
        conn = Self.withCStrings(keywords) { k in Self.withCStrings(values) { v in PQconnectdbParams(k, v, 1) } }
        guard PQstatus(conn) == CONNECTION_OK else {
            let message = lastMessage()
            let refused = message.contains("password") || message.contains("authentication")
                || PQconnectionNeedsPassword(conn) != 0
            PQfinish(conn); conn = nil
            // libpq checks option values when it connects: "invalid sslmode value", "invalid integer value …".
            if message.hasPrefix("invalid ") {
                throw PostgresError(.configuration, dataset: dataset,
                                    "\(Self.masked(message)); fix that option in the connection string (a / @ : % ? # "
                                        + "in a user or password must be percent-encoded: %2F %40 %3A %25 %3F %23)")
            }
            if refused {
                throw PostgresError(.authentication, dataset: dataset,
                                    "\(message); check the user and password in the connection string (or ~/.pgpass)")
            }
            throw PostgresError(.connection, dataset: dataset,
                                "\(message); check that the server runs and that the host, port and database in the "
                                    + "connection string are right")
        }
        // ISO dates and shortest round-trip floats: the text COPY writes is what Segwork's reader parses.
        try execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL DateStyle = 'ISO, YMD'; "
                    + "SET LOCAL extra_float_digits = 3; SET LOCAL TimeZone = 'UTC'; "
                    // Two reads of one table in one snapshot see its rows in one order (a scan may otherwise
                    // start where another session's scan is).
                    + "SET LOCAL synchronize_seqscans = off")
    }

    deinit { close() }

    /// Ends the transaction and the connection.
    public func close() {
        guard let c = conn else { return }
        PQfinish(c)
        conn = nil
    }

    /// A function that asks the server to cancel the query in flight on this connection, callable from any
    /// thread (libpq's PQcancel, made for signal handlers); it does nothing once the connection is closed.
    public func canceller() -> @Sendable () -> Void {
        guard let handle = PQgetCancel(conn) else { return {} }
        let box = CancelHandle(handle)
        return { box.cancel() }
    }

    /// The server's version (`150018` for 15.18).
    public var serverVersion: Int { Int(PQserverVersion(conn)) }

    /// Runs SQL that returns no rows (or whose rows are ignored).
    public func execute(_ sql: String) throws {
        let result = PQexec(conn, sql)
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else { throw queryError(result) }
    }

    /// The columns `sql` would return, without running it (the server plans it and says).
    public func describe(_ sql: String) throws -> [PostgresColumn] {
        let prepared = PQprepare(conn, "", sql, 0, nil)
        defer { PQclear(prepared) }
        guard PQresultStatus(prepared) == PGRES_COMMAND_OK else { throw queryError(prepared) }
        let described = PQdescribePrepared(conn, "")
        defer { PQclear(described) }
        guard PQresultStatus(described) == PGRES_COMMAND_OK else { throw queryError(described) }
        var columns: [PostgresColumn] = []
        var oids = Set<UInt32>()
        for i in 0..<PQnfields(described) {
            let oid = UInt32(PQftype(described, i))
            oids.insert(oid)
            columns.append(PostgresColumn(name: String(cString: PQfname(described, i)), typeOID: oid, typeName: ""))
        }
        guard !oids.isEmpty else { return columns }
        // The types' names, for the messages and for telling arrays (`_int4`) from text-like types.
        let names = try rows("SELECT oid::int8, typname::text FROM pg_catalog.pg_type WHERE oid IN ("
                             + oids.map(String.init).joined(separator: ",") + ")")
        var byOID: [UInt32: String] = [:]
        for row in names { if let o = row[0].flatMap({ UInt32($0) }), let n = row[1] { byOID[o] = n } }
        for i in columns.indices { columns[i].typeName = byOID[columns[i].typeOID] ?? "oid \(columns[i].typeOID)" }
        return columns
    }

    /// The rows of a small query, as text (nil for NULL).
    public func rows(_ sql: String) throws -> [[String?]] {
        let result = PQexec(conn, sql)
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_TUPLES_OK else { throw queryError(result) }
        return (0..<PQntuples(result)).map { r in
            (0..<PQnfields(result)).map { c in
                PQgetisnull(result, r, c) != 0 ? nil : String(cString: PQgetvalue(result, r, c))
            }
        }
    }

    /// Runs `COPY (<select>) TO STDOUT (FORMAT csv, HEADER true)` and hands the bytes, in blocks of about 1 MiB,
    /// to `write`. Returns the number of bytes. A connection that drops meanwhile is a `.lost` error; `write`'s
    /// errors pass through.
    public func copyCSV(_ select: String, write: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        let started = PQexec(conn, "COPY (\(select)\n) TO STDOUT (FORMAT csv, HEADER true)")
        let status = PQresultStatus(started)
        guard status == PGRES_COPY_OUT else {
            defer { PQclear(started) }
            throw queryError(started)
        }
        PQclear(started)
        var block = [UInt8]()
        block.reserveCapacity(1 << 20 + 65_536)
        var total = 0
        while true {
            var buffer: UnsafeMutablePointer<CChar>?
            let n = PQgetCopyData(conn, &buffer, 0)
            if n > 0, let buffer {
                buffer.withMemoryRebound(to: UInt8.self, capacity: Int(n)) {
                    block.append(contentsOf: UnsafeBufferPointer(start: $0, count: Int(n)))
                }
                PQfreemem(buffer)
                total += Int(n)
                if block.count >= 1 << 20 {
                    try block.withUnsafeBytes { try write($0) }
                    block.removeAll(keepingCapacity: true)
                }
                continue
            }
            if n == -1 { break }  // done: the final result says whether it ended well
            throw PostgresError(.lost, dataset: dataset, "\(lastMessage()); run again when the server is back")
        }
        let finished = PQgetResult(conn)
        defer { PQclear(finished); while let extra = PQgetResult(conn) { PQclear(extra) } }
        guard PQresultStatus(finished) == PGRES_COMMAND_OK else {
            if PQstatus(conn) != CONNECTION_OK {
                throw PostgresError(.lost, dataset: dataset, "\(lastMessage()); run again when the server is back")
            }
            throw queryError(finished)
        }
        if !block.isEmpty { try block.withUnsafeBytes { try write($0) } }
        return total
    }

    /// The error for a failed result: a dropped connection is `.lost`, anything else `.query` with its SQLSTATE.
    private func queryError(_ result: OpaquePointer?) -> PostgresError {
        if PQstatus(conn) != CONNECTION_OK {
            return PostgresError(.lost, dataset: dataset, "\(lastMessage()); run again when the server is back")
        }
        var message = result.flatMap { PQresultErrorMessage($0) }.map { String(cString: $0) } ?? ""
        if message.isEmpty { message = lastMessage() }
        let state = result.flatMap { PQresultErrorField($0, 67 /* PG_DIAG_SQLSTATE, 'C' */) }.map { String(cString: $0) }
        // 57P01-57P03: the server ended the session (shut down, pg_terminate_backend); class 08: the connection.
        if let state, state.hasPrefix("57P") || state.hasPrefix("08") {
            return PostgresError(.lost, dataset: dataset, "\(scrub(message)); run again when the server is back", sqlState: state)
        }
        let advice: String
        switch state {
        case "57014": advice = "; the query ran past statement_timeout (or was cancelled): raise the timeout in the connection string's options, or make the query cheaper"
        case "25006": advice = "; a dataset is read in a read-only transaction, so its query cannot write"
        case "42501": advice = "; grant the user SELECT on it, or connect as a user who may read it"
        case "42P01", "42703", "42883": advice = "; check the names in the dataset's table or query"
        default: advice = ""
        }
        return PostgresError(.query, dataset: dataset, scrub(message) + advice, sqlState: state)
    }

    /// libpq's last message on this connection, on one line, without secrets.
    private func lastMessage() -> String { scrub(PQerrorMessage(conn).map { String(cString: $0) } ?? "unknown error") }

    private func scrub(_ text: String) -> String { Self.scrub(text, secrets) }

    /// `text` with every double-quoted fragment libpq quoted from a connection string hidden, unless it names a
    /// connection option: a string libpq could not parse may have split a password anywhere, so no part of it is
    /// shown ("invalid integer value "…" for connection option "port"").
    static func masked(_ text: String) -> String {
        var keywords = Set<String>()
        if let defaults = PQconndefaults() {
            var option = defaults
            while let k = option.pointee.keyword { keywords.insert(String(cString: k)); option += 1 }
            PQconninfoFree(defaults)
        }
        var out = "", inside = false, fragment = ""
        for ch in text {
            if ch == "\"" {
                if inside { out += keywords.contains(fragment) ? fragment : "…"; out.append(ch); fragment = "" }
                else { out.append(ch) }
                inside.toggle()
            } else if inside { fragment.append(ch) } else { out.append(ch) }
        }
        if inside { out += "…" }
        return out
    }

    /// `text` on one line, trimmed, with every secret replaced by `***`.
    static func scrub(_ text: String, _ secrets: [String]) -> String {
        var out = text
        for secret in secrets.sorted(by: { $0.count > $1.count }) where !secret.isEmpty {
            out = out.replacingOccurrences(of: secret, with: "***")
        }
        return out.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
    }

    private static func withCStrings<R>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        return body(copies.map { UnsafePointer($0) } + [nil])
    }

    /// A double-quoted SQL identifier.
    public static func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A single-quoted SQL string literal.
    public static func literal(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }
}

/// libpq's cancel handle, freed with the last reference.
private final class CancelHandle: @unchecked Sendable {
    private let handle: OpaquePointer
    init(_ handle: OpaquePointer) { self.handle = handle }
    func cancel() {
        var message = [CChar](repeating: 0, count: 256)
        _ = PQcancel(handle, &message, Int32(message.count))
    }
    deinit { PQfreeCancel(handle) }
}
