import CSQLite
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SegworkData

/// A workspace's history: dataset snapshots, plugin sources and immutable segment versions, kept in
/// `<workspace>/.seg/`:
///
/// ```
/// .seg/store.sqlite           the SQLite database (schema below)
/// .seg/store.sqlite-journal   SQLite's rollback journal, present only during a write or after a crash
/// .seg/lock                   flock(2) target of the write lock; holds the holder's pid, command and start time
/// .seg/datasets/<sha256><.ext>  content-addressed, read-only copies of imported and run input files
/// ```
///
/// Schema (version 2; `meta.schema_version`; version 1 lacks the last two tables and is upgraded under the lock):
/// - `meta(key PRIMARY KEY, value)`: `schema_version` = 2, `created_by` (Segwork version), `versions_saved`
///   (how many versions were ever saved — numbers are never reused, and a hand-deleted row is noticed).
/// - `snapshots(path PRIMARY KEY, sha256, bytes, created_at)`: every file under `datasets/`, `path` relative to `.seg/`.
/// - `datasets(id PRIMARY KEY, name, sha256, file, snapshot → snapshots.path, rows NULL, bytes, columns JSON, imported_at)`.
/// - `plugin_sources(sha256 PRIMARY KEY, text)`: plugin files by content, for reproduction.
/// - `versions(number PRIMARY KEY, created_at, definition, definition_text, definition_sha256, run_id, as_of,
///   segwork_version, seed, frozen_time, inputs JSON, plugins JSON, customers, segments, profiles_json BLOB,
///   membership_csv BLOB, profiles_sha256, membership_sha256, record_sha256)`. JSON is `JSONEncoder` with sorted
///   keys; `record_sha256` covers every other column (blobs through their hashes), so any hand edit is detected.
/// - `gate_outcomes(number → versions.number, passed, recorded_at, record_sha256)` and
///   `approvals(number → versions.number, approved_at, command, record_sha256)`: see `VersionStore+Gates.swift`.
///
/// Atomicity: SQLite in rollback-journal mode (`journal_mode=DELETE`) with `synchronous=FULL`; each write is one
/// `BEGIN IMMEDIATE` transaction. The rollback journal is chosen over WAL because a WAL database cannot be opened
/// for reading in a read-only folder once its `-wal`/`-shm` files are gone (a checked-out or mounted workspace),
/// because the store is then one file at rest (copying `.seg/` is a backup), and because writers are already
/// serialised by the workspace lock, so WAL's concurrent readers-during-write buy nothing. Both modes give the
/// same all-or-nothing commit. Snapshot files are written, fsynced and renamed before the row naming them commits.
///
/// Not thread-safe: use one store from one thread at a time (each process opens its own). See docs/STORE.md.
public final class VersionStore {
    /// The newest schema version this code understands. New stores are created as version 2 (version 1 plus the
    /// gate tables; a version 1 store is upgraded under the write lock). The first erasure (`seg forget`) adds its
    /// tables and makes the store version 3 (`erasureSchemaVersion`); the first version with stored export files
    /// adds `version_files` and makes it version 4 (`filesSchemaVersion`, see `VersionStore+Files.swift`).
    public static let schemaVersion = 4

    /// The workspace folder.
    public let root: URL
    /// `<root>/.seg`.
    public let directory: URL
    /// `<root>/.seg/store.sqlite`.
    public let databaseURL: URL
    /// `<root>/.seg/datasets`.
    var datasetsDirectory: URL { directory.appendingPathComponent("datasets") }
    /// `<root>/.seg/lock`.
    var lockURL: URL { directory.appendingPathComponent("lock") }

    let db: SQLiteConnection
    /// The clock (tests may replace it).
    var now: () -> Date = { Date() }
    /// Called with a name at the two moments a crash matters most — `snapshot-renamed` (a snapshot file is in
    /// place, its row not yet committed) and `version-inserted` (the version row is written inside the transaction,
    /// not yet committed) — so the crash tests can kill a writer exactly there. Does nothing by default.
    var checkpoint: (String) -> Void = { _ in }
    /// Bytes of input files this store has read to hash them (when hashing a file and when copying it into a
    /// snapshot), so tests can check that no input is hashed twice.
    var bytesHashed = 0
    /// Whether a path may be written; `access(2)` by default. Tests replace it to simulate a read-only
    /// workspace when running as root, where permission bits do not stop writes.
    var isWritable: (String) -> Bool

