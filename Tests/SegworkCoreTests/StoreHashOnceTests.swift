import XCTest
@testable import SegworkCore
@testable import SegworkData

/// A run hashes each input once: the store takes the run's digest instead of hashing the file again, hashes a new
/// snapshot only while copying it, and refuses (leaving nothing behind) an input that changed since the run read it.
final class StoreHashOnceTests: XCTestCase {
    private var ws: URL!
    private var store: VersionStore!

    override func setUpWithError() throws {
        ws = try StoreFixture.tempWorkspace("hashonce")
        store = try VersionStore.open(workspace: ws, create: true)
    }

    override func tearDownWithError() throws { store = nil; StoreFixture.remove(ws) }

    private func write(_ name: String, _ data: Data) throws -> URL {
        let url = ws.appendingPathComponent(name)
        try data.write(to: url)
        return url
    }

    private func datasetsFolder() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: ws.appendingPathComponent(".seg/datasets").path).sorted()
    }

    /// Bytes spanning several read chunks of the copy, so a short copy would show.
    private func content(_ tag: UInt8) -> Data {
        let block = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31) ^ tag })
        var data = Data(capacity: StoreFiles.chunkSize + 12_345)
        while data.count + block.count <= StoreFiles.chunkSize { data.append(block) }
        data.append(block.prefix(12_345 % 4096))
        data.append(contentsOf: [tag, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14])
        return data
    }

    func testTheRunsDigestIsHashedOnlyWhileCopyingAndNeverAgain() throws {
        let data = content(1)
        let file = try write("transactions.csv", data)
        let sha = SHA256.hex(data)
        XCTAssertEqual(store.bytesHashed, 0)
        XCTAssertEqual(try store.snapshot(file: file, sha256: sha), sha)
        XCTAssertEqual(store.bytesHashed, data.count, "a new snapshot is hashed once, while it is copied")
        XCTAssertEqual(try Data(contentsOf: XCTUnwrap(store.snapshotURL(sha256: sha, extension: "csv"))), data)
        XCTAssertEqual(try store.verifyIntegrity().snapshots, 1)

        XCTAssertEqual(try store.snapshot(file: file, sha256: sha), sha)
        XCTAssertEqual(store.bytesHashed, data.count, "a stored snapshot with the run's digest is not hashed again")

        // Without a digest the store has to hash the file itself (once) to find its address.
        XCTAssertEqual(try store.snapshot(file: file), sha)
        XCTAssertEqual(store.bytesHashed, 2 * data.count)
    }

    func testAnInputThatChangedSinceTheRunReadItIsRefusedAndNothingIsLeft() throws {
        let original = content(2)
        let file = try write("customers.csv", original)
        let readByTheRun = SHA256.hex(original)
        let rewritten = content(3)
        try rewritten.write(to: file) // another process rewrites the file before the run stores it
        StoreFixture.assertStoreError(try store.snapshot(file: file, sha256: readByTheRun),
                                      "customers.csv", "changed while seg was running", "Run again") {
            $0 == .inputChanged(path: file.path)
        }
        XCTAssertEqual(try datasetsFolder(), [], "no snapshot and no temporary file")
        XCTAssertNil(store.snapshotURL(sha256: readByTheRun))
        XCTAssertEqual(try store.verifyIntegrity().snapshots, 0)

        // Run again: the new bytes are stored under their own digest.
        let now = SHA256.hex(rewritten)
        XCTAssertEqual(try store.snapshot(file: file, sha256: now), now)
        XCTAssertEqual(try datasetsFolder(), ["\(now).csv"])
    }

    func testBothCopyPathsWriteTheSameBytesAndRefuseAChangedSource() throws {
        let data = content(5)
        let file = try write("orders.csv", data)
        let sha = SHA256.hex(data)
        for kernel in [true, false] {
            let out = ws.appendingPathComponent("copy-\(kernel).csv")
            XCTAssertEqual(try StoreFiles.durableCopy(file, to: out, expected: sha, kernel: kernel), data.count)
            XCTAssertEqual(try Data(contentsOf: out), data, "kernel: \(kernel)")
            let refused = ws.appendingPathComponent("refused-\(kernel).csv")
            XCTAssertThrowsError(try StoreFiles.durableCopy(file, to: refused, expected: SHA256.hex(content(6)), kernel: kernel)) {
                XCTAssertEqual($0 as? StoreError, .inputChanged(path: file.path))
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: refused.path))
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: ws.path).filter { $0.hasPrefix(".tmp-") }
        XCTAssertEqual(leftovers, [], "a refused copy leaves no temporary file")
    }

    func testImportHashesOnceToCompareAndOnceWhileCopying() throws {
        // Binary content: a file for a source plugin (a .csv is first read as a run would read it and refused).
        let data = content(4)
        let file = try write("orders.bin", data)
        let first = try store.importDataset(name: "orders", file: file)
        XCTAssertTrue(first.isNew)
        XCTAssertEqual(first.version.bytes, data.count)
        XCTAssertEqual(store.bytesHashed, 2 * data.count)
        XCTAssertFalse(try store.importDataset(name: "orders", file: file).isNew)
        XCTAssertEqual(store.bytesHashed, 3 * data.count, "the same bytes again: hashed to compare, not copied")
    }

    func testRecordingARunHashesEachInputOnlyWhileCopyingIt() throws {
        let files = [
            "workspace.yaml": "plugins: [plugins]\n",
            "data/customers.csv": "customer_id,age\na,30\nb,40\nc,50\n",
            "data/orders.csv": "order_id,customer_id,order_date,amount\n1,a,2024-01-10,150\n2,b,2024-02-10,50\n",
            "plugins/tier.lua": """
                return { api = 1, kind = "criterion", name = "tier", version = "1.0.0",
                  description = "Gold from a spend threshold", uses = { "monetary" },
                  assign = function(row) if row.monetary == nil then return nil end
                    if row.monetary >= 100 then return "Gold" end return "Basic" end }

                """,
            "segmentations/tiers.yaml": """
                population: customers
                id: customer_id
                datasets:
                  customers: { file: data/customers.csv }
                  orders: { file: data/orders.csv, schema: { order_date: date, amount: double } }
                features:
                  rfm: { transactions: orders, customer: customer_id, date: order_date, amount: amount }
                criteria:
                  - plugin: tier

                """,
        ]
        for (path, text) in files {
            let url = ws.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        let inputBytes = files["data/customers.csv"]!.utf8.count + files["data/orders.csv"]!.utf8.count
        let workspace = try Workspace.open(ws.path, environment: ["SEG_BUNDLED_PLUGINS": ""])
        let history = try History(workspace: workspace, create: true)
        let runner = Runner(workspace: workspace)
        let definition = try XCTUnwrap(workspace.definitions(named: ["tiers"]).first)

        _ = try history.record(try runner.run(definition, options: RunOptions()))
        XCTAssertEqual(history.store.bytesHashed, inputBytes, "first run: each input hashed once, while it is copied")
        XCTAssertEqual(try history.store.verifyIntegrity().snapshots, 2)
        _ = try history.record(try runner.run(definition, options: RunOptions()))
        XCTAssertEqual(history.store.bytesHashed, inputBytes, "second run: stored inputs are not hashed again")

        // New orders, rewritten again after the run read them (before it is recorded): refused, nothing stored.
        let orders = ws.appendingPathComponent("data/orders.csv")
        try Data((files["data/orders.csv"]! + "3,c,2024-03-01,20\n").utf8).write(to: orders)
        let result = try runner.run(definition, options: RunOptions())
        try Data((files["data/orders.csv"]! + "3,c,2024-03-01,25\n").utf8).write(to: orders)
        let versions = try history.store.versions().count
        StoreFixture.assertStoreError(try history.record(result), "orders.csv", "changed while seg was running") {
            if case .inputChanged = $0 { return true } else { return false }
        }
        XCTAssertEqual(try history.store.versions().count, versions)
        XCTAssertEqual(try history.store.verifyIntegrity().snapshots, 2)
        XCTAssertEqual(try datasetsFolder().count, 2, "no new snapshot and no temporary file")
    }
}
