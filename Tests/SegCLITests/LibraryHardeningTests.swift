import Foundation
import XCTest

/// What a hostile pass over plugin libraries found (issue 9), each kept fixed by a test.
final class LibraryHardeningTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("seghard-\(UUID().uuidString)")
        try write([
            "team/library.yaml": "name: team\nversion: 1.0.0\ndescription: t\napi: [1]\n",
            "team/lib/team/band.lua": "return { of = function(x) if x >= 50 then return 'High' end return 'Low' end }\n",
            "team/criteria/tier.lua": """
                return { api = 1, kind = "criterion", name = "tier", version = "1.0.0", description = "x", uses = { "score" },
                  assign = function(row) local b = require [[team.band]]; return b.of(row.score) end }
                """,
            "ws/workspace.yaml": "name: ws\nlibraries:\n  - ../team\n",
            "ws/data/customers.csv": "customer_id,score,nps_score\nC1,10,9\nC2,60,3\n",
            "ws/segmentations/d.yaml": LibraryCLITests.definition(criteria: "  - plugin: tier\n"),
        ])
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    private func write(_ files: [String: String]) throws {
        for (path, text) in files {
            let url = dir.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
    }

    private var ws: String { dir.appendingPathComponent("ws").path }

    func testALockThatIsAFolderOrADanglingLinkIsNotNoLock() throws {
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("ws/plugins.lock"), withIntermediateDirectories: true)
        let folder = try SegProcess.run(["run", ws], environment: ["CI": "true"])
        XCTAssertEqual(folder.status, 2, folder.stdout)
        XCTAssertTrue(folder.stderr.contains("plugins.lock: is a folder"), folder.stderr)
        try FileManager.default.removeItem(at: dir.appendingPathComponent("ws/plugins.lock"))
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("ws/plugins.lock").path, withDestinationPath: "/nonexistent/lock")
        let dangling = try SegProcess.run(["run", ws], environment: ["CI": "true"])
        XCTAssertEqual(dangling.status, 2, dangling.stdout)
        XCTAssertTrue(dangling.stderr.contains("symbolic link to nothing"), dangling.stderr)
    }

    func testAModuleRequiredInsideAssignIsLockedAndARunTimeRequireTheLockMissedIsRefused() throws {
        XCTAssertEqual(try SegProcess.run(["plugins", "lock", ws]).status, 0)
        let lock = try String(contentsOf: dir.appendingPathComponent("ws/plugins.lock"), encoding: .utf8)
        XCTAssertTrue(lock.contains("name: \"team.band\""), "require [[team.band]] inside assign is locked: \(lock)")

        // A computed name no static look can see: the run's own record catches it before anything is stored.
        try write(["team/criteria/tier.lua": """
            return { api = 1, kind = "criterion", name = "tier", version = "1.0.0", description = "x", uses = { "score" },
              assign = function(row) local b = require("team." .. "band"); return b.of(row.score) end }
            """])
        XCTAssertEqual(try SegProcess.run(["plugins", "lock", ws]).status, 0)
        try write(["team/lib/team/band.lua": "return { of = function(x) return 'HACKED' end }\n"])
        let ci = try SegProcess.run(["run", ws], environment: ["CI": "true"])
        XCTAssertEqual(ci.status, 2, ci.stdout)
        XCTAssertTrue(ci.stderr.contains("required module 'team.band'") && ci.stderr.contains("which the lock does not list"), ci.stderr)
        XCTAssertFalse(try SegProcess.run(["versions", ws]).stdout.contains("v1"), "nothing stored")
        let local = try SegProcess.run(["run", ws])
        XCTAssertEqual(local.status, 0, local.stderr)
        XCTAssertTrue(local.stderr.contains("seg: warning:") && local.stderr.contains("team.band"), local.stderr)
    }

    func testVerifyOfAnOldVersionWithALockSurvivesTheLibraryMovingOn() throws {
        XCTAssertEqual(try SegProcess.run(["run", ws, "-q"]).status, 0)
        XCTAssertEqual(try SegProcess.run(["plugins", "lock", ws]).status, 0)
        // The plugin is gone from the library and today's definition no longer uses it.
        try FileManager.default.removeItem(at: dir.appendingPathComponent("team/criteria/tier.lua"))
        try write(["ws/segmentations/d.yaml": LibraryCLITests.definition(criteria: "  - plugin: nps\n")])
        XCTAssertEqual(try SegProcess.run(["plugins", "lock", ws]).status, 0)
        let verify = try SegProcess.run(["run", ws, "--verify", "v1"])
        XCTAssertEqual(verify.status, 0, verify.stderr + verify.stdout)
        XCTAssertTrue(verify.stdout.contains("reproduces byte for byte"), verify.stdout)
        XCTAssertTrue(verify.stdout.contains("is no longer in the workspace's libraries") || verify.stdout.contains("is gone"), verify.stdout)
        XCTAssertEqual(try SegProcess.run(["run", ws, "--verify", "v1", "--ci"]).status, 0, "the lock matches today's workspace")
    }

    func testTwoPluginsOfOneNameFromTwoLibrariesReproduce() throws {
        try write(["ws/plugins/tier.lua": """
            return { api = 1, kind = "criterion", name = "tier", version = "9.0.0", description = "mine", uses = { "score" },
              assign = function(row) return "Mine" end }
            """,
            "ws/segmentations/d.yaml": LibraryCLITests.definition(criteria: "  - plugin: tier\n  - plugin: tier\n    library: team\n")])
        let run = try SegProcess.run(["run", ws])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("Mine × High") && run.stdout.contains("Mine × Low"), run.stdout)
        // membership.csv tells the two apart as the definition does: the library one by `<library>/<name>`.
        let folder = try FileManager.default.contentsOfDirectory(atPath: ws + "/exports/d")[0]
        let membership = try String(contentsOfFile: ws + "/exports/d/\(folder)/membership.csv", encoding: .utf8)
        XCTAssertTrue(membership.hasPrefix("customer_id,segment,tier,team/tier\nC1,Mine × Low,Mine,Low\n"), membership)
        let verify = try SegProcess.run(["run", ws, "--verify", "v1"])
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
        XCTAssertTrue(verify.stdout.contains("reproduces byte for byte"), verify.stdout)
    }

    func testAPluginFileThatIsNotUTF8IsRefusedAtItsLine() throws {
        var bytes = Data("-- caf".utf8); bytes.append(0xE9); bytes.append(contentsOf: Data("\n".utf8))
        bytes.append(try Data(contentsOf: dir.appendingPathComponent("team/criteria/tier.lua")))
        try bytes.write(to: dir.appendingPathComponent("team/criteria/tier.lua"))
        for args in [["run", ws], ["plugins", "lock", ws]] {
            let r = try SegProcess.run(args)
            XCTAssertNotEqual(r.status, 0, args.joined(separator: " "))
            XCTAssertTrue(r.stderr.contains("tier.lua:1") && r.stderr.contains("is not UTF-8 text"), r.stderr)
        }
    }

    func testAnEnvironmentFolderCannotTakeAListedLibrarysName() throws {
        let other = dir.appendingPathComponent("other/team")
        try write(["other/team/criteria/tier.lua": "return {}\n"])
        let r = try SegProcess.run(["run", ws], environment: ["SEG_PLUGIN_PATH": other.path + ":/nonexistent/folder"])
        XCTAssertEqual(r.status, 2, r.stdout)
        XCTAssertTrue(r.stderr.contains("two libraries are named 'team'") && r.stderr.contains("SEG_PLUGIN_PATH"), r.stderr)
    }

    func testALockWithWindowsLineEndsIsCurrentAndNotRewritten() throws {
        XCTAssertEqual(try SegProcess.run(["plugins", "lock", ws]).status, 0)
        let url = dir.appendingPathComponent("ws/plugins.lock")
        let crlf = try String(contentsOf: url, encoding: .utf8).replacingOccurrences(of: "\n", with: "\r\n")
        try crlf.write(to: url, atomically: true, encoding: .utf8)
        let check = try SegProcess.run(["plugins", "lock", ws, "--check"])
        XCTAssertEqual(check.status, 0, check.stderr)
        let again = try SegProcess.run(["plugins", "lock", ws])
        XCTAssertTrue(again.stdout.contains("not rewritten"), again.stdout)
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), crlf)
        XCTAssertEqual(try SegProcess.run(["run", ws, "-q"], environment: ["CI": "true"]).status, 0)
    }

    func testListingALibraryTwiceABadAPILevelAndAHandMadeLockAreRefused() throws {
        try write(["ws/workspace.yaml": "name: ws\nlibraries:\n  - ../team\n  - ../team/\n"])
        let twice = try SegProcess.run(["run", ws])
        XCTAssertEqual(twice.status, 2)
        XCTAssertTrue(twice.stderr.contains("workspace.yaml:4:") && twice.stderr.contains("which is listed before"), twice.stderr)
        try write(["ws/workspace.yaml": "name: ws\nlibraries:\n  - ../team\n",
                   "team/library.yaml": "name: team\nversion: 1.0.0\ndescription: t\napi: [1, -5]\n"])
        let api = try SegProcess.run(["run", ws])
        XCTAssertEqual(api.status, 2)
        XCTAssertTrue(api.stderr.contains("'api' levels start at 1"), api.stderr)
        try write(["team/library.yaml": "name: team\nversion: 1.0.0\ndescription: t\napi: [1]\n",
                   "ws/plugins.lock": "plugins: []\n"])
        let lock = try SegProcess.run(["run", ws], environment: ["CI": "true"])
        XCTAssertEqual(lock.status, 2)
        XCTAssertTrue(lock.stderr.contains("has no lock_version"), lock.stderr)
        let entry = "  - { name: \"tier\", kind: criterion, library: \"team\", version: \"1.0.0\", path: \"criteria/tier.lua\", sha256: HASH }\n"
        let good = String(repeating: "a", count: 64)
        for (plugins, message) in [(entry.replacingOccurrences(of: "HASH", with: "xyz"), "not 64 lower-case hex digits"),
                                   (String(repeating: entry.replacingOccurrences(of: "HASH", with: good), count: 2), "a second time")] {
            try write(["ws/plugins.lock": "lock_version: 1\nplugins:\n" + plugins])
            let bad = try SegProcess.run(["run", ws], environment: ["CI": "true"])
            XCTAssertEqual(bad.status, 2, plugins)
            XCTAssertTrue(bad.stderr.contains("plugins.lock:") && bad.stderr.contains(message)
                          && bad.stderr.contains("seg plugins lock"), bad.stderr)
        }
    }

    func testCINamesAMissingLockAndAPluginsTypoIsNotTakenForAFolder() throws {
        let ci = try SegProcess.run(["run", ws], environment: ["CI": "true"])
        XCTAssertEqual(ci.status, 0, ci.stderr)
        let text = try String(contentsOf: dir.appendingPathComponent("ws/exports/d").appendingPathComponent(
            try FileManager.default.contentsOfDirectory(atPath: ws + "/exports/d")[0]).appendingPathComponent("notes.txt"), encoding: .utf8)
        XCTAssertTrue(text.contains("no plugins.lock: this CI run used the library files as they are"), text)
        let typo = try SegProcess.run(["plugins", "tset"], cwd: dir)
        XCTAssertEqual(typo.status, 2)
        XCTAssertTrue(typo.stderr.contains("did you mean `seg plugins test`?"), typo.stderr)
    }
}
