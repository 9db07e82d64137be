import Foundation
import LuaHost
import SegworkData
import SegworkPostgres

/// What a run recorded of a PostgreSQL dataset (`InputInfo.postgres`): enough to read its snapshot again with the
/// same types, and to ask the database whether it still returns the same rows. Never the connection string.
public struct PostgresInput: Codable, Sendable, Equatable {
    /// The environment variable the connection string came from.
    public var urlEnv: String
    /// The definition's table or query, as written.
    public var source: String
    /// The SELECT whose rows were read (`COPY (<sql>) TO STDOUT`): the definition's, wrapped to fix the column
    /// list, or the push-down's aggregate query.
    public var sql: String
    /// The columns read and their Segwork types, in order.
    public var columns: [PostgresInputColumn]
    /// True when the rows read are the per-customer RFM aggregates (`RFMPushDown`), not the dataset's rows.
    public var pushedDown: Bool
    /// The dataset's rows the aggregates summarise (push-down only).
    public var sourceRows: Int?
    /// The query's own columns, when the aggregates were read instead (push-down only): the pushed-down clean
    /// steps' report is rebuilt from the snapshot with them.
    public var sourceColumns: [PostgresInputColumn]?
}

/// One column a PostgreSQL dataset read: its name, the server's type and how Segwork read it.
public struct PostgresInputColumn: Codable, Sendable, Equatable {
    /// Its name.
    public var name: String
    /// The server's type name (`int8`, `numeric`, `date`, …).
    public var postgresType: String
    /// The Segwork type its values were read as.
    public var type: ColumnType
}

/// A temporary file that is removed when the last reference goes (or when an interruption cleans up).
package final class TemporaryFile: Sendable {
    /// Where it is.
    package let url: URL
    private let token: UUID

    /// Creates an empty file named `name` in a new folder under the system's temporary directory.
    package init(name: String) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("segwork-\(UUID().uuidString)")
        let url = folder.appendingPathComponent(name)
        self.url = url
        token = try Interruption.shared.track(folder) {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false,
                                                    attributes: [.posixPermissions: 0o700])
            guard FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(.fileWriteUnknown)
            }
        }
    }

    deinit {
        Interruption.shared.untrack(token) { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
    }
}

/// A PostgreSQL dataset as read: the table (rows, or the RFM aggregates), its record, the file to snapshot.
struct PostgresRead {
    var table: Table
    var input: InputInfo
    var file: URL
    var temporary: TemporaryFile?
    var origin: String
    /// What the dataset's clean steps did, when they ran in the database.
    var cleaning: (report: DatasetCleaning, rejects: [CleaningReject])?
}

