import Foundation
import XCTest

/// `seg plugins lint`: each problem of a sloppy plugin at its line, the bundled library clean, luacheck missing,
/// targets by name, and the rule-set checks of a workspace.
final class PluginsLintCLITests: XCTestCase {
    /// A library (library.yaml) with one plugin that has every problem lint knows, one whose manifest is broken, a
    /// module that reads a parameter, and files that are not plugins (lib/, tests/, fixtures/, *.test.lua).
    static let sloppy = """
    -- A sloppy criterion: every problem lint knows about.
    local helper = require "sloppyutil"

    return {
      api = 1,
      kind = "criterion",
      name = "sloppy_tier",
      version = "0.1.0",
      description = "tiers",
      uses = { "score" },
      labels = { "Gold", "At Risk", "at risk" },
      params = {
        gold_min = 80,
        forgotten = 3,
        via_module = 1,
      },

      assign = function(r, p)
        seen = (seen or 0) + 1
        if r.score == nil then return nil end
        if r["region"] == "EU" then return "Gold" end
        if r.score >= p.gold_min then return "Gold" end
        if r.score > 200 then return "Platinum" end
        if helper.low(r.score, p) then return "At  Risk" end
        return "Silver"
      end,
    }
    """

    private func library() throws -> TempWorkspace {
        try TempWorkspace(files: [
            "workspace.yaml": "",  // replaced below: a library has no workspace.yaml
            "library.yaml": "name: sloppy\nversion: 0.1.0\ndescription: a sloppy team library\napi: [1]\n",
            "criteria/sloppy.lua": Self.sloppy,
            "criteria/broken.lua": "return {\n  api = 1,\n  kind = \"criterio\",\n  name = \"broken\",\n  version = \"1\",\n  description = \"d\",\n  uses = {},\n  assign = function() return nil end,\n}\n",
            "lib/sloppyutil.lua": "local M = {}\nfunction M.low(v, p) return v < p.via_module end\nreturn M\n",
            "criteria/tests/helper.lua": "oops = 1\n",
            "criteria/fixtures/f.lua": "oops = 1\n",
            "criteria/sloppy.test.lua": "oops = 1\n",
        ])
    }

    private func lint(_ args: [String], cwd: URL? = nil, environment: [String: String] = [:]) throws -> SegProcess.Result {
        try SegProcess.run(["plugins", "lint"] + args, cwd: cwd, environment: environment)
    }

