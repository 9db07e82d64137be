import Foundation
import LuaHost
import SegworkData

/// The files a version's exports are made from, beyond `profiles.json` and `membership.csv`: the cleaning report
/// (`cleaning.json`), the rejected rows (`rejects.csv`) and the report's chart data (`report-data.json`).
///
/// Table `version_files(number → versions.number, name, bytes, sha256)`, one row per file, written in the version's
/// own transaction, so a version has all its files or none. Each file's SHA-256 is checked when it is read and by
/// `verifyIntegrity`. The table is created with the first version that has such files, which makes the store
/// schema version 4 (`filesSchemaVersion`): Segwork before 0.4.0 then refuses the store instead of erasing a
/// customer (`seg forget`) from some of its copies and not others.
extension VersionStore {
    /// The schema version of a store that has `version_files`.
    static let filesSchemaVersion = 4

    /// The names a version may store, in the order `seg export` lists them.
    public static let storedFileNames = ["cleaning.json", "notes.txt", "rejects.csv", "report-data.json"]

    /// The first Segwork version that keeps `report-data.json` (and the other files) with every version.
    public static let filesSince = SemanticVersion(0, 4, 0)

    /// Whether a version recorded by Segwork `version` has its files stored (0.4.0 and later; a version that is not
    /// a semantic version counts as current).
    public static func keepsFiles(_ version: String) -> Bool {
        SemanticVersion(version).map { $0 >= filesSince } ?? true
    }

    static let filesSchemaSQL = """
        CREATE TABLE IF NOT EXISTS version_files (number INTEGER NOT NULL REFERENCES versions(number),
                                                  name TEXT NOT NULL, bytes BLOB NOT NULL, sha256 TEXT NOT NULL,
                                                  PRIMARY KEY (number, name));
        UPDATE meta SET value = '4' WHERE key = 'schema_version' AND CAST(value AS INTEGER) < 4;
        """

    /// Whether the `version_files` table exists.
    var hasFilesTable: Bool {
        ((try? sql { try db.row("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'version_files'") }) ?? nil) != nil
    }

    /// Inserts `files` for version `number`; call inside the version's transaction.
    func insertFiles(_ files: [String: Data], number: Int) throws {
        guard !files.isEmpty else { return }
        try db.execute(Self.erasureSchemaSQL)   // a version 4 store has every table of version 3
        try db.execute(Self.filesSchemaSQL)
        for name in files.keys.sorted() {
            precondition(Self.storedFileNames.contains(name), "version_files: unknown file \(name)")
            try db.rows("INSERT INTO version_files(number, name, bytes, sha256) VALUES (?1, ?2, ?3, ?4)",
                        [.integer(Int64(number)), .text(name), .blob(files[name]!), .text(SHA256.hex(files[name]!))])
        }
    }

    /// The files stored with version `number`, by name (empty for versions recorded before Segwork 0.4.0 and for
    /// runs without cleaning or report data). Each is checked against its SHA-256.
    public func files(of number: Int) throws -> [String: Data] {
        guard hasFilesTable else { return [:] }
        let rows = try sql {
            try db.rows("SELECT name, bytes, sha256 FROM version_files WHERE number = ?1 ORDER BY name", [.integer(Int64(number))])
        }
        var out: [String: Data] = [:]
        for row in rows {
            guard let name = row.text(0), let sha = row.text(2) else { throw damaged("a stored file of version v\(number) has a missing field") }
            let bytes = row.blob(1) ?? Data()
            guard SHA256.hex(bytes) == sha else {
                throw damaged("the stored \(name) of version v\(number) no longer hashes to \(sha.prefix(12))… (edited by hand)")
            }
            out[name] = bytes
        }
        return out
    }

