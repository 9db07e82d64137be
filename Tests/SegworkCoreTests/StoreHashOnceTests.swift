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

    /// A workspace with customers, orders and a `tier` criterion (`tiers.yaml`); `broken.yaml` reads the same files
    /// and its criterion fails on the first row. Returns the files written.
    @discardableResult
    private func writeTierWorkspace() throws -> [String: String] {
        func definition(criterion: String) -> String {
            """
            population: customers
            id: customer_id
            datasets:
              customers: { file: data/customers.csv }
              orders: { file: data/orders.csv, schema: { order_date: date, amount: double } }
            features:
              rfm: { transactions: orders, customer: customer_id, date: order_date, amount: amount }
            criteria:
              - plugin: \(criterion)

            """
        }
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
            "plugins/broken.lua": """
                return { api = 1, kind = "criterion", name = "broken", version = "1.0.0",
                  description = "Fails on every row", uses = { "monetary" },
                  assign = function(row) error("broken on purpose") end }

                """,
            "segmentations/broken.yaml": definition(criterion: "broken"),
            "segmentations/tiers.yaml": definition(criterion: "tier"),
        ]
        for (path, text) in files {
            let url = ws.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return files
    }

    func testRecordingARunHashesEachInputOnlyWhileCopyingIt() throws {
        let files = try writeTierWorkspace()
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
            // Named as the user sees it (relative to the current folder when inside it), like every other error.
            $0 == .inputChanged(path: Workspace.display(orders))
        }
        XCTAssertEqual(try history.store.versions().count, versions)
        XCTAssertEqual(try history.store.verifyIntegrity().snapshots, 2)
        XCTAssertEqual(try datasetsFolder().count, 2, "no new snapshot and no temporary file")
    }

    func testARunCopiesItsInputsBeforeTheCriteriaRunAndAFailedRunLeavesNoCopy() throws {
        let files = try writeTierWorkspace()
        let workspace = try Workspace.open(ws.path, environment: ["SEG_BUNDLED_PLUGINS": ""])
        // The hook fires once the inputs are read and hashed, before any criterion: the copies overlap the rest.
        let seen = SeenInputs()
        var options = RunOptions()
        options.inputsRead = { files, inputs in
            seen.append(files.keys.sorted() + inputs.map { "\($0.name) \($0.sha256)" })
        }
        let broken = try XCTUnwrap(workspace.definitions(named: ["broken"]).first)
        XCTAssertThrowsError(try Runner(workspace: workspace).run(broken, options: options))
        let customers = SHA256.hex(files["data/customers.csv"]!), orders = SHA256.hex(files["data/orders.csv"]!)
        XCTAssertEqual(seen.lines, ["customers", "orders", "customers \(customers)", "orders \(orders)"],
                       "called before the failing criterion, with every file and its digest")

        // A failed run removes the copies it started: no snapshot, no temporary file.
        XCTAssertThrowsError(try History.run(workspace, RunRequest(definitions: ["broken"], holder: "test")))
        XCTAssertEqual(try datasetsFolder(), [])

        // A run that succeeds renames its copies into place.
        _ = try History.run(workspace, RunRequest(definitions: ["tiers"], holder: "test"))
        XCTAssertEqual(try datasetsFolder(), ["\(customers).csv", "\(orders).csv"].sorted())
        let store = try VersionStore.open(workspace: ws, create: false)
        XCTAssertEqual(try store.verifyIntegrity().snapshots, 2)
        XCTAssertEqual(try Data(contentsOf: XCTUnwrap(store.snapshotURL(sha256: orders))), Data(files["data/orders.csv"]!.utf8))
    }

    func testAPrefetchedCopyIsTakenOnceAndOneNotTakenIsRemoved() throws {
        let data = content(7)
        let file = try write("orders.csv", data)
        let sha = SHA256.hex(data)
        let inputs = [InputInfo(name: "orders", file: "orders.csv", sha256: sha, rows: 1)]
        let prefetch = SnapshotPrefetch(store: store)
        prefetch.start(files: ["orders": file], inputs: inputs)
        let copy = try XCTUnwrap(prefetch.take(file, sha256: sha))
        XCTAssertEqual(try Data(contentsOf: copy.temp), data)
        XCTAssertNil(prefetch.take(file, sha256: sha), "taken once")
        XCTAssertEqual(try store.snapshot(file: file, sha256: sha, prepared: copy), sha)
        XCTAssertEqual(try datasetsFolder(), ["\(sha).csv"], "the copy was renamed into place")
        XCTAssertEqual(store.bytesHashed, data.count)

        // Bytes the store holds are not copied again; a copy not taken is removed.
        prefetch.start(files: ["orders": file], inputs: inputs)
        XCTAssertNil(prefetch.take(file, sha256: sha))
        let other = try write("other.csv", content(8))
        let otherSHA = SHA256.hex(content(8))
        prefetch.start(files: ["other": other], inputs: [InputInfo(name: "other", file: "other.csv", sha256: otherSHA, rows: 1)])
        prefetch.discardAll()
        XCTAssertEqual(try datasetsFolder(), ["\(sha).csv"])
    }
}

/// What `RunOptions.inputsRead` was called with (the hook is `@Sendable`).
private final class SeenInputs: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    var lines: [String] { lock.withLock { stored } }
    func append(_ more: [String]) { lock.withLock { stored += more } }
}
