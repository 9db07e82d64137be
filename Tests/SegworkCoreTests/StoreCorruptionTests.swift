import XCTest
@testable import SegworkCore
@testable import SegworkData

/// Hand-edited or damaged stores are detected, and the message says what is wrong and what to do.
final class StoreCorruptionTests: XCTestCase {
    private var ws: URL!
    private var dbPath: String { ws.appendingPathComponent(".seg/store.sqlite").path }

    override func setUpWithError() throws {
        ws = try StoreFixture.tempWorkspace("corrupt")
        let s = try VersionStore.open(workspace: ws, create: true)
        try s.save(StoreFixture.draft(runID: "aaaa00000001"))
        try s.save(StoreFixture.draft(runID: "aaaa00000002"))
        let file = ws.appendingPathComponent("customers.csv")
        try Data("id\n1\n2\n".utf8).write(to: file)
        _ = try s.importDataset(name: "customers", file: file)
        try s.storePluginSource("return {}\n", sha256: SHA256.hex("return {}\n"))
        XCTAssertEqual(try s.verifyIntegrity(), IntegrityReport(versions: 2, datasets: 1, snapshots: 1, pluginSources: 1))
    }

    override func tearDownWithError() throws { StoreFixture.remove(ws) }

    /// Runs SQL on the store the way someone with the sqlite3 command line would.
    private func handEdit(_ sql: String) throws {
        try SQLiteConnection(path: dbPath, create: false).execute(sql)
    }

    private func open() throws -> VersionStore { try VersionStore.open(workspace: ws, create: false) }

    private func isCorrupted(_ e: StoreError) -> Bool {
        if case .corrupted(let path, _) = e { return path == dbPath }
        return false
    }

    private let repair = "move it aside (mv .seg .seg.broken)"

