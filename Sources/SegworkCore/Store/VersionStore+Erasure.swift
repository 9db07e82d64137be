import Foundation
import SegworkData
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One erasure (`seg forget`) as the store's audit keeps it: never the ids, only their salted hashes, with times
/// and counts. See docs/PRIVACY.md, "Erasure".
public struct ErasureRecord: Sendable, Equatable {
    /// Sequential number (`erasure #1`, …).
    public var number: Int
    /// When it started, ISO 8601 UTC.
    public var startedAt: String
    /// When it completed; nil while it is incomplete (interrupted: run `seg forget DIR` again to complete it).
    public var completedAt: String?
    /// The environment variable the salt came from (its name; the salt itself is never stored).
    public var saltVariable: String
    /// A fingerprint of the salt (`IDHasher.fingerprint`), to tell whether a later run has the same salt.
    public var saltFingerprint: String
    /// HMAC-SHA256(salt, id) of each id asked for, 64 hex digits, sorted. Their first 16 digits are the ids' hashes
    /// in exports written with `--hash-ids` and the same salt.
    public var idHashes: [String]
    /// Records removed per id (aligned with `idHashes`): rows of snapshots, stored memberships and exports.
    public var found: [Int]
    /// What was changed.
    public var counts: ErasureCounts

    /// `erasure #3`.
    public var id: String { "erasure #\(number)" }
}

/// What one erasure changed.
public struct ErasureCounts: Codable, Sendable, Equatable {
    /// Dataset snapshots rewritten (each gets a new content address).
    public var snapshotsRewritten = 0
    /// Rows removed from them.
    public var snapshotRows = 0
    /// Versions whose stored membership or input snapshots changed.
    public var versionsChanged = 0
    /// Rows removed from stored memberships.
    public var membershipRows = 0
    /// Export folders rewritten (membership.csv, rejects.csv).
    public var exportFolders = 0
    /// Rows removed from exported files.
    public var exportRows = 0
    /// Diff folders removed because they compare a changed version.
    public var diffFolders = 0
    /// Old snapshot files deleted.
    public var filesDeleted = 0

    /// Creates zero counts.
    public init() {}

    /// The sum of two counts.
    static func + (a: ErasureCounts, b: ErasureCounts) -> ErasureCounts {
        var c = a
        c.snapshotsRewritten += b.snapshotsRewritten; c.snapshotRows += b.snapshotRows
        c.versionsChanged += b.versionsChanged; c.membershipRows += b.membershipRows
        c.exportFolders += b.exportFolders; c.exportRows += b.exportRows
        c.diffFolders += b.diffFolders; c.filesDeleted += b.filesDeleted
        return c
    }
}

/// A snapshot rewritten without some customers: the old file, the new content-addressed file, what was removed.
struct SnapshotRewrite: Sendable, Equatable {
    var oldPath: String
    var oldSHA256: String
    var newPath: String
    var newSHA256: String
    var newBytes: Int
    /// Removed records as (first line, line count) in the old file.
    var removedSpans: [[Int]]
}

/// A version whose stored membership lost rows, or whose inputs were rewritten.
struct VersionErasure: Sendable, Equatable {
    var number: Int
    /// The membership without the customers; nil when it did not change.
    var membership: Data?
    var membershipRows: Int
    var inputsRewritten: Int
}

extension VersionStore {
    /// The schema version of a store that has erasure tables (`erasures`, `erasure_rewrites`,
    /// `erasure_versions`). A store becomes version 3 with its first erasure (after the gate tables of version 2,
    /// which the write lock adds first); stores without one stay version 2, so older Segwork keeps reading them.
    static let erasureSchemaVersion = 3