extension DatasetStage {
    /// Why dataset `spec` is read row by row rather than aggregated in the database, or nil when its RFM
    /// aggregates are pushed down. `columns`: the query's columns, when known.
    func pushDownObstacle(_ spec: DatasetSpec, _ pg: PostgresSpec, columns: [PostgresColumn]?) -> String? {
        guard pg.pushDown else { return "push_down: false" }
        guard let rfm = definition.rfm, rfm.transactions == spec.name else { return "it does not feed features.rfm" }
        if spec.name == definition.population || definition.derivedPopulation?.from == spec.name {
            return "it is also the population"
        }
        if spec.join != nil { return "it is also joined onto the customer table" }
        if !spec.pii.isEmpty || !spec.dateFormats.isEmpty || !spec.schema.isEmpty {
            return "its schema: changes how its rows are read"
        }
        guard let columns else { return nil }
        let byName = Dictionary(columns.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for name in [rfm.customer, rfm.date, rfm.amount] + (rfm.order.map { [$0] } ?? []) where byName[name] == nil {
            return "the query has no column '\(name)'"
        }
        if byName[rfm.date]?.segworkType != .date {
            return "column '\(rfm.date)' is \(byName[rfm.date]!.typeName), not date"
        }
        if let t = byName[rfm.amount]?.segworkType, t != .integer && t != .double {
            return "column '\(rfm.amount)' is \(byName[rfm.amount]!.typeName), not a number"
        }
        // char(n): COPY keeps its padding, which a cast to text drops.
        for name in [rfm.customer] + (rfm.order.map { [$0] } ?? []) where byName[name]?.typeName == "bpchar" {
            return "column '\(name)' is char(n); cast it to text in the query"
        }
        if !spec.clean.isEmpty, let why = CleanPushDown.make(spec.clean, described: columns, text: keyColumns(spec)).1 {
            return why
        }
        return nil
    }

    /// Reads PostgreSQL dataset `spec`: from the database, or from its snapshot when `fileOverrides` names one
    /// (`--verify`; `recordedInputs` then says how it was read).
    func readPostgres(_ spec: DatasetSpec, _ pg: PostgresSpec, asOf: CivilDate?, warnings: ReadWarnings) throws -> PostgresRead {
        let origin = "PostgreSQL dataset '\(spec.name)' (\(pg.shown))"
        var record: PostgresInput
        var digest: String
        let url: URL
        var temporary: TemporaryFile?
        if let snapshot = fileOverrides[spec.name], let recorded = recordedInputs[spec.name], let r = recorded.postgres {
            url = snapshot
            record = r
            digest = recorded.sha256
        } else {
            let connection = try Self.connect(pg, dataset: spec.name)
            defer { connection.close() }
            let columns = try connection.describe(pg.select)
            var seen = Set<String>()
            for c in columns where !seen.insert(c.name).inserted {
                throw PostgresError(.query, dataset: spec.name, "the query returns two columns named '\(c.name)'; give one of them another name (AS …)")
            }
            let (sql, read, pushedDown) = try query(spec, pg, columns: columns, asOf: asOf)
            let file = try TemporaryFile(name: "rows.csv")  // in a folder of its own: any dataset name is safe
            temporary = file
            progress?.begin(pushedDown ? "aggregating \(origin) in the database (RFM push-down)" : "reading \(origin)",
                            totalBytes: nil)
            var hash = SHA256()
            guard let handle = try? FileHandle(forWritingTo: file.url) else {
                throw PostgresError(.localFile, dataset: spec.name, "cannot write to the temporary folder \(file.url.deletingLastPathComponent().path); check TMPDIR")
            }
            defer { try? handle.close() }
            // Interrupted (Ctrl-C, SIGTERM), the server is asked to stop the query rather than run it to the end.
            _ = try Interruption.shared.cancelling(with: connection.canceller()) { try connection.copyCSV(sql) { bytes in
                hash.update(bytes: bytes)
                do { try handle.write(contentsOf: Data(bytes)) } catch {
                    throw PostgresError(.localFile, dataset: spec.name, "writing the rows to \(file.url.path) failed (\(error.localizedDescription)); free some space in the temporary folder (TMPDIR)")
                }
            } }
            digest = hash.hexDigest()
            url = file.url
            if !pushedDown, try Self.headerOnly(file.url) {
                throw PostgresError(.query, dataset: spec.name, "the \(pg.shown) returned no rows; check its WHERE clause, or the table")
            }
            record = PostgresInput(urlEnv: pg.urlEnv, source: pg.table ?? pg.select, sql: sql, columns: read,
                                   pushedDown: pushedDown, sourceRows: nil)
            if pushedDown {
                record.sourceColumns = columns.map { PostgresInputColumn(name: $0.name, postgresType: $0.typeName, type: $0.segworkType ?? .string) }
            }
        }
        var options = ReadOptions(textColumns: record.pushedDown ? ["seg_customer"] : keyColumns(spec),
                                  dateFormats: record.pushedDown ? [:] : spec.dateFormats, warnings: warnings,
                                  progress: progress)
        // The server's types, but key columns stay text (as for a file) unless the definition's schema says.
        for c in record.columns where record.pushedDown || !options.textColumns.contains(c.name) { options.schema[c.name] = c.type }
        if !record.pushedDown { for (name, type) in spec.schema { options.schema[name] = type } }
        options.pii = Set(spec.pii)
        options.displayName = origin
        let table = try DataReader.read(path: url.path, options: options)
        progress?.end()
        var cleaning: (DatasetCleaning, [CleaningReject])?
        if record.pushedDown {
            let kindColumn = table["seg_kind"], rowsColumn = table["seg_rows"]
            let kinds = (0..<table.rowCount).map { kindColumn?.string(at: $0) }
            record.sourceRows = (0..<table.rowCount).reduce(0) { $0 + (kinds[$1] == "a" ? Int(rowsColumn?.double(at: $1) ?? 0) : 0) }
            if !spec.clean.isEmpty {
                let text = keyColumns(spec)
                let columns = (record.sourceColumns ?? []).map { ($0.name, text.contains($0.name) ? ColumnType.string : $0.type, $0.postgresType) }
                cleaning = try CleanPushDown(steps: spec.clean, columns: columns)
                    .report(dataset: spec.name, origin: origin, table: table, kinds: kinds)
            }
        }
        var input = InputInfo(name: spec.name, file: "postgres:\(pg.shown)", sha256: digest, rows: table.rowCount)
        input.postgres = record
        return PostgresRead(table: table, input: input, file: url, temporary: temporary, origin: origin, cleaning: cleaning)
    }

    /// The SELECT a run sends for PostgreSQL dataset `spec` (whose query returns `columns`), the columns it reads
    /// and their types, and whether it is the RFM push-down. `seg run --explain` prints the same.
    func query(_ spec: DatasetSpec, _ pg: PostgresSpec, columns: [PostgresColumn], asOf: CivilDate?) throws
        -> (sql: String, read: [PostgresInputColumn], pushedDown: Bool) {
        if pushDownObstacle(spec, pg, columns: columns) == nil, let rfm = definition.rfm {
            let reference = RFMFeature.explicitReference(spec: rfm, asOf: asOf, definitionAsOf: definition.asOf)
            let clean = spec.clean.isEmpty ? nil : CleanPushDown.make(spec.clean, described: columns, text: keyColumns(spec)).0
            let sql = RFMPushDown.sql(select: pg.select, spec: rfm, reference: reference,
                                      amountType: columns.first { $0.name == rfm.amount }?.typeName ?? "float8", clean: clean)
            return (sql, RFMPushDown.columns.map { PostgresInputColumn(name: $0.name, postgresType: $0.postgres, type: $0.type) }, true)
        }
        let read = try columns.map { c in
            guard let type = c.segworkType else {
                let n = c.name
                let cast = c.typeName.hasPrefix("_") ? "array_to_string(\(n), ',') AS \(n)"
                    : c.typeName == "interval" ? "extract(epoch FROM \(n)) AS \(n) for seconds"
                    : "\(n)::date AS \(n) for a date, or \(n)::text"
                throw PostgresError(.type, dataset: spec.name, "column '\(n)' is \(c.typeName), which Segwork does not read; cast it in a query, e.g. \(cast)")
            }
            return PostgresInputColumn(name: c.name, postgresType: c.typeName, type: type)
        }
        return (Self.rowsSQL(pg, columns: read.map { ($0.name, $0.type) }), read, false)
    }

    /// The SELECT that reads a dataset's rows: its columns in order, booleans written true/false (which the reader
    /// takes for bool; COPY writes t and f).
    static func rowsSQL(_ pg: PostgresSpec, columns: [(name: String, type: ColumnType)]) -> String {
        let q = PostgresConnection.quoted
        let list = columns.map { c in
            c.type == .bool ? "CASE WHEN q.\(q(c.name)) THEN 'true' WHEN NOT q.\(q(c.name)) THEN 'false' END AS \(q(c.name))"
                : "q.\(q(c.name))"
        }
        return "SELECT \(list.joined(separator: ", ")) FROM (\n\(pg.select)\n) AS q"
    }

    /// Whether a COPY's CSV holds its header line and nothing after it.
    static func headerOnly(_ url: URL) throws -> Bool {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        let head = try handle.read(upToCount: 1 << 16) ?? Data()
        guard let newline = head.firstIndex(of: 0x0A) else { return head.count < 1 << 16 }
        return newline == head.count - 1 && head.count < 1 << 16
    }

    /// A connection for `pg`, from the environment variable it names.
    static func connect(_ pg: PostgresSpec, dataset: String,
                        environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PostgresConnection {
        guard let url = environment[pg.urlEnv], !url.isEmpty else {
            throw PostgresError(.configuration, dataset: dataset, "the environment variable \(pg.urlEnv) is not set; set it to the connection string, e.g. export \(pg.urlEnv)=postgresql://user@host:5432/database (the password can also come from ~/.pgpass or PGPASSWORD)")
        }
        return try PostgresConnection(url: url, dataset: dataset)
    }
}

/// What `seg run --explain` prints: for each PostgreSQL dataset of the definitions, whether its RFM aggregates are
/// pushed down (and if not, why), and the SQL a run would send. It connects only to learn the columns' types.
public enum PostgresExplain {
    /// The explanation for `definitions` (all when empty) of `workspace`, with the reference date `asOf`.
    public static func text(_ workspace: Workspace, definitions names: [String], asOf: CivilDate?) throws -> String {
        var out: [String] = []
        for definition in try workspace.definitions(named: names) {
            let stage = DatasetStage(workspace: workspace, definition: definition, catalog: workspace.catalog,
                                     environment: PluginEnvironment(limits: workspace.limits), fileOverrides: [:])
            for spec in definition.datasets {
                guard let pg = spec.postgres else { continue }
                let connection = try DatasetStage.connect(pg, dataset: spec.name)
                defer { connection.close() }
                let columns = try connection.describe(pg.select)
                out.append("-- \(definition.name): dataset '\(spec.name)' (\(pg.shown), connection from $\(pg.urlEnv))")
                let (sql, _, pushedDown) = try stage.query(spec, pg, columns: columns, asOf: asOf)
                if let why = stage.pushDownObstacle(spec, pg, columns: columns) {
                    out.append("-- every row is read: no push-down because \(why)")
                } else if pushedDown {
                    out.append("-- pushed down: one row per customer with the RFM aggregates (features.rfm)"
                               + (spec.clean.isEmpty ? "" : ", after its \(spec.clean.count) clean steps, in the database"))
                }
                out.append("COPY (\(sql)\n) TO STDOUT (FORMAT csv, HEADER true);")
                out.append("")
            }
        }
        return out.isEmpty ? "No dataset of these definitions reads PostgreSQL; nothing to explain.\n" : out.joined(separator: "\n")
    }
}