    func testGarbageBytesOverTheDatabaseAreDetectedOnOpen() throws {
        let garbage = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) })
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: dbPath))
        try handle.write(contentsOf: garbage)
        try handle.close()
        StoreFixture.assertStoreError(try open(), "not an SQLite database", "Restore the workspace's .seg/", repair, check: isCorrupted)
    }

    func testDamagedPagesInsideTheDatabaseAreDetected() throws {
        // Overwrite the middle of the file (b-tree pages of the versions table), keeping the header intact.
        let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: dbPath)[.size] as? Int)
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: dbPath))
        try handle.seek(toOffset: UInt64(size / 2))
        try handle.write(contentsOf: Data(repeating: 0xA5, count: 8192))
        try handle.close()
        StoreFixture.assertStoreError(try open().verifyIntegrity(), repair, check: isCorrupted)
    }

    func testABlobChangedBySQLIsDetectedWhenReadAndByTheFullCheck() throws {
        try handEdit("UPDATE versions SET membership_csv = CAST('customer_id,segment\nc1,VIP\n' AS BLOB) WHERE number = 1")
        let s = try open()
        StoreFixture.assertStoreError(try s.version("v1"), "membership.csv of version v1 does not match its checksum", repair,
                                      check: isCorrupted)
        StoreFixture.assertStoreError(try s.versions(), "version v1", check: isCorrupted)
        StoreFixture.assertStoreError(try s.verifyIntegrity(), "version v1", check: isCorrupted)
        XCTAssertEqual(try s.version("v2").number, 2, "the undamaged version still reads")
    }

    func testChangedMetadataIsDetectedEvenInSummaries() throws {
        try handEdit("UPDATE versions SET customers = 5, segments = 2 WHERE number = 2")
        let s = try open()
        StoreFixture.assertStoreError(try s.versionSummaries(), "metadata of version v2 does not match its checksum",
                                      check: isCorrupted)
        try handEdit("UPDATE versions SET customers = 3000, segments = 7 WHERE number = 2")
        XCTAssertEqual(try s.versionSummaries().count, 2, "putting the values back makes it valid again")
        try handEdit("UPDATE versions SET definition_text = 'population: everyone' WHERE number = 2")
        StoreFixture.assertStoreError(try s.version("v2"), "metadata of version v2", check: isCorrupted)
    }

    func testARecomputedBlobChecksumIsStillCaughtByTheRecordChecksum() throws {
        let blob = "x\n"
        try handEdit("UPDATE versions SET profiles_json = CAST('\(blob)' AS BLOB), profiles_sha256 = '\(SHA256.hex(blob))' WHERE number = 1")
        StoreFixture.assertStoreError(try open().version("v1"), "metadata of version v1", check: isCorrupted)
    }

    func testDeletedVersionsAreDetected() throws {
        try handEdit("DELETE FROM versions WHERE number = 2")
        StoreFixture.assertStoreError(try open().verifyIntegrity(), "2 versions were saved but 1 are present", check: isCorrupted)
        let s = try open()
        XCTAssertEqual(try s.save(StoreFixture.draft()).number, 3, "numbers are never reused")
        try handEdit("DELETE FROM versions WHERE number = 1")
        StoreFixture.assertStoreError(try open().verifyIntegrity(), "version v1 is missing", check: isCorrupted)
    }

    func testANewerSchemaAsksToUpgradeSegwork() throws {
        try handEdit("UPDATE meta SET value = '5' WHERE key = 'schema_version'")
        StoreFixture.assertStoreError(try open(), "schema version 5", "understands up to 4", "Upgrade Segwork") {
            $0 == .newerSchema(path: self.dbPath, found: 5, supported: 4)
        }
        // Version 4 adds version_files (the first version with stored export files) to version 3's tables.
        try handEdit("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
        StoreFixture.assertStoreError(try open(), "tables missing: erasure_rewrites, erasure_versions, erasures", check: isCorrupted)
        // Version 3 is version 2 plus the erasure tables (added by the first erasure): without them it is damaged.
        try handEdit("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
        StoreFixture.assertStoreError(try open(), "tables missing: erasure_rewrites, erasure_versions, erasures", check: isCorrupted)
        try handEdit("UPDATE meta SET value = 'one' WHERE key = 'schema_version'")
        StoreFixture.assertStoreError(try open(), "meta.schema_version is 'one'", check: isCorrupted)
        try handEdit("DROP TABLE meta")
        StoreFixture.assertStoreError(try open(), "not a Segwork store", check: isCorrupted)
    }

    func testAMissingTableIsDetected() throws {
        try handEdit("DROP TABLE plugin_sources")
        StoreFixture.assertStoreError(try open(), "tables missing: plugin_sources", check: isCorrupted)
    }

    func testAModifiedOrDeletedSnapshotIsDetected() throws {
        let s = try open()
        let sha = SHA256.hex("id\n1\n2\n")
        let url = try XCTUnwrap(s.snapshotURL(sha256: sha))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: url.path)
        try Data("id\n1\n3\n".utf8).write(to: url)
        StoreFixture.assertStoreError(try s.verifyIntegrity(), "snapshot file .seg/datasets/\(sha).csv was modified", repair,
                                      check: isCorrupted)
        try FileManager.default.removeItem(at: url)
        StoreFixture.assertStoreError(try s.verifyIntegrity(), "snapshot file .seg/datasets/\(sha).csv is missing",
                                      check: isCorrupted)
    }

    func testAChangedPluginSourceOrDatasetRowIsDetected() throws {
        try handEdit("UPDATE plugin_sources SET text = 'return { evil = true }'")
        let s = try open()
        StoreFixture.assertStoreError(try s.pluginSource(sha256: SHA256.hex("return {}\n")), "plugin source", check: isCorrupted)
        StoreFixture.assertStoreError(try s.verifyIntegrity(), "plugin source", check: isCorrupted)
        try handEdit("DELETE FROM plugin_sources; UPDATE datasets SET sha256 = '\(String(repeating: "0", count: 64))'")
        StoreFixture.assertStoreError(try s.verifyIntegrity(), "dataset 'customers'", "holds other bytes", check: isCorrupted)
    }

    func testAFileWhereSegBelongsIsReported() throws {
        let other = try StoreFixture.tempWorkspace("segfile")
        defer { StoreFixture.remove(other) }
        try Data("not a folder".utf8).write(to: other.appendingPathComponent(".seg"))
        StoreFixture.assertStoreError(try VersionStore.open(workspace: other, create: true), "is a file where a folder belongs") {
            if case .corrupted = $0 { return true } else { return false }
        }
    }
}
