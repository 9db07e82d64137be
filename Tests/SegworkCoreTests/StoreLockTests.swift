import XCTest
@testable import SegworkCore
@testable import SegworkData
#if canImport(Glibc)
import Glibc
#endif

/// The write lock (`flock` on .seg/lock) and the read-only checks that come before any write.
final class StoreLockTests: XCTestCase {
    private var dir: URL!
    private var ws: URL { dir.appendingPathComponent("ws") }

    override func setUpWithError() throws {
        dir = try StoreFixture.tempWorkspace("lock")
        try FileManager.default.createDirectory(at: ws, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { StoreFixture.remove(ws); StoreFixture.remove(dir) }

    private func isBusy(_ e: StoreError) -> Bool { if case .busy = e { return true } else { return false } }

    func testASecondOpenInTheSameProcessIsBusyUntilReleased() throws {
        let first = try VersionStore.open(workspace: ws, create: true)
        first.now = { Date(timeIntervalSince1970: 1_764_090_540) }
        let lock = try first.lockForWriting(command: "seg run ws\nsecond line")
        XCTAssertTrue(lock.isHeld)
        let content = try String(contentsOfFile: lock.path, encoding: .utf8)
        XCTAssertEqual(content, "pid=\(getpid())\ncommand=seg run ws second line\nsince=2025-11-25T17:09:00Z\n")

        let second = try VersionStore.open(workspace: ws, create: true)
        StoreFixture.assertStoreError(try second.lockForWriting(command: "seg run ws"),
                                      "workspace busy: another seg process (pid \(getpid()), `seg run ws second line` "
                                      + "since 2025-11-25T17:09:00Z, holds \(lock.path)", "wait for it", check: isBusy)
        StoreFixture.assertStoreError(try first.lockForWriting(command: "again"), "workspace busy", check: isBusy)

        lock.release()
        lock.release()
        XCTAssertFalse(lock.isHeld)
        XCTAssertEqual(try String(contentsOfFile: lock.path, encoding: .utf8), "", "holder details are cleared")
        let relocked = try second.lockForWriting(command: "seg import ws")
        XCTAssertTrue(relocked.isHeld)
    }

    func testTheLockIsReleasedWhenItsObjectGoesAway() throws {
        let store = try VersionStore.open(workspace: ws, create: true)
        do { _ = try store.lockForWriting(command: "a") }
        XCTAssertTrue(try store.lockForWriting(command: "b").isHeld)
    }

    func testAnotherProcessHoldingTheLockMakesUsBusyAndKill9ReleasesIt() throws {
        let log = dir.appendingPathComponent("locker.log")
        let child = try StoreFixture.spawnChild(role: "locker", dir: dir, log: log)
        defer { StoreFixture.kill9(child) }
        XCTAssertTrue(StoreFixture.waitFor(dir.appendingPathComponent("ready"), while: child),
                      "the child took the lock: \(StoreFixture.log(log))")

        let store = try VersionStore.open(workspace: ws, create: true)
        StoreFixture.assertStoreError(try store.lockForWriting(command: "seg run ws"),
                                      "workspace busy", "pid \(child.processIdentifier)", "`seg run locker`", check: isBusy)
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        XCTAssertEqual(child.terminationReason, .uncaughtSignal)
        let lock = try store.lockForWriting(command: "seg run ws")
        XCTAssertTrue(lock.isHeld, "the kernel dropped the dead holder's lock")
        XCTAssertTrue(try String(contentsOfFile: lock.path, encoding: .utf8).hasPrefix("pid=\(getpid())\n"))
    }

    /// Runs as root here, where permission bits do not stop writes: an injected probe stands in for access(2).
    func testAnUnwritableSegFolderIsReportedBeforeAnythingIsWritten() throws {
        let existing = try VersionStore.open(workspace: ws, create: true)
        try existing.save(StoreFixture.draft())
        let seg = ws.appendingPathComponent(".seg")
        let before = try FileManager.default.contentsOfDirectory(atPath: seg.path).sorted()
        let bytes = try Data(contentsOf: existing.databaseURL)

        let store = try VersionStore.open(workspace: ws, create: true, isWritable: { $0 != seg.path })
        XCTAssertEqual(try store.versionSummaries().count, 1, "reading still works")
        StoreFixture.assertStoreError(try store.lockForWriting(command: "seg run"), "cannot write to '\(seg.path)'",
                                      "read-only", "nothing was done") { $0 == .readOnly(path: seg.path) }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: seg.path).sorted(), before, "no lock file")
        XCTAssertEqual(try Data(contentsOf: existing.databaseURL), bytes)
    }

    func testAnUnwritableWorkspaceGetsNoSegFolder() throws {
        StoreFixture.assertStoreError(try VersionStore.open(workspace: ws, create: true, isWritable: { _ in false }), "read-only") {
            $0 == .readOnly(path: self.ws.path)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: ws.appendingPathComponent(".seg").path))
    }

    func testPermissionErrnosMapToReadOnly() {
        for code in [EACCES, EPERM, EROFS] {
            XCTAssertEqual(StoreFiles.error("create the file", "/w/.seg/lock", code), .readOnly(path: "/w/.seg/lock"))
        }
        XCTAssertEqual(StoreFiles.error("write", "/w/x", ENOSPC),
                       .io(operation: "write", path: "/w/x", message: String(cString: strerror(ENOSPC))))
    }

    /// A real chmod 0555 workspace. As root (where the bits do not stop writes) the check runs in a child process
    /// dropped to user `nobody` with setpriv(1); otherwise in this process.
    func testAChmod555WorkspaceIsReadOnlyForAnUnprivilegedUser() throws {
        let store = try VersionStore.open(workspace: ws, create: true)
        try store.save(StoreFixture.draft())
        let fresh = dir.appendingPathComponent("fresh")
        try FileManager.default.createDirectory(at: fresh, withIntermediateDirectories: true)
        let seg = ws.appendingPathComponent(".seg")
        let listing = try FileManager.default.contentsOfDirectory(atPath: seg.path).sorted()
        for path in [ws.path, seg.path, seg.appendingPathComponent("datasets").path, fresh.path] {
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: path)
        }
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fresh.path) }
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: store.databaseURL.path)

        if geteuid() == 0 {
            guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else {
                throw XCTSkip("running as root without setpriv(1): the injected-probe tests cover the check")
            }
            let log = URL(fileURLWithPath: "/tmp/segwork-store-readonly-\(UUID().uuidString).log")
            defer { try? FileManager.default.removeItem(at: log) }
            let child = try StoreFixture.spawnChild(role: "readonly", dir: dir, log: log, asUser: 65534)
            child.waitUntilExit()
            XCTAssertEqual(child.terminationStatus, 0, "the unprivileged child's checks: \(StoreFixture.log(log))")
            XCTAssertTrue(StoreFixture.log(log).contains("Executed 1 test, with 0 failures"), StoreFixture.log(log))
        } else {
            let reader = try VersionStore.open(workspace: ws, create: true)
            StoreFixture.assertStoreError(try reader.lockForWriting(command: "seg run"), "read-only") {
                if case .readOnly = $0 { return true } else { return false }
            }
            StoreFixture.assertStoreError(try VersionStore.open(workspace: fresh, create: true), "read-only") {
                $0 == .readOnly(path: fresh.path)
            }
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: seg.path).sorted(), listing, "nothing was written")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: fresh.path), [])
    }
}
