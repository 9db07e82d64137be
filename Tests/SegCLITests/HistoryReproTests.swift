import Foundation
import XCTest

/// `seg run --verify`: stored versions re-execute byte for byte, random draws and the clock included.
final class HistoryReproTests: XCTestCase {
    /// A scorer that draws from `math.random` and reads `os.time()`: without the per-run seed and frozen clock its
    /// output would differ on every run.
    static let lucky = """
        return { api = 1, kind = "scorer", name = "lucky", version = "1.0.0",
          description = "a random draw plus the clock", uses = { "age" },
          score = function(row, p) return math.random(1, 1000) * FACTOR + (os.time() % 86400) / 86400 end }

        """

    func testVerifyReproducesRandomAndClockAndReportsAChangedPlugin() throws {
        let ws = try Shop.workspace(
            definitions: ["tiers": Shop.definition(scorers: "scorers:\n  - plugin: lucky\n", numeric: ["monetary", "lucky"])],
            plugins: ["lucky": Self.lucky.replacingOccurrences(of: "FACTOR", with: "1")])
        defer { ws.remove() }
        let run = try seg(["run", ws.root.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        let folder = "exports/tiers/\(try ws.runID(of: "v1"))"
        let membership = String(decoding: try ws.data("\(folder)/membership.csv"), as: UTF8.self)
        let draws = membership.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[2] }
        XCTAssertEqual(draws.count, 5)
        XCTAssertGreaterThan(Set(draws).count, 1, "the scorer really draws random numbers: \(membership)")

        let verify = try seg(["run", ws.root.path, "--verify", "v1"])
        XCTAssertEqual(verify.status, 0, verify.stderr + verify.stdout)
        XCTAssertTrue(verify.stdout.contains("v1 (tiers, run \(try ws.runID(of: "v1"))) reproduces byte for byte"), verify.stdout)
        XCTAssertEqual(try ws.versionRows().count, 1, "--verify stores no version")

        // A second run draws the same numbers: same run id, same bytes (checked against the folder and the stored
        // version), so it is no new version.
        let second = try seg(["run", ws.root.path])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stdout.contains("unchanged: same as v1"), second.stdout)
        XCTAssertEqual(try ws.versionRows().count, 1)
        XCTAssertEqual(String(decoding: try ws.data("\(folder)/membership.csv"), as: UTF8.self), membership)

        // --verify re-executes the stored definition text: editing the file does not change what v1 was.
        try ws.write("segmentations/tiers.yaml", Shop.definition(criteria: "criteria:\n  - plugin: tier\n    params: { gold: 10 }\n"))
        XCTAssertEqual(try seg(["run", ws.root.path, "--verify", "latest"]).status, 0)

        // Editing the plugin would change its output, but --verify runs the source stored with v1: it still
        // reproduces, and says the file was edited since (with both hashes).
        try ws.write("plugins/lucky.lua", Self.lucky.replacingOccurrences(of: "FACTOR", with: "2"))
        let changed = try seg(["run", ws.root.path, "--verify", "v1"])
        XCTAssertEqual(changed.status, 0, changed.stdout + changed.stderr)
        XCTAssertTrue(changed.stdout.contains("reproduces byte for byte"), changed.stdout)
        XCTAssertTrue(changed.stdout.contains("plugin 'lucky' (") && changed.stdout.contains("plugins/lucky.lua) was edited since v1: sha256 "), changed.stdout)
        XCTAssertTrue(changed.stdout.contains("re-executed with the source stored with it"), changed.stdout)
        XCTAssertEqual(try ws.versionRows().count, 1, "--verify stores nothing")

        let unknown = try seg(["run", ws.root.path, "--verify", "v7"])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.stderr.contains("unknown version 'v7'"), unknown.stderr)
    }
}