    private var hasLuacheck: Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
            .contains { FileManager.default.isExecutableFile(atPath: "\($0)/luacheck") }
    }

    func testEachProblemOfASloppyPluginIsReportedAtItsLine() throws {
        let lib = try library()
        defer { lib.remove() }
        try FileManager.default.removeItem(at: lib.root.appendingPathComponent("workspace.yaml"))
        let r = try lint(["."], cwd: lib.root)
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        func has(_ prefix: String, _ fragment: String) {
            XCTAssertTrue(lines.contains { $0.hasPrefix(prefix) && $0.contains(fragment) }, "\(prefix) … \(fragment) in:\n\(r.stdout)")
        }
        has("criteria/sloppy.lua:7: error:", "declares name 'sloppy_tier', but definitions find plugins by file name ('sloppy')")
        has("criteria/sloppy.lua:11: warning:", "label 'at risk' differs from 'At Risk' only in case or spacing")
        has("criteria/sloppy.lua:14: warning:", "parameter 'forgotten' is declared in params but never read")
        has("criteria/sloppy.lua:21: error:", "reads row.region, but 'uses' does not list 'region'")
        has("criteria/sloppy.lua:23: warning:", "assign returns 'Platinum', which labels = { … } does not list")
        has("criteria/sloppy.lua:24: warning:", "label 'At  Risk' differs from 'At Risk'")
        has("criteria/broken.lua:3: error:", "does not load")
        XCTAssertFalse(r.stdout.contains("via_module"), "a parameter read in a required module is used")
        XCTAssertFalse(r.stdout.contains("gold_min"), r.stdout)
        for notPlugin in ["tests/helper.lua", "fixtures/f.lua", "sloppy.test.lua", "lib/sloppyutil.lua:"] {
            XCTAssertFalse(r.stdout.contains(notPlugin), "\(notPlugin) is not a plugin:\n\(r.stdout)")
        }
        XCTAssertTrue(lines.last?.hasPrefix("2 plugins checked: ") == true, r.stdout)
        if hasLuacheck {
            has("criteria/sloppy.lua:19: error:", "setting non-standard global variable 'seen'")
            XCTAssertFalse(r.stderr.contains("luacheck not found"), r.stderr)
        }
    }

    func testACleanerWritingAColumnOutsideUsesIsAnError() throws {
        let lib = try TempWorkspace(files: [
            "workspace.yaml": "",
            "library.yaml": "name: cl\nversion: 0.1.0\ndescription: d\napi: [1]\n",
            "cleaners/w.lua": """
                return { api = 1, kind = "cleaner", name = "w", version = "0.1.0", description = "t", uses = { "phone" },
                  clean = function(row, _)
                    row.phone = row.phone
                    row.newcol = 1
                    row["other"] = 2
                    return row
                  end }
                """,
        ])
        defer { lib.remove() }
        try FileManager.default.removeItem(at: lib.root.appendingPathComponent("workspace.yaml"))
        let r = try lint([lib.root.path])
        XCTAssertEqual(r.status, 1, r.stdout)
        XCTAssertTrue(r.stdout.contains("cleaners/w.lua:4: error: writes row.newcol, but 'uses' does not list 'newcol'"), r.stdout)
        XCTAssertTrue(r.stdout.contains("cleaners/w.lua:5: error: writes row.other"), r.stdout)
        XCTAssertFalse(r.stdout.contains("row.phone"), "a column it uses may be written: \(r.stdout)")
    }

    func testWithoutLuacheckTheContractChecksStillRunAndItIsSaidOnce() throws {
        let lib = try library()
        defer { lib.remove() }
        try FileManager.default.removeItem(at: lib.root.appendingPathComponent("workspace.yaml"))
        let r = try lint([lib.root.path, "sloppy"], environment: ["PATH": "/nonexistent"])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "luacheck not found: Lua-level checks skipped; install lua-check\n")
        XCTAssertTrue(r.stdout.contains("/criteria/sloppy.lua:21: error: reads row.region"), r.stdout)
        XCTAssertFalse(r.stdout.contains("broken.lua"), "only the plugin named is linted:\n\(r.stdout)")
        XCTAssertTrue(r.stdout.contains("1 plugin checked: 2 errors, 5 warnings"), r.stdout)
    }

    func testTheBundledLibraryIsClean() throws {
        try XCTSkipUnless(hasLuacheck, "luacheck (lua-check) is installed by scripts/ensure-deps")
        let r = try lint(["plugins", "--strict"], cwd: SegProcess.root)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.hasSuffix("plugins checked: 0 errors, 0 warnings\n"), r.stdout)
    }

    func testUnknownPluginNameOrTwoFoldersIsAUsageError() throws {
        let unknown = try lint(["plugins", "rfn"], cwd: SegProcess.root)
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("has no plugin 'rfn'; did you mean 'rfm'?"), unknown.stderr)
        let two = try lint(["plugins", "workspaces/demo"], cwd: SegProcess.root)
        XCTAssertEqual(two.status, 2, two.stderr)
    }

    func testWorkspaceLintReportsTheRuleSetChecksOfEveryDefinition() throws {
        let ws = try RuleSetWorkspace.make()
        defer { ws.remove() }
        let r = try lint([ws.root.path])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let out = r.stdout
        XCTAssertTrue(out.contains("segmentations/dead.yaml:9: warning: criterion 'tier' (criteria[1]) never decides under first_match"), out)
        XCTAssertTrue(out.contains("segmentations/crossed.yaml:8: warning: 2 of 4 label combinations never occur although each label does: 'Low × Big'"), out)
        XCTAssertTrue(out.contains("label 'Impossible' of 'tier' (plugins/tier.lua:8) is never returned on this data, nor for any value tried (score in -50...149)"), out)
        XCTAssertTrue(out.contains("label 'Negative' of 'tier' (plugins/tier.lua:8) is never returned on this data (it is for score = -50)"), out)
        XCTAssertTrue(out.contains("[rule-set:unreachable-label]"), out)
        XCTAssertEqual(try lint([ws.root.path, "--strict"]).status, 1)

        let json = try lint([ws.root.path, "--json"])
        XCTAssertEqual(json.status, 0, json.stderr)
        let findings = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        let dead = try XCTUnwrap(findings.first { $0["code"] as? String == "rule-set:dead-criterion" })
        XCTAssertEqual(dead["line"] as? Int, 9)
        XCTAssertEqual(dead["severity"] as? String, "warning")
        XCTAssertTrue((dead["file"] as? String)?.hasSuffix("segmentations/dead.yaml") == true, "\(dead)")
    }
}

/// A small workspace for the rule-set checks: `dead` (first_match, a catch-all before a tier, which never decides),
/// `crossed` (cross of two criteria that agree, so two combinations are empty), and a threshold criterion `tier`
/// whose label "Impossible" no value can reach and whose "Negative" the data never has.
enum RuleSetWorkspace {
    static func make() throws -> TempWorkspace {
        let rows = (0..<40).map { "C\(String(format: "%03d", $0)),\(($0 * 37) % 100)" }.joined(separator: "\n")
        let def = { (criteria: String, combine: String) in
            "population: customers\nid: customer_id\nas_of: 2024-12-31\ndatasets:\n  customers:\n    file: data/customers.csv\ncriteria:\n\(criteria)combine: \(combine)\n"
        }
        return try TempWorkspace(files: [
            "data/customers.csv": "customer_id,score\n\(rows)\nC999,\n",
            "plugins/tier.lua": """
            return {
              api = 1,
              kind = "criterion",
              name = "tier",
              version = "1.0.0",
              description = "High or Low by score",
              uses = { "score" },
              labels = { "High", "Low", "Negative", "Impossible" },
              params = { high_min = 50 },
              assign = function(row, p)
                local s = row.score
                if s == nil then return nil end
                if s < 0 then return "Negative" end
                if s >= p.high_min then return "High" end
                if s > 200 then return "Impossible" end
                return "Low"
              end,
            }
            """,
            "plugins/size.lua": """
            return {
              api = 1, kind = "criterion", name = "size", version = "1.0.0", description = "Big or Small by score",
              uses = { "score" },
              assign = function(row)
                if row.score == nil then return nil end
                if row.score >= 50 then return "Big" end
                return "Small"
              end,
            }
            """,
            "plugins/everyone.lua": """
            return { api = 1, kind = "criterion", name = "everyone", version = "1.0.0", description = "All", uses = {},
                     assign = function() return "All" end }
            """,
            "segmentations/dead.yaml": def("  - plugin: everyone\n  - plugin: tier\n", "first_match"),
            "segmentations/crossed.yaml": def("  - plugin: tier\n  - plugin: size\n", "cross"),
        ])
    }
}