    static let erasureSchemaSQL = """
        CREATE TABLE IF NOT EXISTS erasures (number INTEGER PRIMARY KEY, started_at TEXT NOT NULL, completed_at TEXT,
                                             salt_env TEXT NOT NULL, salt_fingerprint TEXT NOT NULL,
                                             id_hashes TEXT NOT NULL, found TEXT NOT NULL, counts TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS erasure_rewrites (id INTEGER PRIMARY KEY, erasure INTEGER NOT NULL REFERENCES erasures(number),
                                                     old_path TEXT NOT NULL, old_sha256 TEXT NOT NULL,
                                                     new_path TEXT NOT NULL, new_sha256 TEXT NOT NULL,
                                                     rows_removed INTEGER NOT NULL, removed_lines TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS erasure_versions (erasure INTEGER NOT NULL REFERENCES erasures(number),
                                                     number INTEGER NOT NULL REFERENCES versions(number),
                                                     membership_rows INTEGER NOT NULL, inputs_rewritten INTEGER NOT NULL,
                                                     PRIMARY KEY (erasure, number));
        UPDATE meta SET value = '3' WHERE key = 'schema_version' AND CAST(value AS INTEGER) < 3;
        """

    /// Whether the erasure tables exist.
    var hasErasureTables: Bool {
        ((try? sql { try db.row("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'erasures'") }) ?? nil) != nil
    }

    /// Every erasure, oldest first (empty when there was none).
    public func erasures() throws -> [ErasureRecord] {
        guard hasErasureTables else { return [] }
        return try sql {
            try db.rows("SELECT number, started_at, completed_at, salt_env, salt_fingerprint, id_hashes, found, counts FROM erasures ORDER BY number")
        }.map(decodeErasure)
    }

    /// Erasures that were interrupted (started, not completed).
    public func incompleteErasures() throws -> [ErasureRecord] { try erasures().filter { $0.completedAt == nil } }

    /// The erasures that changed version `number` (its membership or its input snapshots), oldest first.
    public func erasures(affecting number: Int) throws -> [ErasureRecord] {
        guard hasErasureTables else { return [] }
        let numbers = Set(try sql {
            try db.rows("SELECT erasure FROM erasure_versions WHERE number = ?1", [.integer(Int64(number))]).compactMap { $0.int(0) }
        }.map(Int.init))
        return try erasures().filter { numbers.contains($0.number) }
    }

    /// Version numbers an erasure changed.
    func versionsChanged(by erasure: Int) throws -> Set<Int> {
        guard hasErasureTables else { return [] }
        return Set(try sql {
            try db.rows("SELECT number FROM erasure_versions WHERE erasure = ?1", [.integer(Int64(erasure))]).compactMap { $0.int(0) }
        }.map(Int.init))
    }

    /// Starts an erasure: creates the erasure tables when missing (schema version 2), turns on SQLite's
    /// `secure_delete` (freed pages are overwritten, so removed rows do not linger in the database file), and inserts
    /// the audit row, incomplete. Committed before anything is changed, so an interrupted erasure is visible.
    func beginErasure(idHashes: [String], saltVariable: String, saltFingerprint: String) throws -> ErasureRecord {
        try sql {
            try db.execute("PRAGMA secure_delete=ON")
            return try db.transaction {
                try db.execute(Self.erasureSchemaSQL)
                let number = (try db.row("SELECT COALESCE(MAX(number), 0) + 1 FROM erasures")?.int(0)).map(Int.init) ?? 1
                let record = ErasureRecord(number: number, startedAt: timestamp(), completedAt: nil, saltVariable: saltVariable,
                                           saltFingerprint: saltFingerprint, idHashes: idHashes,
                                           found: Array(repeating: 0, count: idHashes.count), counts: ErasureCounts())
                try db.rows("""
                    INSERT INTO erasures (number, started_at, completed_at, salt_env, salt_fingerprint, id_hashes, found, counts)
                    VALUES (?1, ?2, NULL, ?3, ?4, ?5, ?6, ?7)
                    """, [.integer(Int64(number)), .text(record.startedAt), .text(saltVariable), .text(saltFingerprint),
                          .text(try Self.json(idHashes)), .text(try Self.json(record.found)), .text(try Self.json(record.counts))])
                return record
            }
        }
    }

