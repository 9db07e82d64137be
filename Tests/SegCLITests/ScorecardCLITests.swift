import Foundation
import XCTest

/// The scorecard through `seg run` (issue 10 §5): growth against the previous version, which stays reproducible
/// (a re-run is the same version, a run returning to earlier inputs returns to the same run id, `--verify`
/// compares with the version the run compared with); and `membership.columns`.
final class ScorecardCLITests: XCTestCase {
    private func profiles(_ ws: TempWorkspace, _ runID: String) throws -> [String: Any] {
        let url = ws.root.appendingPathComponent("exports/rfm/\(runID)/profiles.json")
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    private func runID(_ stdout: String) throws -> String {
        let words = stdout.split(whereSeparator: { $0 == " " || $0 == "\n" })
        let i = try XCTUnwrap(words.firstIndex(of: "run"), stdout)
        return String(words[i + 1])
    }

    private func edit(_ ws: TempWorkspace, _ definition: String, _ change: (String) -> String) throws {
        let url = ws.root.appendingPathComponent("segmentations/\(definition).yaml")
        try change(try String(contentsOf: url, encoding: .utf8)).write(to: url, atomically: true, encoding: .utf8)
    }

    func testGrowthIsAgainstThePreviousVersionAndStaysReproducible() throws {
        let ws = try TempWorkspace.demoCopy()
        defer { ws.remove() }
        let early = try SegProcess.run(["run", ws.root.path, "rfm", "--as-of", "2024-06-30"])
        XCTAssertEqual(early.status, 0, early.stderr)
        let late = try SegProcess.run(["run", ws.root.path, "rfm"])
        XCTAssertEqual(late.status, 0, late.stderr)
        let (v1, v2) = (try runID(early.stdout), try runID(late.stdout))
        let first = try profiles(ws, v1), second = try profiles(ws, v2)
        XCTAssertNil((first["run"] as? [String: Any])?["previous"], "a first version compares with none")
        XCTAssertEqual(((second["run"] as? [String: Any])?["previous"] as? [String: Any])?["version"] as? String, "v1")
        let card = try XCTUnwrap(second["scorecard"] as? [String: Any])
        XCTAssertEqual(card["previous"] as? String, "v1")
        // Growth per segment is (count now - count in v1) / count in v1, from the two exports.
        var before: [String: Int] = [:]
        for s in first["segments"] as? [[String: Any]] ?? [] { before[s["label"] as! String] = s["count"] as? Int }
        let rows = try XCTUnwrap(card["segments"] as? [[String: Any]])
        XCTAssertFalse(rows.isEmpty)
        for row in rows {
            let label = row["label"] as! String, count = row["count"] as! Int
            if let then = before[label], then > 0 {
                XCTAssertEqual(row["previousCount"] as? Int, then, label)
                XCTAssertEqual(try XCTUnwrap(row["growth"] as? Double, label), Double(count - then) / Double(then), accuracy: 1e-9)
            } else {
                XCTAssertTrue(row["growth"] is NSNull, label)
            }
        }
        // The same inputs again: the same version.
        let again = try SegProcess.run(["run", ws.root.path, "rfm"])
        XCTAssertTrue(again.stdout.contains("unchanged: same as v2"), again.stdout)
        // Back to the first inputs: the same run id as v1 (it compares with what v1 compared with), a new version v3.
        let back = try SegProcess.run(["run", ws.root.path, "rfm", "--as-of", "2024-06-30"])
        XCTAssertEqual(back.status, 0, back.stderr)
        XCTAssertEqual(try runID(back.stdout), v1)
        let versions = try SegProcess.run(["versions", ws.root.path])
        XCTAssertTrue(versions.stdout.contains("v3 "), versions.stdout)
        for v in ["v1", "v2", "v3"] {
            let verify = try SegProcess.run(["run", ws.root.path, "--verify", v])
            XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
            XCTAssertTrue(verify.stdout.contains("reproduces byte for byte"), verify.stdout)
        }
        let md = try String(contentsOf: ws.root.appendingPathComponent("exports/rfm/\(v2)/profiles.md"), encoding: .utf8)
        XCTAssertTrue(md.contains("## Scorecard") && md.contains("Growth is against v1."), md)
    }

    func testMembershipColumns() throws {
        let ws = try TempWorkspace.demoCopy()
        defer { ws.remove() }
        try edit(ws, "rfm") { $0 + "membership:\n  columns: [recency_days, frequency, monetary, country]\n" }
        let run = try SegProcess.run(["run", ws.root.path, "rfm"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let id = try runID(run.stdout)
        let csv = try String(contentsOf: ws.root.appendingPathComponent("exports/rfm/\(id)/membership.csv"), encoding: .utf8)
        let lines = csv.split(separator: "\n")
        XCTAssertEqual(lines.first, "customer_id,segment,value_score,recency_days,frequency,monetary,country")
        // C00001 in the demo: country ES; its features agree with the transactions file.
        let row = try XCTUnwrap(lines.first { $0.hasPrefix("C00001,") }).split(separator: ",", omittingEmptySubsequences: false)
        XCTAssertEqual(row.last, "ES")
        let tx = try String(contentsOf: ws.root.appendingPathComponent("data/transactions.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let header = try String(contentsOf: ws.root.appendingPathComponent("data/transactions.csv"), encoding: .utf8)
            .split(separator: "\n")[0].split(separator: ",").map(String.init)
        let (c, o, a) = (header.firstIndex(of: "customer_id")!, header.firstIndex(of: "order_id")!, header.firstIndex(of: "amount")!)
        let mine = tx.filter { $0[c] == "C00001" }
        XCTAssertEqual(Int(row[4]), Set(mine.map { $0[o] }).count, "frequency: distinct orders")
        XCTAssertEqual(try XCTUnwrap(Double(row[5])), mine.compactMap { Double($0[a]) }.reduce(0, +), accuracy: 1e-6)
        // `seg show` lists only the scores as score columns.
        let show = try SegProcess.run(["show", ws.root.path, "v1"])
        XCTAssertTrue(show.stdout.contains("value_score") && !show.stdout.contains("recency_days  "), show.stdout)
    }

    func testMembershipAndScorecardMistakesAreDefinitionErrors() throws {
        let cases: [(String, String)] = [
            ("membership:\n  columns: [recency_days, frequncy]\n", "rfm.yaml:40: membership.columns[1] names column 'frequncy', which the customer table does not have; did you mean 'frequency'?"),
            ("membership:\n  columns: [value_score]\n", "rfm.yaml:40: membership.columns lists 'value_score', which membership.csv already has (a score)"),
            ("membership:\n  columns: [recency_days, recency_days]\n", "membership.columns lists 'recency_days' twice"),
            ("scorecard:\n  weights: { sise: 1 }\n", "rfm.yaml:40: unknown field 'sise' in 'scorecard.weights'; did you mean 'size'?"),
            ("scorecard:\n  weights: { size: 0, revenue: 0, value: 0, aov: 0, growth: 0 }\n", "gives every metric weight 0"),
            ("scorecard:\n  max_share: 1.5\n", "'scorecard.max_share' must be a share above 0 and at most 1 (got 1.5)"),
            ("scorecard:\n  orders: age\n  min_size: 0\n", "'scorecard.min_size' must be 1 or more"),
            ("scorecard:\n  orders: frequncy\n", "rfm.yaml:40: scorecard.orders names column 'frequncy', which the customer table does not have; did you mean 'frequency'?"),
            ("scorecard:\n  orders: country\n", "rfm.yaml:40: scorecard.orders names 'country', a string column; it must hold each customer's number of orders"),
        ]
        for (extra, message) in cases {
            let ws = try TempWorkspace.demoCopy()
            defer { ws.remove() }
            try edit(ws, "rfm") { $0 + extra }
            let run = try SegProcess.run(["run", ws.root.path, "rfm"])
            XCTAssertEqual(run.status, 2, extra + run.stdout)
            XCTAssertTrue(run.stderr.contains(message), "\(extra)\n\(run.stderr)")
        }
        // A personal column never reaches membership.csv.
        let ws = try TempWorkspace.demoCopy()
        defer { ws.remove() }
        try edit(ws, "rfm") {
            $0.replacingOccurrences(of: "schema: { signup_date: date }", with: "schema: { signup_date: { type: date, pii: true } }")
                + "membership:\n  columns: [monetary, signup_date]\n"
        }
        let run = try SegProcess.run(["run", ws.root.path, "rfm"])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("rfm.yaml:40: membership.columns names column 'signup_date', which dataset 'customers' tags pii: true"), run.stderr)
    }
}

/// A plugin error names the customer by id only when the id is not personal (QA: a `pii: true` id was printed raw).
final class PersonalIDInPluginErrorTests: XCTestCase {
    func testAPersonalIDIsNeverInAPluginErrorButItsLineIs() throws {
        for (schema, env, shown) in [("", [String: String](), true),
                                     ("    schema: { customer_id: { type: string, pii: true } }\n", ["SEG_ID_SALT": "s-1"], false)] {
            let ws = try TempWorkspace(files: [
                "data/customers.csv": "customer_id,age\nsecret-a,30\nsecret-b,200\n",
                "segmentations/d.yaml": "as_of: 2024-01-01\npopulation: customers\nid: customer_id\ndatasets:\n  customers:\n    file: data/customers.csv\n\(schema)criteria:\n  - plugin: ages\n",
                "plugins/ages.lua": """
                    return { api = 1, kind = "criterion", name = "ages", version = "1.0.0", description = "ages", uses = { "age" },
                      assign = function(row) if row.age > 150 then error("age out of range") end return "ok" end }
                    """,
            ])
            defer { ws.remove() }
            let r = try SegProcess.run(["run", ws.root.path], environment: env)
            XCTAssertEqual(r.status, 1, r.stderr)
            XCTAssertTrue(r.stderr.contains("age out of range"), r.stderr)
            XCTAssertTrue(r.stderr.contains("customers.csv, line 3"), r.stderr)
            XCTAssertEqual(r.stderr.contains("secret-b"), shown, r.stderr)
            XCTAssertFalse(r.stderr.contains("row 2"), "the file's line, not the table's row: \(r.stderr)")
        }
    }
}

/// A plugin may quote the value it choked on: a personal column's value never reaches the error (recheck QA: a
/// flag error printed 'secret42' from a pii column).
final class PersonalValueInPluginErrorTests: XCTestCase {
    func testPersonalValuesAreCutOutOfPluginMessagesAndLabels() throws {
        let cases: [(body: String, secret: String)] = [
            ("error('not an email: ' .. row.email)", "secret42@x"),
            ("error(string.format('score %s is outside 1-5', row.score))", "6.0"),
            ("return row.email .. \"\\255\"", "secret42@x"),  // a label that is not UTF-8 is quoted back
        ]
        for (body, secret) in cases {
            let ws = try TempWorkspace(files: [
                "data/customers.csv": "customer_id,email,score\nc1,a@x,3\nc2,secret42@x,6\n",
                "segmentations/d.yaml": """
                    as_of: 2024-01-01
                    population: customers
                    id: customer_id
                    datasets:
                      customers:
                        file: data/customers.csv
                        schema: { email: { type: string, pii: true }, score: { type: double, pii: true } }
                    criteria:
                      - plugin: p
                    """,
                "plugins/p.lua": """
                    return { api = 1, kind = "criterion", name = "p", version = "1.0.0", description = "p", uses = { "email", "score" },
                      labels = { "ok" }, assign = function(row) if row.score > 5 then \(body) end return "ok" end }
                    """,
            ])
            defer { ws.remove() }
            let r = try SegProcess.run(["run", ws.root.path])
            XCTAssertNotEqual(r.status, 0, body)
            XCTAssertFalse(r.stderr.contains(secret) || r.stdout.contains(secret), "\(body): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("(withheld: personal)"), "\(body): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("c2") && r.stderr.contains("customers.csv, line 3"), r.stderr)
        }
    }
}
