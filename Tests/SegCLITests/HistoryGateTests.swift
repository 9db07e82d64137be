import Foundation
import XCTest

/// Gates after `seg run` and in `seg check`, and headless (`--ci`, `CI=true`, `--summary`) runs.
final class HistoryGateTests: XCTestCase {
    private let passing = "gates:\n  min_segment_size: 1\n  required_segments: [Gold]\n  max_unassigned_share: 40%\n"
    private let failing = "gates:\n  min_segment_size: 2\n  max_unassigned_share: 10%\n"

    func testFailingGatesExitThreeKeepTheVersionAndNameTheNumbers() throws {
        let ws = try Shop.workspace(definitions: ["tiers": Shop.definition(extra: passing)])
        defer { ws.remove() }
        let ok = try seg(["run", ws.root.path])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertTrue(ok.stdout.range(of: "gates: (\\d+) of \\1 passed\n", options: .regularExpression) != nil, ok.stdout)

        // Default date: Gold 3 (a, b, d), Basic 1 (c), unassigned 1 (e).
        try ws.write("segmentations/tiers.yaml", Shop.definition(extra: failing))
        let bad = try seg(["run", ws.root.path])
        XCTAssertEqual(bad.status, 3, bad.stderr)
        XCTAssertTrue(bad.stdout.contains("FAILED:\n    gate min_segment_size: segment 'Basic' has 1 customer, below the minimum of 2"),
                      bad.stdout)
        XCTAssertTrue(bad.stdout.contains("    gate max_unassigned_share: 20% of customers (1 of 5) is unassigned, above the maximum of 10%"),
                      bad.stdout)
        XCTAssertEqual(try ws.versionRows().map { $0[0] }, ["v1", "v2"], "a version that fails its gates is still stored")
        XCTAssertFalse(try ws.runID(of: "v2").isEmpty)
        XCTAssertTrue(FileManager.default.fileExists(atPath: ws.root.appendingPathComponent("exports/tiers/\(try ws.runID(of: "v2"))/membership.csv").path))

        // The same run again stores nothing new, and its gates still fail.
        let quiet = try seg(["run", ws.root.path, "-q"])
        XCTAssertEqual(quiet.status, 3)
        XCTAssertEqual(quiet.stdout, "")
        XCTAssertTrue(quiet.stderr.contains("seg: gate failed: gate min_segment_size: segment 'Basic'"), quiet.stderr)
        XCTAssertEqual(try ws.versionRows().map { $0[0] }, ["v1", "v2"], "an unchanged re-run is no new version")
        XCTAssertEqual(try ws.versionRows().map { $0.last }, ["passed", "FAILED"])

        let check = try seg(["check", ws.root.path])
        XCTAssertEqual(check.status, 3, check.stderr)
        XCTAssertTrue(check.stdout.contains("v2  tiers") && check.stdout.contains("FAILED gate min_segment_size"), check.stdout)
        // Each version is checked against the gates it was made with.
        let first = try seg(["check", ws.root.path, "v1"])
        XCTAssertEqual(first.status, 0, first.stdout)
        XCTAssertTrue(first.stdout.contains("v1  tiers  4/4 gates passed"), first.stdout)
        XCTAssertEqual(try seg(["check", ws.root.path, "v2"]).status, 3)
        XCTAssertEqual(try seg(["check", ws.root.path, "v8"]).status, 2)
    }

