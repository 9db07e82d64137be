import Foundation
import SegworkCore
@testable import SegworkData
import XCTest

/// What `seg run` refuses to do to a workspace: overwrite a run's folder with other bytes, write through symbolic
/// links leading out of it, leave customer data readable by others, or fail with SQLite's bare message.
final class HistoryHardeningTests: XCTestCase {
    /// A criterion whose labels depend on where Lua's allocator put a table: other bytes in every process, under
    /// one run id (the run id covers the plugin's text, not what it does).
    private static let wobbly = """
        return { api = 1, kind = "criterion", name = "wobbly", version = "1.0.0", description = "not deterministic",
          uses = { "monetary" },
          assign = function(row, p)
            if row.monetary == nil then return nil end
            return "T" .. string.gsub(tostring({}), "[^%x]", ""):sub(-7)
          end }

        """

    func testARunWithOtherBytesUnderTheSameRunIDIsRefusedAndTheFirstIsKept() throws {
        let ws = try Shop.workspace(definitions: ["tiers": Shop.definition(criteria: "criteria:\n  - plugin: wobbly\n")],
                                    plugins: ["wobbly": Self.wobbly])
        defer { ws.remove() }
        let first = try seg(["run", ws.root.path, "-q"])
        XCTAssertEqual(first.status, 0, first.stderr)
        let runID = try ws.runID(of: "v1")
        let folder = "exports/tiers/\(runID)"
        let membership = try ws.data("\(folder)/membership.csv")

        let second = try seg(["run", ws.root.path])
        XCTAssertEqual(second.status, 1, second.stdout + second.stderr)
        for expected in ["run \(runID) is not reproducible", "exports/tiers/\(runID)/", "membership.csv", "pairs()",
                         "sort the keys", "left as it was"] {
            XCTAssertTrue(second.stderr.contains(expected), "\(expected) in \(second.stderr)")
        }
        XCTAssertEqual(try ws.data("\(folder)/membership.csv"), membership, "the first run's folder is untouched")
        XCTAssertEqual(ws.exportFolders("tiers"), [runID], "no temporary folder left behind")
        XCTAssertEqual(try ws.versionRows().map { $0[0] }, ["v1"], "nothing stored")

        // Without the folder, the stored version is the reference.
        try FileManager.default.removeItem(at: ws.root.appendingPathComponent(folder))
        let third = try seg(["run", ws.root.path])
        XCTAssertEqual(third.status, 1, third.stdout + third.stderr)
        XCTAssertTrue(third.stderr.contains("not reproducible") && third.stderr.contains("version v1 in the store"), third.stderr)
        XCTAssertEqual(ws.exportFolders("tiers"), [], "nothing was written")
    }

    /// The stored version with the same run id is the reference even when it is not the latest and its folder is
    /// gone (QA: a run returning to v1's run id after v2, with exports/ removed as CI jobs do, was stored as "the
    /// same run as v1" with other bytes).
    func testAnOlderVersionWithTheSameRunIDIsTheReferenceToo() throws {
        let ws = try Shop.workspace(definitions: ["tiers": Shop.definition(criteria: "criteria:\n  - plugin: wobbly\n")],
                                    plugins: ["wobbly": Self.wobbly])
        defer { ws.remove() }
        XCTAssertEqual(try seg(["run", ws.root.path, "-q"]).status, 0)
        XCTAssertEqual(try seg(["run", ws.root.path, "--as-of", "2024-02-01", "-q"]).status, 0)
        try FileManager.default.removeItem(at: ws.root.appendingPathComponent("exports"))
        let back = try seg(["run", ws.root.path])
        XCTAssertEqual(back.status, 1, back.stdout + back.stderr)
        XCTAssertTrue(back.stderr.contains("not reproducible") && back.stderr.contains("version v1 in the store"), back.stderr)
        XCTAssertEqual(try ws.versionRows().map { $0[0] }, ["v1", "v2"], "nothing stored")
    }

