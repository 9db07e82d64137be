import XCTest
@testable import SegworkCore
@testable import SegworkData
#if canImport(Glibc)
import Glibc
#endif

/// A writer killed with SIGKILL — at the two moments that matter most, and at random moments — leaves the
/// previous state or the complete new version, never anything between.
final class StoreCrashTests: XCTestCase {
    private var dir: URL!
    private var ws: URL { dir.appendingPathComponent("ws") }
    private var datasets: URL { ws.appendingPathComponent(".seg/datasets") }

    override func setUpWithError() throws {
        dir = try StoreFixture.tempWorkspace("crash")
        try FileManager.default.createDirectory(at: ws, withIntermediateDirectories: true)
        _ = try VersionStore.open(workspace: ws, create: true)
    }

    override func tearDownWithError() throws { StoreFixture.remove(dir) }

    /// Checks that every version is complete (blobs and snapshot are what the writer derived from its run id)
    /// and numbered 1…n; returns n.
    private func checkStore(_ context: String) throws -> Int {
        let store = try VersionStore.open(workspace: ws, create: false)
        XCTAssertNoThrow(try store.verifyIntegrity(), context)
        let versions = try store.versions()
        XCTAssertEqual(versions.map(\.number), (0..<versions.count).map { $0 + 1 }, context)
        for v in versions {
            XCTAssertEqual(v.membershipCSV, StoreFixture.membership(runID: v.runID, rows: v.customers), "\(v.id) \(context)")
            XCTAssertEqual(v.profilesJSON, StoreFixture.profiles(runID: v.runID), "\(v.id) \(context)")
            let sha = try XCTUnwrap(v.inputs.first?.sha256)
            let snapshot = try XCTUnwrap(store.snapshotURL(sha256: sha), "\(v.id): its snapshot was committed first")
            XCTAssertEqual(try StoreFiles.hash(snapshot).sha256, sha, "\(v.id) \(context)")
        }
        return versions.count
    }

    private func temporaries() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: datasets.path).filter { $0.hasPrefix(".tmp-") }
    }

    /// The writer kills itself at its second pass through a checkpoint: exactly one version (the first) is stored.
    func testAKillAtEitherCriticalMomentKeepsOnlyCommittedVersions() throws {
        var count = 0
        for point in ["version-inserted", "snapshot-renamed"] {
            let log = dir.appendingPathComponent("saver-\(point).log")
            let child = try StoreFixture.spawnChild(role: "saver", dir: dir, log: log,
                                                    environment: ["SEG_STORE_KILL_AT": "\(point):2"])
            child.waitUntilExit()
            XCTAssertEqual(child.terminationReason, .uncaughtSignal, "killed at \(point): \(StoreFixture.log(log))")
            XCTAssertEqual(child.terminationStatus, SIGKILL)
            if point == "version-inserted" {
                XCTAssertTrue(FileManager.default.fileExists(atPath: ws.appendingPathComponent(".seg/store.sqlite-journal").path),
                              "the uncommitted transaction left SQLite's journal behind")
            }
            let now = try checkStore("after a kill at \(point)")
            XCTAssertEqual(now, count + 1, "only the first version of that writer was committed (killed at \(point))")
            count = now
        }
        // The second kill left a snapshot file whose row was never committed: it is reused, not duplicated.
        let store = try VersionStore.open(workspace: ws, create: false)
        let files = try FileManager.default.contentsOfDirectory(atPath: datasets.path).filter { !$0.hasPrefix(".") }
        XCTAssertEqual(files.count, try store.db.rows("SELECT path FROM snapshots").count + 1, "one orphan snapshot")
    }

    func testKillingAWriterAtRandomMomentsNeverLeavesAPartialVersion() throws {
        var count = 0
        var generator = SystemRandomNumberGenerator()
        for round in 1...4 {
            let ready = dir.appendingPathComponent("ready")
            try? FileManager.default.removeItem(at: ready)
            let log = dir.appendingPathComponent("saver-\(round).log")
            let child = try StoreFixture.spawnChild(role: "saver", dir: dir, log: log)
            defer { StoreFixture.kill9(child) }
            XCTAssertTrue(StoreFixture.waitFor(ready, while: child), "the writer saved a version: \(StoreFixture.log(log))")
            let delay = UInt32.random(in: 0...120_000, using: &generator)
            usleep(delay)
            StoreFixture.kill9(child)
            XCTAssertEqual(child.terminationReason, .uncaughtSignal, "the writer was still writing when killed")
            let now = try checkStore("after a kill in round \(round), \(delay) µs after the first save")
            XCTAssertGreaterThan(now, count, "each round added at least the version saved before 'ready'")
            count = now
        }

        let store = try VersionStore.open(workspace: ws, create: false)
        let lock = try store.lockForWriting(command: "seg run after crashes")
        XCTAssertTrue(lock.isHeld, "no lock survives its killed holder")
        XCTAssertEqual(try temporaries(), [], "temporary files of killed writers are removed under the lock")
        XCTAssertEqual(try store.save(StoreFixture.draft()).number, count + 1)
    }
}
