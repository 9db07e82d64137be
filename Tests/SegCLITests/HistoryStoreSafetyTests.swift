import Foundation
import XCTest

/// The store's promises through the real binary: two writers at once, a read-only workspace, a damaged store.
final class HistoryStoreSafetyTests: XCTestCase {
    /// A criterion that burns about `work` × 3 Lua instructions per customer before labelling it, so a run over
    /// 300 customers takes about half a second per definition.
    static let slowTier = """
        return { api = 1, kind = "criterion", name = "slowtier", version = "1.0.0", description = "slow on purpose",
          uses = { "age" }, params = { work = 60000 },
          assign = function(row, p)
            local x = 0
            for i = 1, p.work do x = x + i % 7 end
            if row.age >= 50 then return "Older" end
            return "Younger"
          end }

        """

    private func slowWorkspace() throws -> TempWorkspace {
        var customers = "customer_id,age\n"
        for i in 0..<300 { customers += "c\(i),\(18 + i % 60)\n" }
        var files = ["data/customers.csv": customers, "plugins/slowtier.lua": Self.slowTier]
        for name in ["first", "second"] {
            files["segmentations/\(name).yaml"] = """
                population: customers
                id: customer_id
                as_of: 2024-01-01
                datasets:
                  customers:
                    file: data/customers.csv
                criteria:
                  - plugin: slowtier

                """
        }
        return try TempWorkspace(files: files)
    }

    func testASecondRunFailsFastWithWorkspaceBusyAndTheStoreStaysValid() throws {
        let ws = try slowWorkspace()
        defer { ws.remove() }
        let first = try SegChild(["run", ws.root.path, "-q"])
        defer { first.kill9() }
        // Wait until the first run holds the lock (it takes it before reading anything).
        let lockFile = ws.root.appendingPathComponent(".seg/lock")
        let deadline = Date().addingTimeInterval(10)
        while first.isRunning, Date() < deadline,
              (try? String(contentsOf: lockFile, encoding: .utf8))?.contains("pid=\(first.pid)") != true {
            usleep(2000)
        }
        XCTAssertTrue(first.isRunning, "the first run must still be running for this test to mean anything")

        let second = try seg(["run", ws.root.path])
        XCTAssertEqual(second.status, 1, second.stderr)
        XCTAssertTrue(second.stderr.contains("workspace busy"), second.stderr)
        XCTAssertTrue(second.stderr.contains("pid \(first.pid)") && second.stderr.contains("seg run"), second.stderr)
        let headless = try seg(["run", ws.root.path, "--ci"])
        XCTAssertEqual(headless.status, 1)
        XCTAssertTrue((try jsonObject(headless.stdout)["error"] as? String ?? "").contains("workspace busy"), headless.stdout)
        XCTAssertTrue(first.isRunning, "the second run failed fast, while the first was still working")

        let done = first.wait()
        XCTAssertEqual(done.status, 0, done.stderr)
        let rows = try ws.versionRows()
        XCTAssertEqual(rows.map { $0[0] }, ["v1", "v2"])
        XCTAssertEqual(rows.map { $0[2] }, ["first", "second"], "exactly one version per definition of the run that worked")
        XCTAssertEqual(try ws.store().verifyIntegrity().versions, 2)
    }

