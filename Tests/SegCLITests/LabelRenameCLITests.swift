import Foundation
import XCTest

/// `labels:` on a criterion renames the plugin's labels in everything the run shows and exports (issue 10: "Loyal"
/// where the team says "Loyal Customers"); two labels renamed alike become one segment.
final class LabelRenameCLITests: XCTestCase {
    private func rfm(_ extra: String) throws -> TempWorkspace {
        let ws = try TempWorkspace.demoCopy()
        let url = ws.root.appendingPathComponent("segmentations/rfm.yaml")
        let text = try String(contentsOf: url, encoding: .utf8)
        try text.replacingOccurrences(of: "criteria:\n  - plugin: rfm\n", with: "criteria:\n  - plugin: rfm\n" + extra)
            .write(to: url, atomically: true, encoding: .utf8)
        return ws
    }

    private func count(_ label: String, in stdout: String) -> Int? {
        let line = stdout.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix(label + " ") }
        return line.flatMap { Int($0.trimmingCharacters(in: .whitespaces).dropFirst(label.count).split(separator: " ").first ?? "") }
    }

    func testLabelsAreRenamedAndMergedEverywhere() throws {
        let plain = try TempWorkspace.demoCopy()
        defer { plain.remove() }
        let before = try SegProcess.run(["run", plain.root.path, "rfm"])
        XCTAssertEqual(before.status, 0, before.stderr)
        let loyal = try XCTUnwrap(count("Loyal", in: before.stdout)), lost = try XCTUnwrap(count("Lost", in: before.stdout))
        let hibernating = try XCTUnwrap(count("Hibernating", in: before.stdout))

        let ws = try rfm("    labels: { Loyal: \"Loyal Customers\", Lost: Inactive, Hibernating: Inactive, Loyl: Typo }\n")
        defer { ws.remove() }
        let run = try SegProcess.run(["run", ws.root.path, "rfm"])
        // Gates see the labels as shown: the demo's `required_segments: [Champions, Loyal]` now misses 'Loyal'.
        XCTAssertEqual(run.status, 3, run.stderr)
        XCTAssertTrue(run.stdout.contains("Loyal"), run.stdout)
        XCTAssertEqual(count("Loyal Customers", in: run.stdout), loyal)
        XCTAssertEqual(count("Inactive", in: run.stdout), lost + hibernating, "two labels renamed alike are one segment")
        XCTAssertNil(count("Lost", in: run.stdout))
        XCTAssertTrue(run.stdout.contains("labels: renames 'Loyl', which 'rfm' never returned on this data (a typo?)"), run.stdout)
        let membership = try XCTUnwrap(ws.exportedFiles().first { $0.hasSuffix("membership.csv") })
        let csv = try String(contentsOf: ws.root.appendingPathComponent("exports/" + membership), encoding: .utf8)
        XCTAssertTrue(csv.contains(",Loyal Customers,") && csv.contains(",Inactive,") && !csv.contains(",Lost,"), String(csv.prefix(300)))
        // The definition text changed, so the run id did: the renamed run is a version of its own.
        XCTAssertNotEqual(before.stdout.split(separator: " ").dropFirst(3).first, run.stdout.split(separator: " ").dropFirst(3).first)
    }

    func testBadRenamesAreDefinitionErrorsAtTheirLine() throws {
        for (extra, message) in [("    labels: { Loyal: \"(all)\" }\n", "which reports use for their own rows"),
                                 ("    labels: { Loyal: \"\" }\n", "is empty"),
                                 ("    labels: { Loyal: \"a\\tb\" }\n", "holds a control character")] {
            let ws = try rfm(extra)
            defer { ws.remove() }
            let run = try SegProcess.run(["run", ws.root.path, "rfm"])
            XCTAssertEqual(run.status, 2, extra)
            XCTAssertTrue(run.stderr.contains("rfm.yaml:") && run.stderr.contains(message), run.stderr)
        }
        let ws = try TempWorkspace.demoCopy()
        defer { ws.remove() }
        let url = ws.root.appendingPathComponent("segmentations/rfm.yaml")
        try String(contentsOf: url, encoding: .utf8).replacingOccurrences(of: "scorers:\n  - plugin: value_score\n",
            with: "scorers:\n  - plugin: value_score\n    labels: { a: b }\n").write(to: url, atomically: true, encoding: .utf8)
        let scorer = try SegProcess.run(["run", ws.root.path, "rfm"])
        XCTAssertEqual(scorer.status, 2)
        XCTAssertTrue(scorer.stderr.contains("a scorer gives numbers, not labels"), scorer.stderr)
    }
    func testRenamedLabelsKeepTheirDescriptionsAndTheDefinitionCanReplaceThem() throws {
        let ws = try rfm("""
                labels: { Loyal: "Loyal Customers", Lost: Inactive, Hibernating: Inactive }
                descriptions: { Champions: "Our best customers", Loyl: "a typo" }

            """)
        defer { ws.remove() }
        let run = try SegProcess.run(["run", ws.root.path, "rfm"])
        XCTAssertEqual(run.status, 3, run.stderr)  // the demo's gate wants 'Loyal'
        XCTAssertTrue(run.stdout.contains("descriptions: describes 'Loyl', which no customer of 'rfm' got on this data"), run.stdout)
        let file = try XCTUnwrap(ws.exportedFiles().first { $0.hasSuffix("profiles.json") })
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: ws.root.appendingPathComponent("exports/" + file))) as? [String: Any])
        let segments = try XCTUnwrap(json["segments"] as? [[String: Any]])
        func description(_ label: String) -> String? { segments.first { $0["label"] as? String == label }?["description"] as? String }
        XCTAssertEqual(description("Loyal Customers"), "Buy often; bought fairly recently", "the rename carries rfm's description")
        XCTAssertEqual(description("Inactive"), "Long since the last order, and few orders / Longest since the last order, and fewest orders")
        XCTAssertEqual(description("Champions"), "Our best customers", "the definition replaces it")
        XCTAssertEqual(description("At Risk"), "Bought often, but not for a long time")
        XCTAssertNil(segments.last?["description"], "the unassigned group has none")
        let md = try String(contentsOf: ws.root.appendingPathComponent("exports/" + file.replacingOccurrences(of: "profiles.json", with: "profiles.md")), encoding: .utf8)
        XCTAssertTrue(md.contains("### Champions\n\n_Our best customers_\n"), md)
    }
}
