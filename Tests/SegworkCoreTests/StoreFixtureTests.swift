import XCTest
import LuaHost
@testable import SegworkCore
@testable import SegworkData
#if canImport(Glibc)
import Glibc
#endif

/// Shared helpers of the store tests: temporary workspaces, version drafts, and child processes (this test binary
/// run again with `--filter`-style selection of `StoreChildTests/testChildRole` and a role in `SEG_STORE_CHILD`).
enum StoreFixture {
    /// A new empty folder under the temporary directory.
    static func tempWorkspace(_ label: String = "ws") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("segwork-store-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Removes a folder made by `tempWorkspace`, making it writable first.
    static func remove(_ url: URL) {
        _ = try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        let seg = url.appendingPathComponent(".seg")
        for sub in [seg, seg.appendingPathComponent("datasets")] {
            _ = try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: sub.path)
        }
        try? FileManager.default.removeItem(at: url)
    }

    /// The membership blob a draft with this run id carries (large enough to span many database pages).
    static func membership(runID: String, rows: Int = 3000) -> Data {
        var text = "customer_id,segment,value_score\n"
        for i in 0..<rows { text += "c\(i),Seg \(i % 7),\(runID)\n" }
        return Data(text.utf8)
    }

    /// The profiles blob a draft with this run id carries.
    static func profiles(runID: String) -> Data { Data("{\"run\":\"\(runID)\",\"segments\":[]}\n".utf8) }

    /// A version draft whose blobs are derived from `runID` (so a reader can tell a complete version).
    static func draft(definition: String = "rfm", runID: String = "3f2a9c01bd77", inputSHA: String = String(repeating: "a", count: 64),
                      rows: Int = 3000) -> VersionRecord {
        let text = "population: customers\n# \(definition)\n"
        return VersionRecord(
            number: 0, createdAt: "", definition: definition, definitionText: text, definitionSHA256: SHA256.hex(text),
            runID: runID, asOf: "2024-12-31", segworkVersion: segworkVersion, seed: 42, frozenTime: 1_735_603_200,
            inputs: [InputInfo(name: "customers", file: "data/customers.csv", sha256: inputSHA, rows: 10)],
            plugins: [PluginInfo(name: "rfm", kind: "criterion", version: "1.0.0", file: "plugins/rfm.lua",
                                 sha256: String(repeating: "b", count: 64),
                                 params: ["bands": .int(5), "cut": .double(0.25), "label": .string("x"),
                                          "on": .bool(true), "list": .array([.int(1), .string("a")]),
                                          "nested": .object(["z": .int(1), "a": .null])])],
            customers: rows, segments: 7, profilesJSON: profiles(runID: runID), membershipCSV: membership(runID: runID, rows: rows))
    }

    /// Asserts that `body` throws a `StoreError` matching `check`, whose message contains every fragment.
    static func assertStoreError<T>(_ body: @autoclosure () throws -> T, _ fragments: String...,
                                    file: StaticString = #filePath, line: UInt = #line,
                                    check: (StoreError) -> Bool = { _ in true }) {
        do {
            _ = try body()
            XCTFail("expected a StoreError", file: file, line: line)
        } catch let e as StoreError {
            XCTAssertTrue(check(e), "unexpected error: \(e)", file: file, line: line)
            for f in fragments {
                XCTAssertTrue(e.description.contains(f), "'\(f)' not in: \(e.description)", file: file, line: line)
            }
            XCTAssertEqual(e.errorDescription, e.description, file: file, line: line)
        } catch {
            XCTFail("expected a StoreError, got \(type(of: error)): \(error)", file: file, line: line)
        }
    }

    /// This test binary.
    static var testBinary: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// Starts this test binary running only `StoreChildTests/testChildRole` with `SEG_STORE_CHILD=role` and
    /// `SEG_STORE_DIR=dir` (plus `environment`); `asUser` runs it as that uid/gid through setpriv(1). Its output goes
    /// to `log`.
    /// With `asUser`, the test binary is copied where that user can run it when the checkout is out of its reach
    /// (see `UnprivilegedCopy`); the copy is removed when the child ends.
    static func spawnChild(role: String, dir: URL, log: URL, asUser: UInt32? = nil,
                           environment: [String: String] = [:]) throws -> Process {
        let p = Process()
        var arguments = [testBinary, "SegworkCoreTests.StoreChildTests/testChildRole"]
        if let uid = asUser {
            let copy = try UnprivilegedCopy.make(testBinary)
            p.terminationHandler = { _ in copy.cleanup() }
            arguments[0] = copy.path
            arguments = ["--reuid=\(uid)", "--regid=\(uid)", "--clear-groups", "--"] + arguments
            p.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        } else {
            p.executableURL = URL(fileURLWithPath: arguments.removeFirst())
        }
        p.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["SEG_STORE_CHILD"] = role
        env["SEG_STORE_DIR"] = dir.path
        env.merge(environment) { _, new in new }
        p.environment = env
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        p.standardOutput = FileHandle(forWritingAtPath: log.path)
        p.standardError = p.standardOutput
        try p.run()
        return p
    }