    func testMaxDriftComparesWithTheLastVersionThatPassedOrWasApproved() throws {
        let gates = "gates:\n  max_drift: 25%\n"
        let ws = try Shop.workspace(definitions: ["tiers": Shop.definition(extra: gates)])
        defer { ws.remove() }
        let first = try seg(["run", ws.root.path, "--as-of", "2024-03-31"])
        XCTAssertEqual(first.status, 0, first.stdout)
        XCTAssertTrue(first.stdout.contains("gates: 1 of 1 passed"), first.stdout)
        XCTAssertFalse(first.stdout.contains("drift since"), "no baseline, no drift: \(first.stdout)")
        // b and d move: 2 of 5.
        let second = try seg(["run", ws.root.path])
        XCTAssertEqual(second.status, 3, second.stdout)
        XCTAssertTrue(second.stdout.contains("drift since the baseline v1: 40.0%"), second.stdout)
        XCTAssertTrue(second.stdout.contains("FAILED:\n    gate max_drift: 40% of the customers in both versions changed segment since the baseline v1"),
                      second.stdout)
        // The same run again is no new version, and is still judged against v1, not against itself.
        let third = try seg(["run", ws.root.path])
        XCTAssertEqual(third.status, 3, third.stdout)
        XCTAssertTrue(third.stdout.contains("tiers  unchanged: same as v2  run "), third.stdout)
        XCTAssertTrue(third.stdout.contains("drift since the baseline v1: 40.0%"), third.stdout)
        // A changed definition (a new run id, the same segments as the failed v2) is compared with v1 too: re-running
        // cannot wash a failed drift gate away.
        try ws.write("segmentations/tiers.yaml", Shop.definition(extra: gates + "# reworded\n"))
        let fourth = try seg(["run", ws.root.path, "--ci"])
        XCTAssertEqual(fourth.status, 3, fourth.stdout)
        let run = try XCTUnwrap(summaryRuns(try jsonObject(fourth.stdout)).first)
        XCTAssertEqual(run["version"] as? String, "v3")
        XCTAssertEqual(run["baseline"] as? String, "v1")
        XCTAssertEqual(run["drift"] as? Double, 0.4)
        XCTAssertEqual(run["unchanged"] as? Bool, false)
        XCTAssertEqual(try ws.versionRows().map { $0.last }, ["passed", "FAILED", "FAILED"])
        XCTAssertEqual(try seg(["check", ws.root.path, "v2"]).status, 3)
        XCTAssertEqual(try seg(["check", ws.root.path]).status, 3)

        // A person accepts v2: its failures no longer fail, and it becomes the baseline of later versions.
        let approve = try seg(["approve", ws.root.path, "v2"])
        XCTAssertEqual(approve.status, 0, approve.stderr)
        XCTAssertTrue(approve.stdout.contains("approved v2 (tiers, run ") && approve.stdout.contains("1 failed gate accepted"), approve.stdout)
        XCTAssertTrue(try seg(["approve", ws.root.path, "v2"]).stdout.contains("already approved"))
        XCTAssertEqual(try ws.versionRows().map { $0.last }, ["passed", "approved", "passed"], "v3 is judged against v2 now")
        let checkV2 = try seg(["check", ws.root.path, "v2"])
        XCTAssertEqual(checkV2.status, 0, checkV2.stdout)
        XCTAssertTrue(checkV2.stdout.contains("approved at") && checkV2.stdout.contains("failures accepted"), checkV2.stdout)
        let again = try seg(["run", ws.root.path])
        XCTAssertEqual(again.status, 0, again.stdout)
        XCTAssertTrue(again.stdout.contains("unchanged: same as v3") && again.stdout.contains("drift since the baseline v2: 0.0%"),
                      again.stdout)
        // The first definition and reference date again: the same run as v1, but not the latest, so a new version,
        // noted as such.
        try ws.write("segmentations/tiers.yaml", Shop.definition(extra: gates))
        XCTAssertEqual(try seg(["run", ws.root.path, "--as-of", "2024-03-31", "-q"]).status, 3, "40% away from v3")
        let list = try seg(["versions", ws.root.path])
        XCTAssertTrue(list.stdout.contains("v4 is the same run as v1"), list.stdout)
        XCTAssertEqual(try ws.runID(of: "v4"), try ws.runID(of: "v1"))
        XCTAssertEqual(try seg(["approve", ws.root.path, "v9"]).status, 2)
    }