    /// Replaces a stored file of version `number` (an erasure removing rejected rows); call inside a transaction.
    func replaceFile(_ name: String, of number: Int, with bytes: Data) throws {
        try db.rows("UPDATE version_files SET bytes = ?3, sha256 = ?4 WHERE number = ?1 AND name = ?2",
                    [.integer(Int64(number)), .text(name), .blob(bytes), .text(SHA256.hex(bytes))])
    }

    /// The files stored with version `v`, checked: each against its SHA-256, and the set against what its run
    /// writes (a version of Segwork 0.4.0 or later has `report-data.json`; `cleaning.json` and `rejects.csv` come
    /// together). A missing row is damage, reported as such, never a file silently left out of a rebuild.
    public func files(of v: VersionRecord) throws -> [String: Data] {
        try checkedFiles(number: v.number, segworkVersion: v.segworkVersion)
    }

    func checkedFiles(number: Int, segworkVersion: String) throws -> [String: Data] {
        let files = try files(of: number)
        // A store Segwork 0.4.0 wrote to has the table (schema 4 requires it); one without never kept files.
        guard Self.keepsFiles(segworkVersion), hasFilesTable else { return files }
        if files["report-data.json"] == nil {
            throw damaged("version v\(number) was recorded by Segwork \(segworkVersion) but its stored report-data.json is missing (deleted by hand?)")
        }
        if (files["cleaning.json"] == nil) != (files["rejects.csv"] == nil) {
            throw damaged("version v\(number) has \(files["cleaning.json"] == nil ? "rejects.csv but no cleaning.json" : "cleaning.json but no rejects.csv") stored (deleted by hand?)")
        }
        return files
    }

    /// `verifyIntegrity`'s part: every stored file hashes to its recorded SHA-256, and every version recorded by
    /// Segwork 0.4.0 or later has its files (`files(of:)`).
    func verifyFiles() throws {
        guard hasFilesTable else { return }
        for v in try versionSummaries() { _ = try checkedFiles(number: v.number, segworkVersion: v.segworkVersion) }
    }
}

extension VersionStore {
    /// Removes, from every version's stored `rejects.csv`, the rows naming a (dataset, line) whose record an erasure
    /// removed from the snapshot that version read (as `seg forget` does in the export folders), in one transaction.
    /// Returns how many rows were removed. Running it again removes nothing more.
    func eraseStoredRejects() throws -> Int {
        guard hasFilesTable else { return 0 }
        let numbers = try sql {
            try db.rows("SELECT number FROM version_files WHERE name = 'rejects.csv' ORDER BY number").compactMap { $0.int(0) }
        }
        var changed: [(Int, Data)] = []
        var removed = 0
        for n in numbers.map(Int.init) {
            guard let rejects = try files(of: n)["rejects.csv"],
                  let summary = try versionSummaries().first(where: { $0.number == n }) else { continue }
            var lines: [String: Set<Int>] = [:]
            for input in summary.inputs { lines[input.name] = try erasedLines(ofSnapshot: input.sha256) }
            guard lines.values.contains(where: { !$0.isEmpty }) else { continue }
            let r = Self.filterRejects(rejects, erasedLines: lines)
            if !r.removed.isEmpty { changed.append((n, r.data)); removed += r.removed.count }
        }
        guard !changed.isEmpty else { return 0 }
        try sql { try db.transaction { for (n, data) in changed { try replaceFile("rejects.csv", of: n, with: data) } } }
        return removed
    }

    /// `rejects.csv` without the rows whose (dataset, line) is in `erasedLines`.
    static func filterRejects(_ rejects: Data, erasedLines lines: [String: Set<Int>]) -> RecordFilter.Result {
        RecordFilter.delimited(rejects, delimiter: UInt8(ascii: ",")) { header, fields in
            guard fields.count >= 2, header.first == "dataset",
                  let line = Int(String(decoding: fields[1], as: UTF8.self)),
                  lines[String(decoding: fields[0], as: UTF8.self)]?.contains(line) == true else { return nil }
            return -1
        }
    }
}