    /// Writes `data` as the content-addressed snapshot `datasets/<sha256>.<ext>` (temporary file, fsync, rename,
    /// folder fsync) unless a file of that hash is there. Nothing is recorded: `applyErasure` does that.
    func writeSnapshot(_ data: Data, extension ext: String) throws -> (path: String, sha256: String) {
        let sha = SHA256.hex(data)
        let relative = "datasets/\(sha)" + (ext.isEmpty ? "" : ".\(ext)")
        let url = directory.appendingPathComponent(relative)
        if let existing = try? StoreFiles.hash(url), existing.sha256 == sha { return (relative, sha) }
        let temp = datasetsDirectory.appendingPathComponent(".tmp-\(UUID().uuidString)")
        if let (operation, code) = writeDurably(data, temp: temp.path, destination: url.path) {
            throw StoreFiles.error(operation, operation == "rename into place" ? url.path : temp.path, code)
        }
        try StoreFiles.syncDirectory(datasetsDirectory)
        checkpoint("erasure-snapshot-written")
        return (relative, sha)
    }

    /// Deletes the audit row of an erasure that changed nothing (refused while planning).
    func discardErasure(_ number: Int) throws {
        try sql {
            try db.transaction {
                let used = try db.row("SELECT 1 FROM erasure_rewrites WHERE erasure = ?1 UNION SELECT 1 FROM erasure_versions WHERE erasure = ?1",
                                      [.integer(Int64(number))])
                if used == nil {
                    try db.rows("DELETE FROM erasures WHERE number = ?1 AND completed_at IS NULL", [.integer(Int64(number))])
                }
            }
        }
    }

    /// Records one pass of an erasure in a single transaction: new snapshots recorded, dataset versions pointed at
    /// them, old snapshot rows dropped, the rewrites logged (old hash → new hash), changed memberships stored with
    /// new checksums, the changed versions marked, and the audit row's counts added to. A crash leaves all of it or
    /// none of it. The old snapshot files are deleted afterwards (`removeUnreferencedSnapshots`).
    func applyErasure(_ erasure: Int, rewrites: [SnapshotRewrite], versions: [VersionErasure],
                      found: [Int], counts: ErasureCounts) throws {
        try sql {
            // Also here: completing an interrupted erasure does not pass through `beginErasure`.
            try db.execute("PRAGMA secure_delete=ON")
            try db.transaction {
                let now = timestamp()
                for r in rewrites {
                    try db.rows("INSERT OR IGNORE INTO snapshots (path, sha256, bytes, created_at) VALUES (?1, ?2, ?3, ?4)",
                                [.text(r.newPath), .text(r.newSHA256), .integer(Int64(r.newBytes)), .text(now)])
                    let removed = Int64(r.removedSpans.count)
                    try db.rows("""
                        UPDATE datasets SET sha256 = ?2, snapshot = ?3, bytes = ?4,
                            rows = CASE WHEN rows IS NULL THEN NULL ELSE MAX(rows - ?5, 0) END
                        WHERE snapshot = ?1
                        """, [.text(r.oldPath), .text(r.newSHA256), .text(r.newPath), .integer(Int64(r.newBytes)), .integer(removed)])
                    try db.rows("""
                        INSERT INTO erasure_rewrites (erasure, old_path, old_sha256, new_path, new_sha256, rows_removed, removed_lines)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                        """, [.integer(Int64(erasure)), .text(r.oldPath), .text(r.oldSHA256), .text(r.newPath),
                              .text(r.newSHA256), .integer(removed), .text(try Self.json(r.removedSpans))])
                    if r.oldPath != r.newPath { try db.rows("DELETE FROM snapshots WHERE path = ?1", [.text(r.oldPath)]) }
                }
                for v in versions {
                    if let membership = v.membership { try replaceMembership(number: v.number, membership) }
                    try db.rows("""
                        INSERT INTO erasure_versions (erasure, number, membership_rows, inputs_rewritten) VALUES (?1, ?2, ?3, ?4)
                        ON CONFLICT (erasure, number) DO UPDATE SET membership_rows = membership_rows + ?3,
                            inputs_rewritten = inputs_rewritten + ?4
                        """, [.integer(Int64(erasure)), .integer(Int64(v.number)), .integer(Int64(v.membershipRows)),
                              .integer(Int64(v.inputsRewritten))])
                }
                try addToErasure(erasure, found: found, counts: counts)
                checkpoint("erasure-applied")
            }
        }
    }