    func testACaughtErrorNamesThePluginFileRelativeToTheWorkspace() throws {
        let leaky = """
            return { api = 1, kind = "criterion", name = "leaky", version = "1.0.0", description = "labels with errors",
              uses = { "monetary" },
              assign = function(row, p)
                local ok, message = pcall(function() error("caught") end)
                local ok2, moduleMessage = pcall(require, "oops")
                return message .. " | " .. tostring(moduleMessage):match("[^\\n]*")
              end }

            """
        let ws = try Shop.workspace(definitions: ["tiers": Shop.definition(criteria: "criteria:\n  - plugin: leaky\n")],
                                    plugins: ["leaky": leaky])
        defer { ws.remove() }
        try ws.write("plugins/lib/oops.lua", "local x = nil\nreturn x.field\n")
        let run = try seg(["run", ws.root.path, "-q"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let membership = String(decoding: try ws.data("exports/tiers/\(try ws.runID(of: "v1"))/membership.csv"), as: UTF8.self)
        XCTAssertFalse(membership.contains(ws.root.path), membership)
        XCTAssertFalse(membership.contains("/tmp/"), membership)
        XCTAssertTrue(membership.contains("a,plugins/leaky.lua:4: caught | plugins/lib/oops.lua:2: attempt to index"), membership)
    }

    func testWritesThroughLinksLeadingOutOfTheWorkspaceAreRefused() throws {
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("segcli-outside-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: outside) }

        let ws = try Shop.workspace()
        defer { ws.remove() }
        try FileManager.default.createSymbolicLink(at: ws.root.appendingPathComponent("exports"), withDestinationURL: outside)
        let run = try seg(["run", ws.root.path])
        XCTAssertEqual(run.status, 1, run.stdout + run.stderr)
        XCTAssertTrue(run.stderr.contains("refusing to write through") && run.stderr.contains("outside the workspace"), run.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: outside.path), [])
        XCTAssertEqual(try ws.versionRows(), [], "nothing stored")
        // seg export and seg diff write under exports/ too.
        try FileManager.default.removeItem(at: ws.root.appendingPathComponent("exports"))
        XCTAssertEqual(try seg(["run", ws.root.path, "-q"]).status, 0)
        try FileManager.default.removeItem(at: ws.root.appendingPathComponent("exports"))
        try FileManager.default.createSymbolicLink(at: ws.root.appendingPathComponent("exports"), withDestinationURL: outside)
        for args in [["export", ws.root.path, "v1"], ["diff", ws.root.path, "v1", "v1"]] {
            let r = try seg(args)
            XCTAssertEqual(r.status, 1, "\(args[0]): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("refusing to write through"), "\(args[0]): \(r.stderr)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: outside.path), [])

        // A link that stays inside the workspace is fine.
        try FileManager.default.removeItem(at: ws.root.appendingPathComponent("exports"))
        try FileManager.default.createDirectory(at: ws.root.appendingPathComponent("kept/exports"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: ws.root.appendingPathComponent("exports"),
                                                   withDestinationURL: ws.root.appendingPathComponent("kept/exports"))
        XCTAssertEqual(try seg(["run", ws.root.path, "-q"]).status, 0, "unchanged (v1), its folder written inside")

        // .seg/datasets leading outside: refused before anything is copied through it.
        let datasets = ws.root.appendingPathComponent(".seg/datasets")
        try FileManager.default.removeItem(at: datasets)
        try FileManager.default.createSymbolicLink(at: datasets, withDestinationURL: outside)
        try ws.write("data/customers.csv", Shop.customers + "f,80\n")
        let again = try seg(["run", ws.root.path])
        XCTAssertEqual(again.status, 1, again.stdout + again.stderr)
        XCTAssertTrue(again.stderr.contains("refusing to write through '\(datasets.path)'"), again.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: outside.path), [])
        let importing = try seg(["import", ws.root.path, "orders", ws.root.appendingPathComponent("data/transactions.csv").path])
        XCTAssertEqual(importing.status, 1, importing.stderr)
        XCTAssertTrue(importing.stderr.contains("symbolic link"), importing.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: outside.path), [])
    }

    /// The database and the lock file themselves as links leading outside (QA: the store, with raw ids, was
    /// written to the link's target, 0644).
    func testAStoreOrLockFileLinkedOutsideIsRefused() throws {
        for file in ["store.sqlite", "lock"] {
            let outside = FileManager.default.temporaryDirectory.appendingPathComponent("segcli-outside-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: outside) }
            let target = outside.appendingPathComponent("stolen")
            FileManager.default.createFile(atPath: target.path, contents: nil)
            let ws = try Shop.workspace()
            defer { ws.remove() }
            try FileManager.default.createDirectory(at: ws.root.appendingPathComponent(".seg"), withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(at: ws.root.appendingPathComponent(".seg/\(file)"), withDestinationURL: target)
            let run = try seg(["run", ws.root.path])
            XCTAssertEqual(run.status, 1, "\(file): " + run.stdout + run.stderr)
            XCTAssertTrue(run.stderr.contains("refusing to write through") && run.stderr.contains(file), run.stderr)
            XCTAssertEqual(try Data(contentsOf: target), Data(), "\(file): nothing written through the link")
        }
    }

    func testTheStoreAndTheExportsAreOwnerOnly() throws {
        let ws = try Shop.workspace()
        defer { ws.remove() }
        let previous = umask(0o022)
        defer { umask(previous) }
        XCTAssertEqual(try seg(["run", ws.root.path, "-q"]).status, 0)
        func mode(_ path: String) throws -> Int {
            (try FileManager.default.attributesOfItem(atPath: ws.root.appendingPathComponent(path).path)[.posixPermissions] as? Int) ?? -1
        }
        let run = "exports/tiers/\(try ws.runID(of: "v1"))"
        var expected = [".seg": 0o700, ".seg/datasets": 0o700, ".seg/store.sqlite": 0o600, ".seg/lock": 0o600,
                        "exports": 0o700, "exports/tiers": 0o700, run: 0o700, "\(run)/membership.csv": 0o600,
                        "\(run)/profiles.json": 0o600]
        for name in try FileManager.default.contentsOfDirectory(atPath: ws.root.appendingPathComponent(".seg/datasets").path) {
            expected[".seg/datasets/\(name)"] = 0o400
        }
        XCTAssertEqual(expected.count, 11, "two snapshots")
        for (path, want) in expected.sorted(by: { $0.key < $1.key }) {
            XCTAssertEqual(String(try mode(path), radix: 8), String(want, radix: 8), path)
        }
        let diff = try seg(["diff", ws.root.path, "v1", "v1"])
        XCTAssertEqual(diff.status, 0, diff.stderr)
        XCTAssertEqual(String(try mode("exports/tiers/diffs/v1-v1/diff.csv"), radix: 8), "600")
    }

    func testAWorkspacePathLongerThanSQLiteAcceptsIsExplained() throws {
        var root = FileManager.default.temporaryDirectory.appendingPathComponent("segcli-long-\(UUID().uuidString)")
        let top = root
        defer { try? FileManager.default.removeItem(at: top) }
        while root.path.utf8.count < 560 { root = root.appendingPathComponent(String(repeating: "d", count: 100)) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let source = try Shop.workspace()
        defer { source.remove() }
        for name in try FileManager.default.contentsOfDirectory(atPath: source.root.path) {
            try FileManager.default.copyItem(at: source.root.appendingPathComponent(name), to: root.appendingPathComponent(name))
        }
        let run = try seg(["run", root.path])
        XCTAssertEqual(run.status, 1, run.stdout + run.stderr)
        XCTAssertTrue(run.stderr.contains("its path is") && run.stderr.contains("SQLite accepts at most")
                      && run.stderr.contains("shorter path"), run.stderr)
        XCTAssertFalse(run.stderr.contains("unable to open database file"), run.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent(".seg").path), "nothing created")
    }
}
