import XCTest
import LuaHost
@testable import SegworkCore
@testable import SegworkData
#if canImport(Glibc)
import Glibc
#endif

/// Schema 2 (gate outcomes and approvals): old stores stay readable and are upgraded under the lock; the new rows
/// are checksummed; and the lock's refusal names its holder even in the moments its details are being written.
final class StoreSchemaTwoTests: XCTestCase {
    private var ws: URL!

    override func setUpWithError() throws { ws = try StoreFixture.tempWorkspace("schema2") }
    override func tearDownWithError() throws { StoreFixture.remove(ws) }

    /// A store as Segwork wrote it before schema 2: two versions, no gate tables, schema_version 1.
    private func schemaOneStore() throws {
        let s = try VersionStore.open(workspace: ws, create: true)
        try s.save(StoreFixture.draft(runID: "aaaa00000001"))
        try s.save(StoreFixture.draft(runID: "aaaa00000002"))
        try s.db.execute("DROP TABLE approvals; DROP TABLE gate_outcomes; UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    }

    func testASchemaOneStoreIsReadAsItIsAndUpgradedUnderTheLock() throws {
        try schemaOneStore()
        let reader = try VersionStore.open(workspace: ws, create: false)
        XCTAssertEqual(try reader.versionSummaries().map(\.number), [1, 2])
        XCTAssertEqual(try reader.gateStanding(2), GateStanding(passed: nil, approvedAt: nil))
        XCTAssertEqual(try reader.verifyIntegrity().versions, 2)
        XCTAssertFalse(reader.hasGateTables, "reading does not upgrade")

        let writer = try VersionStore.open(workspace: ws, create: true)
        let lock = try writer.lockForWriting(command: "seg run")
        defer { lock.release() }
        XCTAssertTrue(writer.hasGateTables)
        XCTAssertEqual(try writer.db.row("SELECT value FROM meta WHERE key = 'schema_version'")?.text(0), "2")
        XCTAssertEqual(try writer.version("v2").runID, "aaaa00000002", "the old versions are intact")
        let v3 = try writer.save(StoreFixture.draft(runID: "aaaa00000003"), gatesPassed: false)
        XCTAssertEqual(try writer.gateStanding(v3.number), GateStanding(passed: false, approvedAt: nil))
        XCTAssertEqual(try writer.approve(2, command: "seg approve v2").isNew, true)
        XCTAssertEqual(try writer.approve(2, command: "seg approve v2").isNew, false)
        XCTAssertNotNil(try writer.gateStanding(2).approvedAt)
        XCTAssertEqual(try writer.gateStanding(3).passed, nil, "approving v2 sends v3's outcome back to evaluation")
        XCTAssertEqual(try writer.verifyIntegrity().versions, 3)
    }

    func testASchemaTwoStoreWithoutItsGateTablesIsDamaged() throws {
        let s = try VersionStore.open(workspace: ws, create: true)
        try s.db.execute("DROP TABLE approvals")
        StoreFixture.assertStoreError(try VersionStore.open(workspace: ws, create: false), "tables missing: approvals") {
            if case .corrupted = $0 { return true } else { return false }
        }
    }

    func testHandEditedGateRecordsAreDetected() throws {
        let s = try VersionStore.open(workspace: ws, create: true)
        let v = try s.save(StoreFixture.draft(), gatesPassed: false)
        try s.approve(v.number, command: "seg approve v1")
        try s.db.execute("UPDATE approvals SET approved_at = '2020-01-01T00:00:00Z'")
        StoreFixture.assertStoreError(try s.verifyIntegrity(), "approval of version v1 does not match its checksum")
        let t = try VersionStore.open(workspace: try StoreFixture.tempWorkspace("schema2b"), create: true)
        defer { StoreFixture.remove(t.root) }
        try t.save(StoreFixture.draft(), gatesPassed: false)
        try t.db.execute("UPDATE gate_outcomes SET passed = 1")
        StoreFixture.assertStoreError(try t.gateStanding(1), "gate outcome of version v1 does not match its checksum")
    }

    func testAContenderWaitsForTheHolderToWriteItsDetails() throws {
        let s = try VersionStore.open(workspace: ws, create: true)
        // A holder that has taken the lock but not yet written who it is (the moment between flock and write).
        let fd = open(s.lockURL.path, O_RDWR | O_CREAT, 0o600)
        XCTAssertEqual(flock(fd, LOCK_EX | LOCK_NB), 0)
        defer { close(fd) }
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) {
            let text = Array("pid=\(getpid())\ncommand=seg run slow-holder\nsince=2026-12-06T05:00:00Z\n".utf8)
            _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        }
        StoreFixture.assertStoreError(try s.lockForWriting(command: "seg run"), "pid \(getpid())", "`seg run slow-holder`") {
            if case .busy = $0 { return true } else { return false }
        }
    }

    func testALockReleasedWhileItsDetailsWereEmptiedIsTaken() throws {
        let s = try VersionStore.open(workspace: ws, create: true)
        // A holder that has emptied the lock file and is about to close it (the moment in `release`).
        let fd = open(s.lockURL.path, O_RDWR | O_CREAT, 0o600)
        XCTAssertEqual(flock(fd, LOCK_EX | LOCK_NB), 0)
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { close(fd) }
        let lock = try s.lockForWriting(command: "seg run")
        XCTAssertTrue(lock.isHeld)
        lock.release()
    }
}
