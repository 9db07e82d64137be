import Foundation
import XCTest

/// docs/METHODS.md shows, for each method, a demo definition (```yaml block starting `# segmentations/NAME.yaml`)
/// and the segments `seg run workspaces/demo NAME` prints (```text block). This test checks that each shown
/// definition is the demo's file, runs them all on a copy of the demo, checks that the page shows what the run
/// printed, and — the real check — recounts every segment from the demo's data files with the rules the page
/// states, written here independently of the plugins (`Expected`), and compares with membership.csv.
final class MethodsDocTests: XCTestCase {
    private static let demo = SegProcess.root.appendingPathComponent("workspaces/demo")

    private struct Example {
        var name: String
        var yaml: String
        var output: [String]
    }

    private func examples() throws -> [Example] {
        let page = try String(contentsOf: SegProcess.root.appendingPathComponent("docs/METHODS.md"), encoding: .utf8)
        var yaml: [String: String] = [:], outputs: [String: [String]] = [:], order: [String] = []
        for block in page.components(separatedBy: "```yaml\n").dropFirst() {
            let body = block.components(separatedBy: "\n```")[0]
            let lines = body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            guard let first = lines.first, first.hasPrefix("# segmentations/"), first.hasSuffix(".yaml") else { continue }
            let name = String(first.dropFirst("# segmentations/".count).dropLast(".yaml".count))
            yaml[name] = lines.dropFirst().joined(separator: "\n") + "\n"
            order.append(name)
        }
        for block in page.components(separatedBy: "```text\n").dropFirst() {
            let lines = block.components(separatedBy: "\n```")[0].split(separator: "\n").map(String.init)
            guard let first = lines.first, first.hasPrefix("$ seg run workspaces/demo ") else { continue }
            outputs[String(first.dropFirst("$ seg run workspaces/demo ".count))] = Array(lines.dropFirst())
        }
        return try order.map { name in
            Example(name: name, yaml: yaml[name]!, output: try XCTUnwrap(outputs[name], "no output shown for \(name)"))
        }
    }

    func testEveryMethodExampleIsTheDemoDefinitionAndItsSegmentsFollowTheDocumentedRules() throws {
        let examples = try examples()
        XCTAssertEqual(Set(examples.map(\.name)), ["demographics", "households", "geography", "b2b", "behaviour",
                                                   "engagement", "channels", "satisfaction", "products", "cross_sell",
                                                   "attitudes", "value_lifecycle"])
        for example in examples {
            let file = Self.demo.appendingPathComponent("segmentations/\(example.name).yaml")
            let text = try String(contentsOf: file, encoding: .utf8)
            let body = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
            XCTAssertTrue(body[0].hasPrefix("# yaml-language-server"), example.name)
            XCTAssertEqual(String(body[1]), example.yaml, "docs/METHODS.md shows another \(example.name).yaml")
        }

        let ws = try TempWorkspace.demoCopy()
        defer { ws.remove() }
        let r = try SegProcess.run(["run", ws.root.path] + examples.map(\.name))
        XCTAssertEqual(r.status, 0, r.stderr + r.stdout)
        let data = try DemoData(folder: ws.root.appendingPathComponent("data"))
        for example in examples {
            XCTAssertTrue(r.stdout.contains(example.output.joined(separator: "\n") + "\n"),
                          "the output docs/METHODS.md shows for \(example.name) is not what the run printed:\n\(r.stdout)")
            let membership = try Membership(exports: ws.root.appendingPathComponent("exports/\(example.name)"))
            let expected = try XCTUnwrap(data.expected(example.name), "no expectation for \(example.name)")
            var counts: [String: Int] = [:]
            for (id, want) in expected { counts[want ?? "(unassigned)", default: 0] += 1
                XCTAssertEqual(membership.segment[id] ?? "?", want ?? "", "\(example.name): customer \(id)")
                if membership.segment[id] ?? "?" != want ?? "" { break }
            }
            XCTAssertEqual(membership.counts, counts, example.name)
            XCTAssertGreaterThan(counts.count, 2, "\(example.name) makes segments")
        }
        // churn_risk, recomputed from its documented formula.
        let scores = try Membership(exports: ws.root.appendingPathComponent("exports/value_lifecycle"))
        var scored = 0
        for c in data.customers {
            let want = data.churnRisk(c)
            let got = scores.scores[c]?["churn_risk"] ?? nil
            XCTAssertEqual(got == nil, want == nil, c)
            if let got, let want { XCTAssertEqual(got, want, accuracy: 0.05 + 1e-9, c); scored += 1 }
        }
        XCTAssertGreaterThan(scored, 2000)
    }
}

/// membership.csv of the only run of one definition.
private struct Membership {
    var segment: [String: String] = [:]
    var scores: [String: [String: Double?]] = [:]
    var counts: [String: Int] = [:]

    init(exports: URL) throws {
        let runs = try FileManager.default.contentsOfDirectory(atPath: exports.path).filter { !$0.hasPrefix(".") }
        XCTAssertEqual(runs.count, 1, exports.path)
        let text = try String(contentsOf: exports.appendingPathComponent("\(runs[0])/membership.csv"), encoding: .utf8)
        let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = lines[0]
        for row in lines.dropFirst() {
            segment[row[0]] = row[1]
            counts[row[1].isEmpty ? "(unassigned)" : row[1], default: 0] += 1
            var s: [String: Double?] = [:]
            for i in 2..<header.count { s[header[i]] = Double(row[i]) }
            scores[row[0]] = s
        }
    }
}