    /// Adds `found` and `counts` to an erasure's audit row; with `complete`, also sets its completion time.
    func addToErasure(_ erasure: Int, found: [Int], counts: ErasureCounts, complete: Bool = false) throws {
        let body = {
            guard let row = try self.db.row("SELECT found, counts FROM erasures WHERE number = ?1", [.integer(Int64(erasure))]),
                  let f = row.text(0), let c = row.text(1) else { throw self.damaged("erasure #\(erasure) is missing") }
            var total = try self.decode([Int].self, f, "the counts of erasure #\(erasure)")
            for (i, n) in found.enumerated() where i < total.count { total[i] += n }
            let sum = try self.decode(ErasureCounts.self, c, "the counts of erasure #\(erasure)") + counts
            try self.db.rows("UPDATE erasures SET found = ?2, counts = ?3, completed_at = CASE WHEN ?4 THEN ?5 ELSE completed_at END WHERE number = ?1",
                             [.integer(Int64(erasure)), .text(try Self.json(total)), .text(try Self.json(sum)),
                              .integer(complete ? 1 : 0), .text(self.timestamp())])
        }
        if complete { try sql { try db.transaction(body) } } else { try body() }
    }

    /// Replaces a version's membership blob and recomputes its checksums. The row is checked against its old
    /// checksums first, so damage is reported rather than made to look valid.
    private func replaceMembership(number: Int, _ membership: Data) throws {
        guard let row = try db.row("SELECT \(Self.recordColumns) FROM versions WHERE number = ?1", [.integer(Int64(number))]) else {
            throw damaged("version v\(number) disappeared during an erasure")
        }
        let r = try decodeRecord(row)
        let membershipSHA = SHA256.hex(membership)
        let checksum = Self.recordChecksum([
            String(r.number), r.createdAt, r.definition, r.definitionText, r.definitionSHA256, r.runID, r.asOf,
            r.segworkVersion, String(r.seed), String(r.frozenTime), row.text(9) ?? "", row.text(10) ?? "",
            String(r.customers), String(r.segments), r.profilesSHA256, membershipSHA,
        ])
        try db.rows("UPDATE versions SET membership_csv = ?2, membership_sha256 = ?3, record_sha256 = ?4 WHERE number = ?1",
                    [.integer(Int64(number)), .blob(membership), .text(membershipSHA), .text(checksum)])
    }

    /// Deletes every file in `.seg/datasets/` that no snapshot row names: old snapshots an erasure replaced, and
    /// complete copies a killed writer left unrecorded (which may hold erased customers too). Only under the write
    /// lock. Returns how many were deleted.
    func removeUnreferencedSnapshots() throws -> Int {
        let recorded = Set(try sql { try db.rows("SELECT path FROM snapshots").compactMap { $0.text(0) } })
        let names = (try? FileManager.default.contentsOfDirectory(atPath: datasetsDirectory.path)) ?? []
        var deleted = 0
        for name in names.sorted() where !name.hasPrefix(".") && !recorded.contains("datasets/\(name)") {
            if unlink(datasetsDirectory.appendingPathComponent(name).path) == 0 { deleted += 1 }
        }
        if deleted > 0 { try StoreFiles.syncDirectory(datasetsDirectory) }
        return deleted
    }

    /// The hash of the snapshot that now holds what the snapshot `sha256` held: `sha256` itself, or, when erasures
    /// rewrote it (maybe several times), the hash of the latest rewrite.
    func currentSHA256(of sha256: String) throws -> String {
        guard hasErasureTables else { return sha256 }
        let rows = try sql { try db.rows("SELECT old_sha256, new_sha256 FROM erasure_rewrites ORDER BY id") }
        var current = sha256
        for row in rows where row.text(0) == current { current = row.text(1) ?? current }
        return current
    }

