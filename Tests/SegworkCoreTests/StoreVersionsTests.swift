import XCTest
import LuaHost
@testable import SegworkCore
@testable import SegworkData

final class StoreVersionsTests: XCTestCase {
    private var ws: URL!

    override func setUpWithError() throws { ws = try StoreFixture.tempWorkspace("versions") }
    override func tearDownWithError() throws { StoreFixture.remove(ws) }

    private func store() throws -> VersionStore { try VersionStore.open(workspace: ws, create: true) }

    func testOpeningCreatesTheLayoutAndSchemaOnlyWhenAsked() throws {
        StoreFixture.assertStoreError(try VersionStore.open(workspace: ws, create: false), "no version store", "seg run") {
            if case .missing = $0 { return true } else { return false }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: ws.appendingPathComponent(".seg").path),
                       "create: false writes nothing")
        let s = try store()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: s.directory.path).sorted(),
                       ["datasets", "store.sqlite"])
        XCTAssertEqual(try s.db.row("SELECT value FROM meta WHERE key = 'schema_version'")?.text(0), "2")
        XCTAssertEqual(try s.db.row("PRAGMA journal_mode")?.text(0), "delete")
        XCTAssertEqual(try s.db.row("PRAGMA synchronous")?.int(0), 2, "synchronous=FULL")
        XCTAssertEqual(try VersionStore.open(workspace: ws, create: false).versionSummaries(), [])
    }

    func testSaveAssignsNumbersAndTimeAndRoundTripsEveryField() throws {
        let s = try store()
        s.now = { Date(timeIntervalSince1970: 1_764_090_540) }
        var draft = StoreFixture.draft()
        draft.number = 99
        draft.createdAt = "ignored"
        let v1 = try s.save(draft)
        XCTAssertEqual(v1.number, 1)
        XCTAssertEqual(v1.id, "v1")
        XCTAssertEqual(v1.createdAt, "2025-11-25T17:09:00Z")
        let v2 = try s.save(StoreFixture.draft(definition: "lifecycle", runID: "77aa00112233"))
        XCTAssertEqual(v2.number, 2)

        let again = try VersionStore.open(workspace: ws, create: false)
        XCTAssertEqual(try again.version("v1"), v1, "every field, blobs and plugin parameters included, survives")
        XCTAssertEqual(try again.versions(), [v1, v2])
        XCTAssertEqual(try again.versions(definition: "lifecycle"), [v2])
        XCTAssertEqual(try again.definitionNames(), ["lifecycle", "rfm"])

        let summaries = try again.versionSummaries()
        XCTAssertEqual(summaries.map(\.id), ["v1", "v2"])
        XCTAssertEqual(summaries[0].membershipSHA256, SHA256.hex(v1.membershipCSV))
        XCTAssertEqual(summaries[0].inputs, v1.inputs)
        XCTAssertEqual(summaries[1].definition, "lifecycle")
        XCTAssertEqual(summaries[1].customers, 3000)
    }

    func testEmptyBlobsAndListsRoundTrip() throws {
        let s = try store()
        var draft = StoreFixture.draft()
        draft.profilesJSON = Data()
        draft.membershipCSV = Data()
        draft.inputs = []
        draft.plugins = []
        let saved = try s.save(draft)
        XCTAssertEqual(try s.version("v1"), saved)
        XCTAssertEqual(saved.membershipSHA256, SHA256.hex(Data()))
    }

    func testAMissingDatasetsFolderIsRecreatedUnderTheLock() throws {
        let s = try store()
        try FileManager.default.removeItem(at: s.datasetsDirectory)
        let lock = try s.lockForWriting(command: "seg import")
        XCTAssertTrue(lock.isHeld)
        XCTAssertTrue(FileManager.default.fileExists(atPath: s.datasetsDirectory.path))
    }

    func testInputsAndPluginsAreStoredAsSortedKeyJSON() throws {
        let s = try store()
        try s.save(StoreFixture.draft())
        let plugins = try XCTUnwrap(s.db.row("SELECT plugins FROM versions")?.text(0))
        XCTAssertTrue(plugins.contains("\"nested\":{\"a\":null,\"z\":1}"), plugins)
        XCTAssertLessThan(try XCTUnwrap(plugins.range(of: "\"bands\"")).lowerBound,
                          try XCTUnwrap(plugins.range(of: "\"cut\"")).lowerBound)
        let inputs = try XCTUnwrap(s.db.row("SELECT inputs FROM versions")?.text(0))
        XCTAssertTrue(inputs.hasPrefix("[{\"file\":\"data/customers.csv\",\"name\":\"customers\""), inputs)
    }

    func testReferencesResolveByNumberRunIDAndLatest() throws {
        let s = try store()
        try s.save(StoreFixture.draft(runID: "3f2a9c01bd77"))                          // v1
        try s.save(StoreFixture.draft(definition: "lifecycle", runID: "3f2a00000000")) // v2
        try s.save(StoreFixture.draft(runID: "9c9c9c9c9c9c"))                          // v3
        try s.save(StoreFixture.draft(runID: "3f2a9c01bd77"))                          // v4: same run as v1
        try s.save(StoreFixture.draft(runID: "123456789012"))                          // v5: all-digit run id

        XCTAssertEqual(try s.version("v3").number, 3)
        XCTAssertEqual(try s.version("3").number, 3)
        XCTAssertEqual(try s.version(" V2 ").number, 2)
        XCTAssertEqual(try s.version("latest").number, 5)
        XCTAssertEqual(try s.version("latest:rfm").number, 5)
        XCTAssertEqual(try s.version("latest:lifecycle").number, 2)
        XCTAssertEqual(try s.version("previous:rfm").number, 4)
        XCTAssertThrowsError(try s.version("previous:lifecycle"), "lifecycle has a single version")
        XCTAssertEqual(try s.version("9c9c").number, 3)
        XCTAssertEqual(try s.version("3f2a9c01bd77").number, 4, "a run stored twice resolves to its latest version")
        XCTAssertEqual(try s.version("3f2a9").number, 4)
        XCTAssertEqual(try s.version("3f2a0").number, 2)
        XCTAssertEqual(try s.version("1234").number, 5, "digits that are no version number are tried as a run id")

        StoreFixture.assertStoreError(try s.version("3f2a"), "ambiguous", "v2 (run 3f2a00000000)", "v4 (run 3f2a9c01bd77)") {
            $0 == .ambiguousVersion("3f2a", matches: ["v2 (run 3f2a00000000)", "v4 (run 3f2a9c01bd77)"])
        }
        StoreFixture.assertStoreError(try s.version("3f2"), "unknown version '3f2'", "v1, v2, v3, v4, v5", "at least 4") {
            $0 == .unknownVersion("3f2", available: ["v1", "v2", "v3", "v4", "v5"])
        }
        StoreFixture.assertStoreError(try s.version("3f2a9c01bd77x"), "unknown version")
        StoreFixture.assertStoreError(try s.version("v9"), "unknown version 'v9'")
        StoreFixture.assertStoreError(try s.version("v1234"), "unknown version 'v1234'")
        StoreFixture.assertStoreError(try s.version("latest:nope"), "latest:lifecycle, latest:rfm") {
            $0 == .unknownVersion("latest:nope", available: ["latest:lifecycle", "latest:rfm"])
        }
    }

    func testPreviousIsTheLatestEarlierVersionOfTheSameDefinition() throws {
        let s = try store()
        let v1 = try s.save(StoreFixture.draft(runID: "aaaa00000001"))
        let v2 = try s.save(StoreFixture.draft(definition: "lifecycle", runID: "bbbb00000001"))
        let v3 = try s.save(StoreFixture.draft(runID: "aaaa00000002"))
        XCTAssertEqual(try s.previous(of: v3), v1)
        XCTAssertNil(try s.previous(of: v1))
        XCTAssertNil(try s.previous(of: v2))
    }

    func testAnEmptyStoreSaysHowToCreateAVersion() throws {
        let s = try store()
        StoreFixture.assertStoreError(try s.version("latest"), "no versions yet", "seg run") {
            $0 == .unknownVersion("latest", available: [])
        }
    }
}
