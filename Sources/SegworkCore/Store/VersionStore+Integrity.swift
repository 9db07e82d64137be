import Foundation
import SegworkData

extension VersionStore {
    /// Checks the whole store and throws `.corrupted` (saying what is wrong) at the first problem:
    /// `PRAGMA quick_check` and `foreign_key_check`; every version's blobs and metadata against their checksums
    /// (one version in memory at a time); version numbers 1…n without gaps, n matching the count of versions ever
    /// saved; every recorded snapshot file present with the recorded size and SHA-256; every dataset version
    /// pointing at a snapshot of its own SHA-256; every plugin source hashing to its key.
    @discardableResult
    public func verifyIntegrity() throws -> IntegrityReport {
        try quickCheck()
        if let problem = try sql({ try db.row("PRAGMA foreign_key_check") }) {
            throw damaged("table \(problem.text(0) ?? "?") row \(problem.text(1) ?? "?") refers to a missing \(problem.text(2) ?? "row")")
        }

        let numbers = try sql { try db.rows("SELECT number FROM versions ORDER BY number").map { $0.int(0) ?? -1 } }
        for (index, number) in numbers.enumerated() where number != Int64(index + 1) {
            throw damaged("version v\(index + 1) is missing (found v\(number) in its place); versions were deleted by hand")
        }
        let saved = Int(try sql { try db.row("SELECT value FROM meta WHERE key = 'versions_saved'")?.text(0) } ?? "") ?? -1
        if saved != numbers.count {
            throw damaged("\(saved) versions were saved but \(numbers.count) are present; the latest were deleted by hand")
        }
        for number in numbers {
            guard let row = try sql({ try db.row("SELECT \(Self.recordColumns) FROM versions WHERE number = ?1",
                                                 [.integer(number)]) }) else { continue }
            _ = try decodeRecord(row)
        }

        try verifyGateRecords()
        try verifyFiles()
        let snapshots = try sql { try db.rows("SELECT path, sha256, bytes FROM snapshots ORDER BY path") }
        var shaOfPath: [String: String] = [:]
        for row in snapshots {
            guard let relative = row.text(0), let sha = row.text(1), let bytes = row.int(2) else {
                throw damaged("a snapshot row has a missing or mistyped field")
            }
            let url = directory.appendingPathComponent(relative)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw damaged("the snapshot file .seg/\(relative) is missing (deleted by hand?)")
            }
            let actual = try StoreFiles.hash(url)
            if actual.sha256 != sha || actual.bytes != Int(bytes) {
                throw damaged("the snapshot file .seg/\(relative) was modified: it no longer hashes to \(sha.prefix(12))…")
            }
            shaOfPath[relative] = sha
        }

        let datasets = try sql { try db.rows("SELECT id, name, sha256, snapshot FROM datasets ORDER BY id") }
        for row in datasets {
            guard let name = row.text(1), let sha = row.text(2), let snapshot = row.text(3) else {
                throw damaged("dataset row \(row.text(0) ?? "?") has a missing field")
            }
            if shaOfPath[snapshot] != sha {
                throw damaged("dataset '\(name)' (\(sha.prefix(12))…) points at snapshot .seg/\(snapshot), which holds other bytes")
            }
        }

        let sources = try sql { try db.rows("SELECT sha256, text FROM plugin_sources ORDER BY sha256") }
        for row in sources {
            guard let sha = row.text(0), let text = row.text(1), SHA256.hex(text) == sha else {
                throw damaged("the stored plugin source \(row.text(0)?.prefix(12) ?? "?")… was changed")
            }
        }
        try verifyErasures()
        return IntegrityReport(versions: numbers.count, datasets: datasets.count, snapshots: snapshots.count,
                               pluginSources: sources.count)
    }
}