    /// Every id renamed: no customer is in both the baseline and the new version, so drift cannot be measured and
    /// the gate fails (QA: it passed, said "there is no baseline", and the version became the next baseline).
    func testMaxDriftFailsWhenNoCustomerIsInTheBaseline() throws {
        let ws = try Shop.workspace(definitions: ["tiers": Shop.definition(extra: "gates:\n  max_drift: 25%\n")])
        defer { ws.remove() }
        XCTAssertEqual(try seg(["run", ws.root.path, "-q"]).status, 0)
        func renamed(_ text: String) -> String {
            text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { i, line in
                guard i > 0, !line.isEmpty else { return String(line) }
                var f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                let k = f.count == 2 ? 0 : 1   // customers: id first; transactions: id second
                f[k] = "X-" + f[k]
                return f.joined(separator: ",")
            }.joined(separator: "\n")
        }
        try ws.write("data/customers.csv", renamed(Shop.customers))
        try ws.write("data/transactions.csv", renamed(Shop.transactions))
        let moved = try seg(["run", ws.root.path])
        XCTAssertEqual(moved.status, 3, moved.stdout + moved.stderr)
        XCTAssertTrue(moved.stdout.contains("no customer of the baseline v1 is in this version"), moved.stdout)
    }

    func testHeadlessRunsPrintOnlyTheJSONSummary() throws {
        let ws = try Shop.workspace(definitions: ["tiers": Shop.definition(extra: passing)])
        defer { ws.remove() }
        let ci = try seg(["run", ws.root.path, "--ci"])
        XCTAssertEqual(ci.status, 0, ci.stderr)
        XCTAssertEqual(ci.stderr, "")
        let summary = try jsonObject(ci.stdout)
        XCTAssertEqual(summary["ok"] as? Bool, true)
        XCTAssertEqual(summary["status"] as? Int, 0)
        XCTAssertTrue(summary["error"] is NSNull)
        let run = try XCTUnwrap(summaryRuns(summary).first)
        XCTAssertEqual(run["version"] as? String, "v1")
        XCTAssertEqual(run["definition"] as? String, "tiers")
        XCTAssertEqual(run["runID"] as? String, try ws.runID(of: "v1"))
        let gates = try XCTUnwrap(run["gates"] as? [[String: Any]])
        XCTAssertEqual(gates.count, 4, "min size for Gold and Basic, required Gold, unassigned share")
        XCTAssertTrue(gates.allSatisfy { $0["passed"] as? Bool == true && $0["message"] is String })

        // The same run again: no new version; the summary names the version it repeats.
        let env = try seg(["run", ws.root.path], environment: ["CI": "true"])
        XCTAssertEqual(env.status, 0, env.stderr)
        XCTAssertEqual(env.stderr, "")
        XCTAssertEqual(summaryRuns(try jsonObject(env.stdout)).first?["version"] as? String, "v1")
        XCTAssertEqual(summaryRuns(try jsonObject(env.stdout)).first?["unchanged"] as? Bool, true)
        try ws.write("segmentations/tiers.yaml", Shop.definition(extra: passing + "# changed\n"))

        let file = ws.root.appendingPathComponent("summary.json")
        let toFile = try seg(["run", ws.root.path, "--summary", file.path])
        XCTAssertEqual(toFile.status, 0, toFile.stderr)
        XCTAssertEqual(toFile.stdout, "")
        let written = try jsonObject(String(decoding: try Data(contentsOf: file), as: UTF8.self))
        XCTAssertEqual(summaryRuns(written).first?["version"] as? String, "v2")

        let check = try seg(["check", ws.root.path, "--ci"])
        XCTAssertEqual(check.status, 0, check.stderr)
        XCTAssertEqual(summaryRuns(try jsonObject(check.stdout)).first?["version"] as? String, "v2")
    }

