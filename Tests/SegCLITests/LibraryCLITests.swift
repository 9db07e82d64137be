import Foundation
import XCTest

/// Plugin libraries for teams (docs/LIBRARIES.md), as a user meets them through `seg`: a workspace that lists a
/// shared library, shadowing, version pins, host API levels, `require` kept inside a library, the lock, and
/// `--verify` with the plugin sources stored with a version.
final class LibraryCLITests: XCTestCase {
    /// A folder with `team/` (a library) and `ws/` (a workspace listing it). Returns the folder.
    private func makeTeam(library: [String: String] = [:], workspace: [String: String] = [:],
                       definition: String? = nil) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("seglib-\(UUID().uuidString)")
        var files: [String: String] = [
            "team/library.yaml": "name: team\nversion: 1.4.0\ndescription: a team library\napi: [1]\n",
            "team/lib/team/band.lua": "return { of = function(x) if x >= 50 then return 'High' end return 'Low' end }\n",
            "team/criteria/tier.lua": Self.tier(version: "1.4.0"),
            "ws/workspace.yaml": "name: ws\nlibraries:\n  - ../team\n",
            "ws/data/customers.csv": "customer_id,score,nps_score\nC1,10,9\nC2,60,3\nC3,55,7\nC4,80,10\n",
            "ws/segmentations/d.yaml": definition ?? Self.definition(criteria: "  - plugin: tier\n"),
        ]
        for (k, v) in library { files["team/\(k)"] = v }
        for (k, v) in workspace { files["ws/\(k)"] = v }
        for (path, text) in files {
            let url = dir.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return dir
    }

    static func tier(version: String, body: String = "return band.of(row.score)", api: Int = 1) -> String {
        """
        local band = require "team.band"
        return {
          api = \(api), kind = "criterion", name = "tier", version = "\(version)", description = "High or Low",
          uses = { "score" },
          assign = function(row, p) \(body) end,
        }
        """
    }

    static func definition(criteria: String, extra: String = "") -> String {
        "population: customers\nid: customer_id\nas_of: 2024-01-01\ndatasets:\n  customers:\n    file: data/customers.csv\n\(extra)criteria:\n\(criteria)profile:\n  numeric: [score]\n"
    }

    private func seg(_ args: [String], _ env: [String: String] = [:]) throws -> SegProcess.Result {
        try SegProcess.run(args, environment: env)
    }

    func testALibraryPluginRunsAndItsLibraryVersionAndModulesAreRecorded() throws {
        let dir = try makeTeam()
        defer { try? FileManager.default.removeItem(at: dir) }
        let ws = dir.appendingPathComponent("ws").path
        let run = try seg(["run", ws, "--ci"])
        XCTAssertEqual(run.status, 0, run.stderr + run.stdout)
        let show = try seg(["show", ws, "latest"])
        XCTAssertEqual(show.status, 0, show.stderr)
        let profiles = try String(contentsOf: URL(fileURLWithPath: ws).appendingPathComponent("exports/d").appendingPathComponent(
            try FileManager.default.contentsOfDirectory(atPath: ws + "/exports/d")[0]).appendingPathComponent("profiles.json"), encoding: .utf8)
        XCTAssertTrue(profiles.contains("\"library\" : \"team\""), profiles)
        XCTAssertTrue(profiles.contains("\"file\" : \"lib/team/band.lua\""), "the module it requires is recorded: \(profiles)")
    }