    /// Waits (polling every 5 ms, at most `seconds`) until `url` exists or `process` has exited.
    static func waitFor(_ url: URL, while process: Process, seconds: Double = 30) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: url.path) { return true }
            if !process.isRunning { return FileManager.default.fileExists(atPath: url.path) }
            usleep(5000)
        }
        return false
    }

    /// Kills `process` with SIGKILL (if still running) and reaps it.
    static func kill9(_ process: Process) {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// The text of a child's log, for failure messages.
    static func log(_ url: URL) -> String {
        String(decoding: (try? Data(contentsOf: url)) ?? Data(), as: UTF8.self).suffix(2000).description
    }
}

/// The entry point of child processes; does nothing (skips) in a normal test run.
final class StoreChildTests: XCTestCase {
    func testChildRole() throws {
        let env = ProcessInfo.processInfo.environment
        guard let role = env["SEG_STORE_CHILD"], let dir = env["SEG_STORE_DIR"] else {
            throw XCTSkip("runs only as a child process of the store crash, lock and read-only tests")
        }
        let root = URL(fileURLWithPath: dir).appendingPathComponent("ws")
        let ready = URL(fileURLWithPath: dir).appendingPathComponent("ready")
        switch role {
        case "saver":       // saves versions (each with a fresh snapshot) until killed
            let store = try VersionStore.open(workspace: root, create: true)
            if let spec = env["SEG_STORE_KILL_AT"], let colon = spec.firstIndex(of: ":"), let n = Int(spec[spec.index(after: colon)...]) {
                let point = String(spec[..<colon])
                var hits = 0
                store.checkpoint = { name in
                    if name == point { hits += 1; if hits == n { kill(getpid(), SIGKILL) } }
                }
            }
            let lock = try store.lockForWriting(command: "seg run saver")
            var i = try store.versionSummaries().count
            while true {
                i += 1
                // Small and large versions alternate: small ones keep the time spent hashing (slow in a debug
                // build) short, so random kills often land inside SQLite's commit; large ones span many pages.
                let rows = i % 2 == 0 ? 3000 : 200
                let input = URL(fileURLWithPath: dir).appendingPathComponent("input-\(getpid())-\(i).csv")
                try Data((0..<rows).map { "c\($0),\(i),\(getpid())\n" }.joined().utf8).write(to: input)
                let sha = try store.snapshot(file: input)
                try store.save(StoreFixture.draft(runID: String(format: "run%08d", i), inputSHA: sha, rows: rows))
                if !FileManager.default.fileExists(atPath: ready.path) {
                    _ = FileManager.default.createFile(atPath: ready.path, contents: nil)
                }
                _ = lock
            }
        case "locker":      // holds the write lock until killed
            let store = try VersionStore.open(workspace: root, create: true)
            let lock = try store.lockForWriting(command: "seg run locker")
            _ = FileManager.default.createFile(atPath: ready.path, contents: nil)
            sleep(60)
            lock.release()
        case "readonly":    // runs as an unprivileged user against a chmod 0555 workspace
            let store = try VersionStore.open(workspace: root, create: true)
            XCTAssertEqual(try store.versionSummaries().count, 1, "reading a read-only workspace works")
            StoreFixture.assertStoreError(try store.lockForWriting(command: "seg run"), "read-only") {
                if case .readOnly = $0 { return true } else { return false }
            }
            let fresh = URL(fileURLWithPath: dir).appendingPathComponent("fresh")
            StoreFixture.assertStoreError(try VersionStore.open(workspace: fresh, create: true), "read-only") {
                $0 == .readOnly(path: fresh.path)
            }
        default:
            XCTFail("unknown child role \(role)")
        }
    }
}
