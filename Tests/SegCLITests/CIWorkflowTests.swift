import Foundation
import XCTest

/// Runs exactly the `seg` command lines of the sample workflow docs/ci/segwork-ci.yml, so the sample cannot drift
/// from what works.
final class CIWorkflowTests: XCTestCase {
    static let workflow = SegProcess.root.appendingPathComponent("docs/ci/segwork-ci.yml")

    /// The `seg …` lines of every `run:` step, in order: single-line `run: seg …` and lines of `run: |` blocks.
    static func segLines(_ yaml: String) -> [String] {
        var lines: [String] = []
        var blockIndent: Int?   // inside a `run: |` block: the indentation of its `run:` key
        for raw in yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let indent = raw.prefix { $0 == " " }.count
            let text = raw.trimmingCharacters(in: .whitespaces)
            if let b = blockIndent {
                if text.isEmpty { continue }
                if indent > b {
                    if text.hasPrefix("seg ") { lines.append(text) }
                    continue
                }
                blockIndent = nil
            }
            let item = text.hasPrefix("- ") ? String(text.dropFirst(2)) : text
            guard item.hasPrefix("run:") else { continue }
            let value = item.dropFirst(4).trimmingCharacters(in: .whitespaces)
            if value == "|" || value == ">" || value.hasPrefix("|-") { blockIndent = indent; continue }
            if value.hasPrefix("seg ") { lines.append(value) }
        }
        return lines
    }

    func testTheParserFindsSingleLineAndBlockCommands() {
        let yaml = "steps:\n  - run: seg run a\n  - name: x\n    run: |\n      echo hi\n      seg check a\n    env: {}\n  - run: make\n"
        XCTAssertEqual(Self.segLines(yaml), ["seg run a", "seg check a"])
    }

    func testTheSampleWorkflowRunsAsWritten() throws {
        let yaml = try String(contentsOf: Self.workflow, encoding: .utf8)
        let commands = Self.segLines(yaml)
        XCTAssertEqual(commands, ["seg run workspaces/demo --ci --summary seg-summary.json", "seg check workspaces/demo"],
                       "update this test and docs/CI.md together with the workflow")
        XCTAssertTrue(yaml.contains("path: seg-summary.json"), "the summary the run writes is the one uploaded")

        let ws = try TempWorkspace.demoCopy()
        defer { ws.remove() }
        // The job's working directory: relative paths such as the summary file land here.
        let checkout = FileManager.default.temporaryDirectory.appendingPathComponent("segci-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: checkout, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: checkout) }
        for line in commands {
            XCTAssertNil(line.rangeOfCharacter(from: CharacterSet(charactersIn: "'\"$`|&;<>*?\\")),
                         "keep the sample's seg lines free of shell syntax, so this test runs them as the shell would: \(line)")
            let words = line.split(separator: " ").map(String.init)
            let args = words.dropFirst().map { $0 == "workspaces/demo" ? ws.root.path : $0 }
            let r = try SegProcess.run(Array(args), cwd: checkout, environment: ["CI": "true"])
            XCTAssertEqual(r.status, 0, "\(line)\n\(r.stdout)\n\(r.stderr)")
            if words.dropFirst().first == "check" {
                XCTAssertEqual(try jsonObject(r.stdout)["ok"] as? Bool, true, "seg check prints JSON in CI: \(r.stdout)")
            }
        }
        let summary = try jsonObject(String(decoding: try Data(contentsOf: checkout.appendingPathComponent("seg-summary.json")),
                                            as: UTF8.self))
        XCTAssertEqual(summary["ok"] as? Bool, true)
        XCTAssertEqual(summary["status"] as? Int, 0)
        XCTAssertEqual(summary["formatVersion"] as? Int, 1)
        let definitions = try FileManager.default.contentsOfDirectory(atPath: ws.root.appendingPathComponent("segmentations").path)
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
        let runs = summaryRuns(summary)
        XCTAssertEqual(runs.compactMap { $0["definition"] as? String }.sorted(), definitions)
        XCTAssertTrue(runs.allSatisfy { ($0["version"] as? String)?.hasPrefix("v") == true && $0["gates"] is [Any] })
    }
}
