import XCTest
@testable import SegworkCore

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

    func testImportHashesOnceToCompareAndOnceWhileCopying() throws {
        let data = content(4)
        let file = try write("orders.csv", data)
        let first = try store.importDataset(name: "orders", file: file)
        XCTAssertTrue(first.isNew)
        XCTAssertEqual(first.version.bytes, data.count)
        XCTAssertEqual(store.bytesHashed, 2 * data.count)
        XCTAssertFalse(try store.importDataset(name: "orders", file: file).isNew)
        XCTAssertEqual(store.bytesHashed, 3 * data.count, "the same bytes again: hashed to compare, not copied")
    }
}