    /// The JSON `error` field is what CI jobs print (`jq -r .error`): a data value with an escape sequence and a
    /// `::error::` line must come out of it defused, as on stderr (QA: the field held them raw).
    func testTheJSONErrorFieldIsSanitised() throws {
        let ws = try Shop.workspace()
        defer { ws.remove() }
        try ws.write("data/transactions.csv", Shop.transactions + "6,e,2024-06-01,\"9\n\u{1B}]0;x\u{07}\n::error::injected\"\n")
        let r = try seg(["run", ws.root.path, "--ci"])
        XCTAssertEqual(r.status, 1, r.stderr)
        let error = try jsonObject(r.stdout)["error"] as? String ?? ""
        XCTAssertFalse(error.isEmpty, r.stdout)
        XCTAssertFalse(error.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 }, error)
        XCTAssertFalse(error.split(separator: "\n").contains { $0.hasPrefix("::") }, error)
    }

    func testHeadlessFailuresStillPrintJSONWithTheDocumentedStatus() throws {
        let boom = """
            return { api = 1, kind = "criterion", name = "boom", version = "1.0.0", description = "always fails",
              uses = { "monetary" }, assign = function(row, p) error("boom on purpose") end }

            """
        let ws = try Shop.workspace(definitions: ["tiers": Shop.definition(extra: failing)], plugins: ["boom": boom])
        defer { ws.remove() }
        // 3: a gate failed.
        let gate = try seg(["run", ws.root.path, "--ci"])
        XCTAssertEqual(gate.status, 3, gate.stderr)
        let gateSummary = try jsonObject(gate.stdout)
        XCTAssertEqual(gateSummary["ok"] as? Bool, false)
        XCTAssertEqual(gateSummary["status"] as? Int, 3)
        let failed = (summaryRuns(gateSummary).first?["gates"] as? [[String: Any]] ?? []).filter { $0["passed"] as? Bool == false }
        XCTAssertEqual(failed.map { $0["gate"] as? String }, ["min_segment_size", "max_unassigned_share"])
        XCTAssertEqual(failed.first?["segment"] as? String, "Basic")
        XCTAssertEqual(failed.first?["actual"] as? Int, 1)
        XCTAssertEqual(failed.first?["limit"] as? Int, 2)
        XCTAssertTrue(gate.stderr.contains("seg: gate failed:"), gate.stderr)

        // 1: the run failed (a plugin error) — JSON with the error, and nothing stored.
        try ws.write("segmentations/tiers.yaml", Shop.definition(criteria: "criteria:\n  - plugin: boom\n"))
        let broken = try seg(["run", ws.root.path], environment: ["CI": "true"])
        XCTAssertEqual(broken.status, 1, broken.stderr)
        let brokenSummary = try jsonObject(broken.stdout)
        XCTAssertEqual(brokenSummary["ok"] as? Bool, false)
        XCTAssertEqual(brokenSummary["status"] as? Int, 1)
        XCTAssertTrue((brokenSummary["error"] as? String ?? "").contains("boom on purpose"), broken.stdout)
        XCTAssertEqual(summaryRuns(brokenSummary).count, 0)
        XCTAssertEqual(try ws.versionRows().count, 1)

        // 2: a bad definition — JSON too, into the summary file.
        try ws.write("segmentations/tiers.yaml", Shop.definition(extra: "gates:\n  min_segmnet_size: 2\n"))
        let file = ws.root.appendingPathComponent("summary.json")
        let bad = try seg(["run", ws.root.path, "--summary", file.path])
        XCTAssertEqual(bad.status, 2, bad.stderr)
        XCTAssertEqual(bad.stdout, "")
        let badSummary = try jsonObject(String(decoding: try Data(contentsOf: file), as: UTF8.self))
        XCTAssertEqual(badSummary["status"] as? Int, 2)
        XCTAssertTrue((badSummary["error"] as? String ?? "").contains("min_segmnet_size"), "\(badSummary)")

        // seg check in CI: a failure is a JSON summary too.
        let unknown = try seg(["check", ws.root.path, "v9"], environment: ["CI": "true"])
        XCTAssertEqual(unknown.status, 2, unknown.stderr)
        XCTAssertTrue((try jsonObject(unknown.stdout)["error"] as? String ?? "").contains("unknown version 'v9'"), unknown.stdout)
        try FileManager.default.removeItem(at: ws.root.appendingPathComponent(".seg"))
        let noStore = try seg(["check", ws.root.path, "--ci"])
        XCTAssertEqual(noStore.status, 1, noStore.stderr)
        XCTAssertEqual(try jsonObject(noStore.stdout)["status"] as? Int, 1)

        // 2: bad usage (caught by the argument parser).
        let usage = try seg(["run", ws.root.path, "--ci", "--as-of", "yesterday"])
        XCTAssertEqual(usage.status, 2, usage.stderr)
        XCTAssertTrue(usage.stderr.contains("YYYY-MM-DD"), usage.stderr)
    }
}