    /// Runs `seg args…` as user `nobody`. The tests run as root, for whom permission bits do not stop writes, so an
    /// honest read-only check has to drop privileges; `setpriv` does that without a shell or a password.
    /// The binary is copied where `nobody` can run it when the checkout is out of its reach (`UnprivilegedCopy`).
    private func segAsNobody(_ args: [String]) throws -> SegProcess.Result {
        let binary = try UnprivilegedCopy.make(SegProcess.binary.path)
        defer { binary.cleanup() }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        p.arguments = ["--reuid=nobody", "--regid=nogroup", "--clear-groups", binary.path] + args
        var env = ProcessInfo.processInfo.environment
        env["CI"] = ""
        env.removeValue(forKey: "SEG_PLUGIN_PATH")
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err; p.standardInput = FileHandle.nullDevice
        try p.run()
        // Small outputs: read both to the end, then wait.
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return SegProcess.Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                                 stderr: String(decoding: e, as: UTF8.self))
    }

    /// Runs `seg args…` without write access to `ws`: as `nobody` when the tests run as root (permission bits do not
    /// stop root), else as this user with every folder and file of the workspace made read-only for the call.
    private func segWithoutWriteAccess(_ ws: TempWorkspace, _ args: [String]) throws -> SegProcess.Result {
        if getuid() == 0 { return try segAsNobody(args) }
        let paths = [ws.root.path] + (FileManager.default.enumerator(atPath: ws.root.path)?.compactMap { $0 as? String }
            .map { ws.root.appendingPathComponent($0).path } ?? [])
        func setWritable(_ writable: Bool) {
            for path in paths.reversed() {
                var isDir: ObjCBool = false
                _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDir)
                let mode: Int = isDir.boolValue ? (writable ? 0o755 : 0o555) : (writable ? 0o644 : 0o444)
                try? FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
            }
        }
        setWritable(false)
        defer { setWritable(true) }
        return try seg(args)
    }

    /// Every path under the workspace with its size, to show that nothing was created or changed.
    private func snapshot(_ ws: TempWorkspace) throws -> [String] {
        let e = FileManager.default.enumerator(atPath: ws.root.path)
        return try (e?.compactMap { $0 as? String } ?? []).sorted().map { path in
            let attributes = try FileManager.default.attributesOfItem(atPath: ws.root.appendingPathComponent(path).path)
            return "\(path) \((attributes[.size] as? Int) ?? -1)"
        }
    }

    func testAReadOnlyWorkspaceFailsBeforeAnyWork() throws {
        if getuid() == 0, !FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") {
            throw XCTSkip("running as root without setpriv (util-linux): no honest way to take write access away")
        }
        let boom = """
            return { api = 1, kind = "criterion", name = "boom", version = "1.0.0", description = "fails if it ever runs",
              uses = { "monetary" }, assign = function(row, p) error("boom: the run started") end }

            """
        // As root: the workspace is owned by root with modes 0755/0644, so user nobody can read all and write nothing.
        let ws = try Shop.workspace(definitions: ["tiers": Shop.definition(criteria: "criteria:\n  - plugin: boom\n")],
                                    plugins: ["boom": boom])
        defer { ws.remove() }
        if getuid() == 0 {
            let probe = try segAsNobody(["--version"])
            guard probe.status == 0 else { throw XCTSkip("user nobody cannot run \(SegProcess.binary.path): \(probe.stderr)") }
        }

        // No history yet: the read-only error comes first (not the plugin's error), and nothing is created.
        let before = try snapshot(ws)
        let fresh = try segWithoutWriteAccess(ws, ["run", ws.root.path])
        XCTAssertEqual(fresh.status, 1, fresh.stderr)
        XCTAssertTrue(fresh.stderr.contains("read-only") && fresh.stderr.contains("nothing was done"), fresh.stderr)
        XCTAssertTrue(fresh.stderr.contains(ws.root.path), fresh.stderr)
        XCTAssertFalse(fresh.stderr.contains("boom"), fresh.stderr)
        XCTAssertEqual(try snapshot(ws), before)

        // With a history: the store and exports stay as they were; reading still works.
        try ws.write("segmentations/tiers.yaml", Shop.definition())
        XCTAssertEqual(try seg(["run", ws.root.path, "-q"]).status, 0)
        try ws.write("segmentations/tiers.yaml", Shop.definition(criteria: "criteria:\n  - plugin: boom\n"))
        if getuid() == 0 {
            // seg makes .seg/ owner-only; a workspace shared read-only is one whose owner let others read it.
            for path in [".seg", ".seg/datasets", ".seg/store.sqlite", ".seg/lock"] {
                let url = ws.root.appendingPathComponent(path)
                let isDir = (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) ?? false
                try FileManager.default.setAttributes([.posixPermissions: isDir ? 0o755 : 0o644], ofItemAtPath: url.path)
            }
        }
        let withHistory = try snapshot(ws)
        let store = try ws.data(".seg/store.sqlite")
        let again = try segWithoutWriteAccess(ws, ["run", ws.root.path])
        XCTAssertEqual(again.status, 1, again.stderr)
        XCTAssertTrue(again.stderr.contains("read-only") && !again.stderr.contains("boom"), again.stderr)
        let importing = try segWithoutWriteAccess(ws, ["import", ws.root.path, "orders", ws.root.appendingPathComponent("data/transactions.csv").path])
        XCTAssertEqual(importing.status, 1, importing.stderr)
        XCTAssertTrue(importing.stderr.contains("read-only"), importing.stderr)
        XCTAssertEqual(try snapshot(ws), withHistory)
        XCTAssertEqual(try ws.data(".seg/store.sqlite"), store)
        let list = try segWithoutWriteAccess(ws, ["versions", ws.root.path])
        XCTAssertEqual(list.status, 0, list.stderr)
        XCTAssertTrue(list.stdout.contains("v1 "), list.stdout)
    }

    func testADamagedStoreIsReportedWithWhatToDo() throws {
        let ws = try Shop.workspace()
        defer { ws.remove() }
        XCTAssertEqual(try seg(["run", ws.root.path, "-q"]).status, 0)
        let storeURL = ws.root.appendingPathComponent(".seg/store.sqlite")
        let good = try Data(contentsOf: storeURL)
        let advice = "mv .seg .seg.broken"

        // Bytes that are not a database at all.
        var garbage = good
        garbage.replaceSubrange(0..<32, with: Data(repeating: 0x5A, count: 32))
        try garbage.write(to: storeURL)
        for args in [["versions", ws.root.path], ["run", ws.root.path], ["show", ws.root.path, "v1"]] {
            let r = try seg(args)
            XCTAssertEqual(r.status, 1, "\(args[0]): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("not an SQLite database") && r.stderr.contains(advice), "\(args[0]): \(r.stderr)")
        }
        XCTAssertEqual(try Data(contentsOf: storeURL), garbage, "nothing tried to repair or overwrite it")

        // Damaged pages: the last 600 bytes of every page after the first.
        var pages = good
        for start in stride(from: 4096, to: pages.count, by: 4096) {
            pages.replaceSubrange(start + 4096 - 600 ..< start + 4096, with: Data(repeating: 0xA5, count: 600))
        }
        try pages.write(to: storeURL)
        let damaged = try seg(["versions", ws.root.path])
        XCTAssertEqual(damaged.status, 1, damaged.stdout)
        XCTAssertTrue(damaged.stderr.contains("damaged") && damaged.stderr.contains(advice), damaged.stderr)

        // A hand edit that keeps the file a valid database: the reference date changed in place.
        let edited = try replacingAll(in: good, "2024-05-10", with: "2024-05-11")
        XCTAssertNotEqual(edited, good)
        try edited.write(to: storeURL)
        let handEdited = try seg(["versions", ws.root.path])
        XCTAssertEqual(handEdited.status, 1, handEdited.stdout)
        XCTAssertTrue(handEdited.stderr.contains("edited by hand") && handEdited.stderr.contains(advice), handEdited.stderr)

        // The advice works: moving the store aside starts a fresh history.
        try FileManager.default.moveItem(at: ws.root.appendingPathComponent(".seg"), to: ws.root.appendingPathComponent(".seg.broken"))
        XCTAssertEqual(try seg(["run", ws.root.path, "-q"]).status, 0)
        XCTAssertEqual(try ws.versionRows().map { $0[0] }, ["v1"])
    }

    private func replacingAll(in data: Data, _ old: String, with new: String) throws -> Data {
        let o = Data(old.utf8), n = Data(new.utf8)
        precondition(o.count == n.count, "same length keeps every page's layout")
        var out = data
        var from = out.startIndex
        while let r = out.range(of: o, in: from..<out.endIndex) {
            out.replaceSubrange(r, with: n)
            from = r.upperBound
        }
        return out
    }
}
