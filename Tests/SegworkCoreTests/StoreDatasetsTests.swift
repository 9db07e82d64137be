import XCTest
@testable import SegworkCore
@testable import SegworkData

final class StoreDatasetsTests: XCTestCase {
    private var ws: URL!
    private var store: VersionStore!

    override func setUpWithError() throws {
        ws = try StoreFixture.tempWorkspace("datasets")
        store = try VersionStore.open(workspace: ws, create: true)
        store.now = { Date(timeIntervalSince1970: 1_764_090_060) }
    }

    override func tearDownWithError() throws { store = nil; StoreFixture.remove(ws) }

    private func write(_ name: String, _ text: String) throws -> URL {
        let url = ws.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    private func snapshotFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: ws.appendingPathComponent(".seg/datasets").path).sorted()
    }

    func testImportSnapshotsTheBytesAndReadsTheShape() throws {
        let text = "customer_id,country,spend\n1,FR,10.5\n2,DE,3\n"
        let file = try write("customers.csv", text)
        let (v, isNew) = try store.importDataset(name: "customers", file: file)
        XCTAssertTrue(isNew)
        let sha = SHA256.hex(text)
        XCTAssertEqual(v, DatasetVersion(name: "customers", sha256: sha, file: file.relativePath,
                                         snapshot: "datasets/\(sha).csv", rows: 2, bytes: text.utf8.count,
                                         columns: ["customer_id", "country", "spend"], importedAt: "2025-11-25T17:01:00Z"))
        let copy = ws.appendingPathComponent(".seg").appendingPathComponent(v.snapshot)
        XCTAssertEqual(try Data(contentsOf: copy), Data(text.utf8))
        XCTAssertEqual(store.snapshotURL(sha256: sha)?.path, copy.path)
        XCTAssertEqual(try store.datasetVersions(name: "customers"), [v])
        XCTAssertEqual(try store.latestDataset(name: "customers"), v)
    }

    func testReimportingIdenticalBytesWritesNothing() throws {
        let file = try write("customers.csv", "id\n1\n")
        let first = try store.importDataset(name: "customers", file: file)
        let before = try Data(contentsOf: store.databaseURL)
        let again = try store.importDataset(name: "customers", file: file)
        XCTAssertFalse(again.isNew)
        XCTAssertEqual(again.version, first.version)
        XCTAssertEqual(try Data(contentsOf: store.databaseURL), before, "the database is untouched")
        XCTAssertEqual(try snapshotFiles(), [SHA256.hex("id\n1\n") + ".csv"])
        XCTAssertEqual(try store.datasetVersions().count, 1)
    }

    func testChangedBytesMakeANewVersionAndGoingBackIsNewAgain() throws {
        let file = try write("customers.csv", "id\n1\n")
        let a = try store.importDataset(name: "customers", file: file).version
        try Data("id\n1\n2\n".utf8).write(to: file)
        let b = try store.importDataset(name: "customers", file: file)
        XCTAssertTrue(b.isNew)
        XCTAssertEqual(b.version.rows, 2)
        try Data("id\n1\n".utf8).write(to: file)
        let c = try store.importDataset(name: "customers", file: file)
        XCTAssertTrue(c.isNew, "the latest version differs, so the old bytes are a new version")
        XCTAssertEqual(c.version.snapshot, a.snapshot, "the snapshot file is shared")
        XCTAssertEqual(try store.datasetVersions(name: "customers").map(\.sha256), [a.sha256, b.version.sha256, a.sha256])
        XCTAssertEqual(try store.latestDataset(name: "customers"), c.version)
        XCTAssertEqual(try snapshotFiles().count, 2)

        let other = try store.importDataset(name: "orders", file: try write("orders.jsonl", "{\"id\":1,\"b\":2}\n"))
        XCTAssertEqual(other.version.columns, ["id", "b"])
        XCTAssertEqual(try store.datasetVersions().map(\.name), ["customers", "customers", "customers", "orders"],
                       "same import time: import order decides")
        XCTAssertEqual(try store.datasetNames(), ["customers", "orders"])
    }

    func testVersionsAreOrderedByImportTimeThenImportOrder() throws {
        store.now = { Date(timeIntervalSince1970: 1_764_090_200) }
        _ = try store.importDataset(name: "a", file: try write("a.csv", "id\n1\n"))
        store.now = { Date(timeIntervalSince1970: 1_764_090_100) }
        _ = try store.importDataset(name: "b", file: try write("b.csv", "id\n2\n"))
        _ = try store.importDataset(name: "c", file: try write("c.csv", "id\n3\n"))
        XCTAssertEqual(try store.datasetVersions().map(\.name), ["b", "c", "a"])
    }

    func testAFileThatIsNotTabularIsStoredWithoutRowsOrColumns() throws {
        let text = "1|promoter|9\n2|detractor|3\n"
        let v = try store.importDataset(name: "survey", file: try write("legacy_survey.dat", text)).version
        XCTAssertNil(v.rows)
        XCTAssertEqual(v.columns, [])
        XCTAssertEqual(v.bytes, text.utf8.count)
        XCTAssertTrue(v.snapshot.hasSuffix(".dat"))
        XCTAssertEqual(try store.latestDataset(name: "survey"), v)
    }

    func testUnknownDatasetsAndBadNames() throws {
        XCTAssertNil(try store.latestDataset(name: "customers"))
        StoreFixture.assertStoreError(try store.datasetVersions(name: "customers"), "nothing has been imported", "seg import")
        _ = try store.importDataset(name: "customers", file: try write("c.csv", "id\n1\n"))
        StoreFixture.assertStoreError(try store.datasetVersions(name: "custmers"), "imported datasets: customers") {
            $0 == .unknownDataset("custmers", available: ["customers"])
        }
        StoreFixture.assertStoreError(try store.importDataset(name: "", file: ws.appendingPathComponent("c.csv")), "invalid dataset name")
        StoreFixture.assertStoreError(try store.importDataset(name: "x", file: ws.appendingPathComponent("missing.csv")),
                                      "cannot read", "missing.csv") {
            if case .io = $0 { return true } else { return false }
        }
    }

    func testRunSnapshotsAreContentAddressedAndIdempotent() throws {
        let file = try write("tx.tsv", "a\tb\n1\t2\n")
        let sha = try store.snapshot(file: file)
        XCTAssertEqual(sha, SHA256.hex("a\tb\n1\t2\n"))
        XCTAssertEqual(store.snapshotURL(sha256: sha)?.lastPathComponent, "\(sha).tsv")
        let before = try Data(contentsOf: store.databaseURL)
        XCTAssertEqual(try store.snapshot(file: file), sha)
        XCTAssertEqual(try Data(contentsOf: store.databaseURL), before, "no-op when present")
        XCTAssertNil(store.snapshotURL(sha256: String(repeating: "0", count: 64)))

        // A deleted snapshot file is rewritten by the next snapshot of the same bytes.
        let url = try XCTUnwrap(store.snapshotURL(sha256: sha))
        try FileManager.default.removeItem(at: url)
        XCTAssertNil(store.snapshotURL(sha256: sha))
        XCTAssertEqual(try store.snapshot(file: file), sha)
        XCTAssertEqual(try Data(contentsOf: url), Data("a\tb\n1\t2\n".utf8))
        XCTAssertEqual(try store.verifyIntegrity().snapshots, 1)
    }

    func testPluginSourcesAreStoredByHash() throws {
        let text = "return { name = 'x' }\n"
        XCTAssertNil(try store.pluginSource(sha256: SHA256.hex(text)))
        try store.storePluginSource(text, sha256: SHA256.hex(text))
        try store.storePluginSource(text, sha256: SHA256.hex(text))
        XCTAssertEqual(try store.pluginSource(sha256: SHA256.hex(text)), text)
        StoreFixture.assertStoreError(try store.storePluginSource(text + " ", sha256: SHA256.hex(text)), "not the expected") {
            if case .hashMismatch = $0 { return true } else { return false }
        }
        XCTAssertEqual(try store.verifyIntegrity().pluginSources, 1)
    }
}
