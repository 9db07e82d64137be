import XCTest
@testable import SegworkCore
@testable import SegworkData

/// The files kept with a version (`version_files`): saved in the version's transaction, read back checked, caught by
/// the integrity check when edited, and the schema version they need.
final class StoreFilesTests: XCTestCase {
    private var ws: URL!
    private var dbPath: String { ws.appendingPathComponent(".seg/store.sqlite").path }

    override func setUpWithError() throws { ws = try StoreFixture.tempWorkspace("files") }
    override func tearDownWithError() throws { StoreFixture.remove(ws) }

    private func schemaVersion() throws -> String? {
        try SQLiteConnection(path: dbPath, create: false).row("SELECT value FROM meta WHERE key = 'schema_version'")?.text(0)
    }

    func testFilesAreKeptWithTheirVersionAndChecked() throws {
        let s = try VersionStore.open(workspace: ws, create: true)
        var old = StoreFixture.draft(runID: "aaaa00000001")
        old.segworkVersion = "0.3.0"   // recorded before versions kept files
        let plain = try s.save(old)
        XCTAssertEqual(try s.files(of: plain), [:], "a version without files")
        XCTAssertEqual(try schemaVersion(), "2", "a store without stored files stays readable by older Segwork")

        let files = ["cleaning.json": Data("{\"format_version\" : 1}\n".utf8), "rejects.csv": Data("dataset,line,column,rule,value\n".utf8),
                     "report-data.json": Data("{}\n".utf8)]
        let v = try s.save(StoreFixture.draft(runID: "aaaa00000002"), files: files)
        XCTAssertEqual(try s.files(of: v), files)
        XCTAssertEqual(try schemaVersion(), "4")
        XCTAssertNoThrow(try VersionStore.open(workspace: ws, create: false).verifyIntegrity())

        try SQLiteConnection(path: dbPath, create: false)
            .execute("UPDATE version_files SET bytes = X'7B7D0A0A' WHERE name = 'report-data.json'")
        let reopened = try VersionStore.open(workspace: ws, create: false)
        StoreFixture.assertStoreError(try reopened.files(of: v), "stored report-data.json of version v2", "edited by hand") {
            if case .corrupted = $0 { return true }; return false
        }
        StoreFixture.assertStoreError(try reopened.verifyIntegrity(), "stored report-data.json of version v2") {
            if case .corrupted = $0 { return true }; return false
        }
    }

    func testAMissingFileIsDamageNotAFileLeftOut() throws {
        let s = try VersionStore.open(workspace: ws, create: true)
        let files = ["cleaning.json": Data("{}\n".utf8), "rejects.csv": Data("x\n".utf8), "report-data.json": Data("{}\n".utf8)]
        let v = try s.save(StoreFixture.draft(runID: "aaaa00000001"), files: files)
        for (name, says) in [("rejects.csv", "cleaning.json but no rejects.csv"), ("report-data.json", "report-data.json is missing")] {
            try SQLiteConnection(path: dbPath, create: false).execute("DELETE FROM version_files WHERE name = '\(name)'")
            let reopened = try VersionStore.open(workspace: ws, create: false)
            StoreFixture.assertStoreError(try reopened.files(of: v), says) { if case .corrupted = $0 { return true }; return false }
            StoreFixture.assertStoreError(try reopened.verifyIntegrity(), says) { if case .corrupted = $0 { return true }; return false }
        }
    }

    func testAVersionFourStoreWithoutItsTableIsDamaged() throws {
        let s = try VersionStore.open(workspace: ws, create: true)
        try s.save(StoreFixture.draft(runID: "aaaa00000001"), files: ["rejects.csv": Data("x\n".utf8)])
        try SQLiteConnection(path: dbPath, create: false).execute("DROP TABLE version_files")
        StoreFixture.assertStoreError(try VersionStore.open(workspace: ws, create: false), "tables missing: version_files") {
            if case .corrupted = $0 { return true }; return false
        }
    }

    func testAnErasureDoesNotLowerTheSchemaVersion() throws {
        let s = try VersionStore.open(workspace: ws, create: true)
        try s.save(StoreFixture.draft(runID: "aaaa00000001"), files: ["rejects.csv": Data("x\n".utf8)])
        try SQLiteConnection(path: dbPath, create: false).execute(VersionStore.erasureSchemaSQL)
        XCTAssertEqual(try schemaVersion(), "4")
    }
}