    /// Lines (in the coordinates of the snapshot with hash `sha256`, as a run read it) of records that erasures
    /// removed from it or from the snapshots it was rewritten into: what `rejects.csv` of that run may name.
    func erasedLines(ofSnapshot sha256: String) throws -> Set<Int> {
        guard hasErasureTables else { return [] }
        let rows = try sql { try db.rows("SELECT old_sha256, new_sha256, removed_lines FROM erasure_rewrites ORDER BY id") }
        var spansOf: [String: [[Int]]] = [sha256: []]   // removed spans so far, in the original's coordinates
        var lines = Set<Int>()
        for row in rows {
            guard let old = row.text(0), let new = row.text(1), let text = row.text(2), let earlier = spansOf[old] else { continue }
            let spans = try decode([[Int]].self, text, "the removed lines of a snapshot rewrite")
            var mapped: [[Int]] = []
            for span in spans where span.count == 2 {
                var line = span[0]
                for s in earlier where s[0] <= line { line += s[1] }
                mapped.append([line, span[1]])
                lines.insert(line)
            }
            spansOf[new] = (earlier + mapped).sorted { $0[0] < $1[0] }
        }
        return lines
    }

    /// Checks the erasure tables (part of `verifyIntegrity()`): every rewrite's new snapshot is recorded or was
    /// itself rewritten later, every changed version exists, and the audit rows decode.
    func verifyErasures() throws {
        guard hasErasureTables else { return }
        _ = try erasures()
        let snapshots = Set(try sql { try db.rows("SELECT path FROM snapshots").compactMap { $0.text(0) } })
        let rewrites = try sql { try db.rows("SELECT erasure, old_path, new_path FROM erasure_rewrites ORDER BY id") }
        let rewrittenAgain = Set(rewrites.compactMap { $0.text(1) })
        for row in rewrites {
            guard let new = row.text(2) else { throw damaged("a snapshot rewrite has no new path") }
            if !snapshots.contains(new) && !rewrittenAgain.contains(new) {
                throw damaged("erasure #\(row.text(0) ?? "?") rewrote a snapshot into .seg/\(new), which is not recorded")
            }
        }
    }

    private func decodeErasure(_ row: SQLiteRow) throws -> ErasureRecord {
        guard let number = row.int(0), let started = row.text(1), let saltEnv = row.text(3), let fingerprint = row.text(4),
              let hashes = row.text(5), let found = row.text(6), let counts = row.text(7) else {
            throw damaged("an erasure row has a missing or mistyped field")
        }
        return ErasureRecord(number: Int(number), startedAt: started, completedAt: row.text(2), saltVariable: saltEnv,
                             saltFingerprint: fingerprint, idHashes: try decode([String].self, hashes, "erasure #\(number)"),
                             found: try decode([Int].self, found, "erasure #\(number)"),
                             counts: try decode(ErasureCounts.self, counts, "erasure #\(number)"))
    }
}

/// Writes `data` to the new file `temp` (mode 0444), fsyncs it and renames it to `destination` (replacing a file
/// there). Returns the failed operation and `errno`, or nil; the temporary file is removed on failure.
private func writeDurably(_ data: Data, temp: String, destination: String) -> (String, Int32)? {
    let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o444)
    if fd < 0 { return ("create the file", errno) }
    var failure: (String, Int32)?
    data.withUnsafeBytes { raw in
        var offset = 0
        while failure == nil, offset < raw.count {
            let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
            if n < 0 { if errno != EINTR { failure = ("write", errno) } } else { offset += n }
        }
    }
    if failure == nil, fsync(fd) != 0 { failure = ("sync", errno) }
    close(fd)
    if failure == nil, rename(temp, destination) != 0 { failure = ("rename into place", errno) }
    if failure != nil { unlink(temp) }
    return failure
}
