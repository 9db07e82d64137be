import Foundation
import XCTest

/// `seg try`: counts, samples and rule-set notes without storing anything; `--limit`, `--json`, exit statuses; and
/// the same rule-set notes in `seg run`'s summary.
final class TryCommandTests: XCTestCase {
    func testTryOnTheDemoPrintsSegmentsAndSamplesAndWritesNothing() throws {
        let ws = try TempWorkspace.demoCopy()
        defer { ws.remove() }
        let r = try SegProcess.run(["try", ws.root.path, "rfm", "--sample", "2"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("rfm  try (nothing stored)  run "), r.stdout)
        XCTAssertTrue(r.stdout.contains("3000 customers"), r.stdout)
        XCTAssertTrue(r.stdout.contains("  Champions  "), r.stdout)
        XCTAssertTrue(r.stdout.contains("samples (first rows of each segment, in population order):"), r.stdout)
        XCTAssertTrue(r.stdout.contains("customer_id  recency_days  frequency  monetary  value_score"), r.stdout)
        XCTAssertFalse(r.stdout.contains("limited run"), r.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: ws.root.appendingPathComponent(".seg").path))
        XCTAssertEqual(ws.exportedFiles(), [])
    }

    func testLimitSaysItIsALimitedRun() throws {
        let ws = try TempWorkspace.demoCopy()
        defer { ws.remove() }
        let r = try SegProcess.run(["try", ws.root.path, "rfm", "--limit", "50", "--sample", "0"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("limited run: the first 50 of 3000 customers"), r.stdout)
        XCTAssertTrue(r.stdout.contains("as of 2024-12-31  50 customers"), "the reference date is the full run's:\n\(r.stdout)")
        XCTAssertFalse(r.stdout.contains("samples"), r.stdout)
    }

    func testRuleSetNotesInTryJSONAndRun() throws {
        let ws = try RuleSetWorkspace.make()
        defer { ws.remove() }
        let text = try SegProcess.run(["try", ws.root.path, "crossed", "--sample", "1"])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("  note: 2 of 4 label combinations never occur although each label does"), text.stdout)
        XCTAssertTrue(text.stdout.contains("  note: 1 of 41 customers (2.4%) are unassigned: the first criterion to return nil was 'tier' for 1"), text.stdout)

        let json = try SegProcess.run(["try", ws.root.path, "dead", "--json"])
        XCTAssertEqual(json.status, 0, json.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let kinds = (object["rule_set"] as? [[String: Any]])?.compactMap { $0["kind"] as? String }
        XCTAssertEqual(kinds, ["dead-criterion", "unreturned-label", "unreachable-label"])
        let segments = try XCTUnwrap(object["segments"] as? [[String: Any]])
        XCTAssertEqual(segments.first?["label"] as? String, "All")
        XCTAssertEqual(segments.first?["customers"] as? Int, 41)
        let samples = try XCTUnwrap(object["samples"] as? [String: [[String?]]])
        XCTAssertEqual(samples["All"]?.first, ["C000", "0"])

        let run = try SegProcess.run(["run", ws.root.path, "dead"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("  note: criterion 'tier' (criteria[1]) never decides under first_match"), run.stdout)
    }

    func testUnknownDefinitionIsExit2AndAFailingPluginExit1() throws {
        let ws = try RuleSetWorkspace.make()
        defer { ws.remove() }
        XCTAssertEqual(try SegProcess.run(["try", ws.root.path, "nope"]).status, 2)
        try "return { api = 1, kind = \"criterion\", name = \"size\", version = \"1\", description = \"d\", uses = { \"score\" }, assign = function() error(\"boom\") end }\n"
            .write(to: ws.root.appendingPathComponent("plugins/size.lua"), atomically: true, encoding: .utf8)
        let r = try SegProcess.run(["try", ws.root.path, "crossed"])
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        XCTAssertTrue(r.stderr.contains("boom"), r.stderr)
    }
}