    private init(root: URL, db: SQLiteConnection, isWritable: @escaping (String) -> Bool) {
        self.root = root
        self.directory = root.appendingPathComponent(".seg")
        self.databaseURL = directory.appendingPathComponent("store.sqlite")
        self.db = db
        self.isWritable = isWritable
    }

    /// The default writability probe: `access(path, W_OK)`, which also fails on a read-only mount.
    static func accessProbe(_ path: String) -> Bool { access(path, W_OK) == 0 }

    /// Opens `<root>/.seg/store.sqlite`, creating `.seg/` and the schema when missing and `create` is true.
    /// Checks the schema version (a newer one → `.newerSchema`), the expected tables and `PRAGMA quick_check`.
    /// Version checksums are checked when a version is read, and all of them by `verifyIntegrity()`.
    public static func open(workspace root: URL, create: Bool) throws -> VersionStore {
        try open(workspace: root, create: create, isWritable: accessProbe)
    }

    /// `open(workspace:create:)` with an injected writability probe (tests).
    static func open(workspace root: URL, create: Bool, isWritable: @escaping (String) -> Bool) throws -> VersionStore {
        let root = root.standardizedFileURL
        let seg = root.appendingPathComponent(".seg")
        let dbPath = seg.appendingPathComponent("store.sqlite").path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDir), isDir.boolValue else {
            throw StoreError.io(operation: "open the workspace", path: root.path, message: "no such folder")
        }
        // SQLite refuses longer paths with a bare "unable to open database file": say so before creating anything.
        // Its unix VFS resolves symbolic links first, so the resolved path is the one that counts.
        let limit = Int(sqlite3_vfs_find(nil)?.pointee.mxPathname ?? 512)
        let resolvedLength = max(dbPath.utf8.count, seg.resolvingSymlinksInPath().appendingPathComponent("store.sqlite").path.utf8.count)
        if resolvedLength >= limit {
            throw StoreError.pathTooLong(path: dbPath, bytes: resolvedLength, limit: limit - 1)
        }
        // The database and the lock hold customer ids and are written: never through a link leading outside.
        for file in ["store.sqlite", "lock"] {
            try StoreFiles.checkNoLinkOutside(seg.appendingPathComponent(file), root: root)
        }
        let storeExists = FileManager.default.fileExists(atPath: dbPath)
        if !storeExists {
            guard create else { throw StoreError.missing(path: dbPath) }
            let segExists = FileManager.default.fileExists(atPath: seg.path)
            if !segExists && !isWritable(root.path) { throw StoreError.readOnly(path: root.path) }
            if segExists && !isWritable(seg.path) { throw StoreError.readOnly(path: seg.path) }
            try StoreFiles.checkNoLinkOutside(seg.appendingPathComponent("datasets"), root: root)
            try StoreFiles.makeDirectory(seg, storePath: dbPath)
            try StoreFiles.makeDirectory(seg.appendingPathComponent("datasets"), storePath: dbPath)
            try StoreFiles.createOwnerOnly(dbPath)   // SQLite would create it 0644: it holds customer ids
        }
        let db: SQLiteConnection
        do {
            db = try SQLiteConnection(path: dbPath, create: create)
        } catch let e as SQLiteError {
            throw storeError(e, path: dbPath)
        }
        let store = VersionStore(root: root, db: db, isWritable: isWritable)
        try store.sql { try store.prepareSchema(create: create, existed: storeExists) }
        return store
    }

    /// Sets the connection up and checks (or creates) the schema.
    private func prepareSchema(create: Bool, existed: Bool) throws {
        try db.execute("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA cell_size_check=ON; PRAGMA trusted_schema=OFF")
        let tables = Set(try db.rows("SELECT name FROM sqlite_master WHERE type = 'table'").compactMap { $0.text(0) })
        // An existing but empty database is a fresh store killed before its schema was committed — unless there
        // are snapshots beside it, which means a store that had history and was emptied (truncated, replaced).
        let snapshots = (try? FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("datasets").path))?
            .filter { !$0.hasPrefix(".") } ?? []
        if tables.isEmpty, existed, !snapshots.isEmpty {
            throw StoreError.corrupted(path: databaseURL.path,
                                       detail: "the database is empty but \(snapshots.count) dataset snapshots are beside it: the history was truncated or replaced")
        }
        if tables.isEmpty {
            guard create else { throw StoreError.missing(path: databaseURL.path) }
            if !isWritable(databaseURL.path) || db.isReadOnly { throw StoreError.readOnly(path: databaseURL.path) }
            try db.execute("PRAGMA journal_mode=DELETE")
            try db.transaction {
                // Another process may have created the schema between the check above and this write lock.
                guard try db.row("SELECT 1 FROM sqlite_master WHERE name = 'meta'") == nil else { return }
                try db.execute(Self.schemaSQL)
                try db.execute(Self.schema2SQL)
                try db.rows("INSERT INTO meta(key, value) VALUES ('created_by', ?1)", [.text(segworkVersion)])
            }
            return
        }
        guard tables.contains("meta") else {
            throw StoreError.corrupted(path: databaseURL.path,
                                       detail: "it is an SQLite database but not a Segwork store (it has no meta table)")
        }
        let versionText = try db.row("SELECT value FROM meta WHERE key = 'schema_version'")?.text(0)
        guard let versionText, let found = Int(versionText), found >= 1 else {
            throw StoreError.corrupted(path: databaseURL.path,
                                       detail: "meta.schema_version is \(versionText.map { "'\($0)'" } ?? "missing")")
        }
        if found > Self.schemaVersion {
            throw StoreError.newerSchema(path: databaseURL.path, found: found, supported: Self.schemaVersion)
        }
        let missing = (["datasets", "plugin_sources", "snapshots", "versions"] + (found >= 2 ? ["approvals", "gate_outcomes"] : []))
            .filter { !tables.contains($0) }
        if !missing.isEmpty {
            throw StoreError.corrupted(path: databaseURL.path, detail: "tables missing: \(missing.joined(separator: ", "))")
        }
        let erasureTables = ["erasure_rewrites", "erasure_versions", "erasures"]
        if found >= Self.erasureSchemaVersion, case let gone = erasureTables.filter({ !tables.contains($0) }), !gone.isEmpty {
            throw StoreError.corrupted(path: databaseURL.path, detail: "tables missing: \(gone.joined(separator: ", "))")
        }
        if found >= Self.filesSchemaVersion, !tables.contains("version_files") {
            throw StoreError.corrupted(path: databaseURL.path, detail: "tables missing: version_files")
        }
        try quickCheck()
    }

    /// `PRAGMA quick_check`: SQLite's own structural check of every page (without index cross-checks).
    func quickCheck() throws {
        let lines = try db.rows("PRAGMA quick_check").compactMap { $0.text(0) }
        if lines != ["ok"] {
            throw StoreError.corrupted(path: databaseURL.path,
                                       detail: "SQLite's check found: " + lines.prefix(3).joined(separator: "; "))
        }
    }

    static let schemaSQL = """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO meta(key, value) VALUES ('schema_version', '1'), ('versions_saved', '0');
        CREATE TABLE snapshots (path TEXT PRIMARY KEY, sha256 TEXT NOT NULL, bytes INTEGER NOT NULL,
                                created_at TEXT NOT NULL);
        CREATE INDEX snapshots_sha256 ON snapshots(sha256);
        CREATE TABLE datasets (id INTEGER PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL, file TEXT NOT NULL,
                               snapshot TEXT NOT NULL REFERENCES snapshots(path), rows INTEGER,
                               bytes INTEGER NOT NULL, columns TEXT NOT NULL, imported_at TEXT NOT NULL);
        CREATE INDEX datasets_name ON datasets(name, imported_at, id);
        CREATE TABLE plugin_sources (sha256 TEXT PRIMARY KEY, text TEXT NOT NULL);
        CREATE TABLE versions (number INTEGER PRIMARY KEY, created_at TEXT NOT NULL, definition TEXT NOT NULL,
                               definition_text TEXT NOT NULL, definition_sha256 TEXT NOT NULL, run_id TEXT NOT NULL,
                               as_of TEXT NOT NULL, segwork_version TEXT NOT NULL, seed INTEGER NOT NULL,
                               frozen_time INTEGER NOT NULL, inputs TEXT NOT NULL, plugins TEXT NOT NULL,
                               customers INTEGER NOT NULL, segments INTEGER NOT NULL, profiles_json BLOB NOT NULL,
                               membership_csv BLOB NOT NULL, profiles_sha256 TEXT NOT NULL,
                               membership_sha256 TEXT NOT NULL, record_sha256 TEXT NOT NULL);
        CREATE INDEX versions_definition ON versions(definition, number);
        CREATE INDEX versions_run_id ON versions(run_id);
        """

    /// For commands that write. Fails fast with `.readOnly` when the workspace, `.seg/`, `.seg/datasets/` or the
    /// database is not writable (checked with `access(2)`, then by creating/opening the lock file), then takes an
    /// exclusive non-blocking `flock` on `.seg/lock` (`.busy` naming the holder when taken) and writes this
    /// process's pid, `command` and start time into it. Released on `release()` or deinit, and by the operating
    /// system when the process dies. Also removes temporary files a killed writer left in `.seg/datasets/`.
    public func lockForWriting(command: String) throws -> WorkspaceLock {
        for url in [root, directory, databaseURL] where !isWritable(url.path) {
            throw StoreError.readOnly(path: url.path)
        }
        if db.isReadOnly { throw StoreError.readOnly(path: databaseURL.path) }
        try StoreFiles.checkNoLinkOutside(datasetsDirectory, root: root)
        try StoreFiles.makeDirectory(datasetsDirectory, storePath: databaseURL.path)   // in case it was deleted
        if !isWritable(datasetsDirectory.path) { throw StoreError.readOnly(path: datasetsDirectory.path) }
        let lock = try WorkspaceLock.acquire(path: lockURL.path, command: command, now: now())
        StoreFiles.removeTemporaries(in: datasetsDirectory)
        try migrateIfNeeded()   // a schema 1 store becomes schema 2 under the lock, in one transaction
        return lock
    }

    /// Runs `body`, turning SQLite errors into `StoreError`s about this store.
    @discardableResult
    func sql<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as SQLiteError {
            throw Self.storeError(e, path: databaseURL.path)
        }
    }

    /// Maps an SQLite error: damage → `.corrupted`, write refused → `.readOnly`, anything else → `.sqlite`.
    static func storeError(_ e: SQLiteError, path: String) -> StoreError {
        if e.code == SQLITE_NOTADB {
            return .corrupted(path: path, detail: "it is not an SQLite database (\(e.message)); its bytes were overwritten")
        }
        if e.code == SQLITE_CORRUPT { return .corrupted(path: path, detail: e.message) }
        if e.code == SQLITE_READONLY || e.code == SQLITE_PERM { return .readOnly(path: path) }
        return .sqlite(path: path, message: e.message)
    }

    /// The current time for records.
    func timestamp() -> String { StoreFiles.timestamp(now()) }

    /// A JSON text of `value` with sorted keys (the stored form of inputs, plugins and columns).
    static func json<T: Encodable>(_ value: T) throws -> String {
        try JSONOutput.compact(value)
    }

    /// Decodes stored JSON, reporting a failure as damage to `what`.
    func decode<T: Decodable>(_ type: T.Type, _ text: String, _ what: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw StoreError.corrupted(path: databaseURL.path, detail: "\(what) is not valid JSON")
        }
    }
}