    func testShadowingIsReportedWithBothPathsInTheListAndTheRunNotes() throws {
        // The workspace's own nps.lua (9.9.9) shadows the bundled nps (1.0.0); the team library's tier is used.
        let dir = try makeTeam(workspace: ["plugins/nps.lua": """
            return { api = 1, kind = "criterion", name = "nps", version = "9.9.9", description = "mine",
                     uses = { "nps_score" }, assign = function(row) return "Mine" end }
            """], definition: Self.definition(criteria: "  - plugin: nps\n"))
        defer { try? FileManager.default.removeItem(at: dir) }
        let ws = dir.appendingPathComponent("ws").path
        let list = try seg(["plugins", "list", ws])
        XCTAssertEqual(list.status, 0, list.stderr)
        let line = list.stdout.split(separator: "\n").first { $0.hasPrefix("nps ") }.map(String.init) ?? ""
        XCTAssertTrue(line.contains("9.9.9") && line.contains("ws/plugins/nps.lua"), list.stdout)
        XCTAssertTrue(line.contains("segwork 1.1.0") && line.contains("plugins/criteria/nps.lua"), "what it shadows, with its path: \(line)")
        let json = try seg(["plugins", "list", ws, "--json"])
        let array = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]] ?? []
        let nps = array.first { $0["name"] as? String == "nps" }
        XCTAssertEqual(nps?["library"] as? String, "workspace")
        XCTAssertEqual((nps?["shadows"] as? [[String: Any]])?.first?["library"] as? String, "segwork")

        let run = try seg(["run", ws])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("note: plugin 'nps' of workspace"), run.stdout)
        XCTAssertTrue(run.stdout.contains("shadows the one of segwork"), run.stdout)
        let folder = dir.appendingPathComponent("ws/exports/d")
        let notes = try String(contentsOf: folder.appendingPathComponent(try FileManager.default.contentsOfDirectory(atPath: folder.path)[0])
            .appendingPathComponent("notes.txt"), encoding: .utf8)
        XCTAssertTrue(notes.contains("shadows the one of segwork") && notes.contains("library: segwork"), notes)

        // `library: segwork` takes the bundled one, and then nothing is shadowed for this use.
        try Self.definition(criteria: "  - plugin: nps\n    library: segwork\n").write(
            to: dir.appendingPathComponent("ws/segmentations/d.yaml"), atomically: true, encoding: .utf8)
        let bundled = try seg(["run", ws])
        XCTAssertEqual(bundled.status, 0, bundled.stderr)
        XCTAssertTrue(bundled.stdout.contains("Promoter") && !bundled.stdout.contains("Mine"), bundled.stdout)
        XCTAssertFalse(bundled.stdout.contains("shadows"), bundled.stdout)
    }

    func testAPinTheVersionDoesNotMeetIsADefinitionErrorAtItsLine() throws {
        let dir = try makeTeam(definition: Self.definition(criteria: "  - plugin: tier\n    version: \"^2.0\"\n"))
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try seg(["run", dir.appendingPathComponent("ws").path])
        XCTAssertEqual(run.status, 2, run.stderr)
        XCTAssertTrue(run.stderr.contains("d.yaml:9:"), run.stderr)
        XCTAssertTrue(run.stderr.contains("pinned to version ^2.0 (>=2.0.0 <3.0.0), but the one found is 1.4.0"), run.stderr)
        XCTAssertTrue(run.stderr.contains("team/criteria/tier.lua"), "where it lives: \(run.stderr)")

        // A range the version meets runs; a malformed range is refused at its line.
        for (range, status) in [("~1.4.0", Int32(0)), (">=1.0 <2", 0), ("1.x", 0), ("^1.5", 2), ("1.4.0 || ^3", 0), ("one", 2)] {
            try Self.definition(criteria: "  - plugin: tier\n    version: \"\(range)\"\n").write(
                to: dir.appendingPathComponent("ws/segmentations/d.yaml"), atomically: true, encoding: .utf8)
            let r = try seg(["run", dir.appendingPathComponent("ws").path, "-q"])
            XCTAssertEqual(r.status, status, "\(range): \(r.stderr)")
        }
    }

    func testHostAPILevelsTheHostLacksAreRefusedSayingWhichLevelIsNeeded() throws {
        let lib = try makeTeam(library: ["library.yaml": "name: team\nversion: 2.0.0\ndescription: future\napi: [2]\n"])
        defer { try? FileManager.default.removeItem(at: lib) }
        let a = try seg(["run", lib.appendingPathComponent("ws").path])
        XCTAssertEqual(a.status, 2, a.stderr)
        XCTAssertTrue(a.stderr.contains("library.yaml:4:") && a.stderr.contains("needs host API level 2"), a.stderr)

        let plugin = try makeTeam(library: ["criteria/tier.lua": Self.tier(version: "1.4.0", api: 2)])
        defer { try? FileManager.default.removeItem(at: plugin) }
        let b = try seg(["run", plugin.appendingPathComponent("ws").path])
        XCTAssertNotEqual(b.status, 0, b.stderr)
        XCTAssertTrue(b.stderr.contains("needs host API level 2, but this host provides levels 1 to 1"), b.stderr)
    }

    func testRequireFindsOnlyTheLibrarysOwnModulesAndTheBundledOnes() throws {
        // A module only the workspace has is out of reach for the library's plugin; segutil (bundled) is in reach.
        let dir = try makeTeam(library: ["criteria/tier.lua": """
            local mine = require "wsonly"
            return { api = 1, kind = "criterion", name = "tier", version = "1.4.0", description = "x",
                     uses = { "score" }, assign = function(row) return mine.x end }
            """], workspace: ["plugins/lib/wsonly.lua": "return { x = 'W' }\n"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try seg(["run", dir.appendingPathComponent("ws").path])
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertTrue(run.stderr.contains("module 'wsonly' not found"), run.stderr)
        XCTAssertFalse(run.stderr.contains("ws/plugins/lib"), "the workspace's lib is not searched: \(run.stderr)")
        XCTAssertTrue(run.stderr.contains("team/lib/wsonly.lua, bundled:lib/wsonly.lua"), "both folders searched, Segwork's own named, not its path: \(run.stderr)")
        XCTAssertFalse(run.stderr.contains(SegProcess.root.appendingPathComponent("plugins").path), run.stderr)

        try Self.tier(version: "1.4.0").replacingOccurrences(of: "local band = require \"team.band\"",
                                                           with: "local band = require \"team.band\"; local s = require \"segutil\"")
            .write(to: dir.appendingPathComponent("team/criteria/tier.lua"), atomically: true, encoding: .utf8)
        let ok = try seg(["run", dir.appendingPathComponent("ws").path])
        XCTAssertEqual(ok.status, 0, ok.stderr)
    }

    func testTheLockIsStableRefusesDriftUnderCIAndWarnsLocally() throws {
        let dir = try makeTeam()
        defer { try? FileManager.default.removeItem(at: dir) }
        let ws = dir.appendingPathComponent("ws").path
        let lockURL = dir.appendingPathComponent("ws/plugins.lock")
        XCTAssertEqual(try seg(["plugins", "lock", ws]).status, 0)
        let text = try String(contentsOf: lockURL, encoding: .utf8)
        XCTAssertTrue(text.contains("name: \"tier\"") && text.contains("library: \"team\"") && text.contains("path: \"criteria/tier.lua\"")
                      && text.contains("path: \"lib/team/band.lua\""), text)
        XCTAssertFalse(text.contains(dir.path), "no machine-specific path: \(text)")

        // Unchanged: not rewritten (same inode, same time).
        let before = try FileManager.default.attributesOfItem(atPath: lockURL.path)
        let again = try seg(["plugins", "lock", ws])
        XCTAssertTrue(again.stdout.contains("not rewritten"), again.stdout)
        let after = try FileManager.default.attributesOfItem(atPath: lockURL.path)
        XCTAssertEqual(before[FileAttributeKey.systemFileNumber] as? Int, after[FileAttributeKey.systemFileNumber] as? Int)
        XCTAssertEqual(before[FileAttributeKey.modificationDate] as? Date, after[FileAttributeKey.modificationDate] as? Date)

        // The same files elsewhere give the same bytes.
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("seglib-copy-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: dir, to: copy)
        defer { try? FileManager.default.removeItem(at: copy) }
        try FileManager.default.removeItem(at: copy.appendingPathComponent("ws/plugins.lock"))
        XCTAssertEqual(try seg(["plugins", "lock", copy.appendingPathComponent("ws").path]).status, 0)
        XCTAssertEqual(try Data(contentsOf: copy.appendingPathComponent("ws/plugins.lock")), try Data(contentsOf: lockURL))

        // A teammate edits the shared module: CI refuses (exit 2) naming the plugin and both hashes; locally a warning.
        let oldHash = text.components(separatedBy: "path: \"lib/team/band.lua\"\n        sha256: ")[1].prefix(64)
        try "return { of = function(x) return 'Edited' end }\n".write(
            to: dir.appendingPathComponent("team/lib/team/band.lua"), atomically: true, encoding: .utf8)
        let ci = try seg(["run", ws], ["CI": "true"])
        XCTAssertEqual(ci.status, 2, ci.stderr)
        XCTAssertTrue(ci.stderr.contains("module 'team.band' required by 'tier'") && ci.stderr.contains(String(oldHash)), ci.stderr)
        XCTAssertTrue(ci.stderr.contains("run `seg plugins lock`"), ci.stderr)
        XCTAssertTrue(ci.stdout.contains("\"ok\" : false"), "headless callers get a summary: \(ci.stdout)")
        let versions = try seg(["versions", ws])
        XCTAssertFalse(versions.stdout.contains("v1"), "nothing ran: \(versions.stdout)")
        let local = try seg(["run", ws])
        XCTAssertEqual(local.status, 0, local.stderr)
        XCTAssertTrue(local.stderr.contains("seg: warning:") && local.stderr.contains(String(oldHash)), local.stderr)
        XCTAssertTrue(local.stdout.contains("Edited"), local.stdout)

        // seg check and --verify compare too.
        let check = try seg(["check", ws, "--ci"])
        XCTAssertEqual(check.status, 2, check.stderr)
        let verifyLocal = try seg(["run", ws, "--verify", "latest"])
        XCTAssertEqual(verifyLocal.status, 0, verifyLocal.stderr)
        XCTAssertTrue(verifyLocal.stderr.contains("seg: warning:"), verifyLocal.stderr)
        XCTAssertEqual(try seg(["run", ws, "--verify", "latest", "--ci"]).status, 2)

        // Accepting the change: lock again, and CI runs.
        XCTAssertEqual(try seg(["plugins", "lock", ws]).status, 0)
        XCTAssertEqual(try seg(["plugins", "lock", ws, "--check"]).status, 0)
        XCTAssertEqual(try seg(["run", ws], ["CI": "true"]).status, 0)
        // A version bump alone is drift too.
        try Self.tier(version: "1.4.1").write(to: dir.appendingPathComponent("team/criteria/tier.lua"), atomically: true, encoding: .utf8)
        let bumped = try seg(["run", ws, "--ci"])
        XCTAssertEqual(bumped.status, 2)
        XCTAssertTrue(bumped.stderr.contains("is version 1.4.1; the lock has 1.4.0"), bumped.stderr)
        XCTAssertEqual(try seg(["plugins", "lock", ws, "--check"]).status, 1)
    }

    func testVerifyRunsTheStoredSourcesAndNamesAChangedSourceInput() throws {
        let dir = try makeTeam(workspace: ["plugins/pipe.lua": """
            return { api = 1, kind = "source", name = "pipe", version = "1.0.0", description = "reads a|b",
              params = { file = "data/survey.txt" },
              columns = { { name = "customer_id", type = "string" }, { name = "answer", type = "integer" } },
              read = function(src, p)
                for line in src:lines(p.file) do
                  local f = seg.split(line, "|")
                  src:emit{ customer_id = f[1], answer = tonumber(f[2]) }
                end
              end }
            """, "data/survey.txt": "C1|1\nC2|2\n"], definition: Self.definition(criteria: "  - plugin: tier\n", extra: """
              survey:
                source: pipe
                join: customer_id

            """))
        defer { try? FileManager.default.removeItem(at: dir) }
        let ws = dir.appendingPathComponent("ws").path
        XCTAssertEqual(try seg(["run", ws, "-q"]).status, 0)
        // Editing the plugin and its module: --verify still reproduces, with the stored sources, and says so.
        try Self.tier(version: "1.4.0", body: "return 'Changed'").write(to: dir.appendingPathComponent("team/criteria/tier.lua"), atomically: true, encoding: .utf8)
        try "return { of = function(x) return 'X' end }\n".write(to: dir.appendingPathComponent("team/lib/team/band.lua"), atomically: true, encoding: .utf8)
        let verify = try seg(["run", ws, "--verify", "v1"])
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
        XCTAssertTrue(verify.stdout.contains("reproduces byte for byte"), verify.stdout)
        XCTAssertTrue(verify.stdout.contains("plugin 'tier' (") && verify.stdout.contains("was edited since v1"), verify.stdout)
        XCTAssertTrue(verify.stdout.contains("module 'team.band'"), verify.stdout)

        // A file the source plugin reads changed: the version does not reproduce, and the file is named.
        try "C1|1\nC2|5\nC3|4\n".write(to: dir.appendingPathComponent("ws/data/survey.txt"), atomically: true, encoding: .utf8)
        let changed = try seg(["run", ws, "--verify", "v1"])
        XCTAssertEqual(changed.status, 1, changed.stdout)
        XCTAssertTrue(changed.stdout.contains("dataset 'survey' (plugin:pipe) came out differently: 2 rows"), changed.stdout)
        XCTAssertTrue(changed.stdout.contains("file data/survey.txt, read by source plugin 'pipe' for dataset 'survey', changed since v1"), changed.stdout)
    }
}
