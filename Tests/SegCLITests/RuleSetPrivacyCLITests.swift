import Foundation
import XCTest

/// Rule-set notes go to the terminal and to the exported notes.txt: values of `pii: true` columns never appear in
/// them (the sweep's example inputs and ranges say `(pii)` instead).
final class RuleSetPrivacyCLITests: XCTestCase {
    func testNotesNeverShowPersonalValues() throws {
        let ws = try TempWorkspace(files: [
            "data/customers.csv": "customer_id,age\nC00001,18\nC00002,44\nC00003,80\n",
            "plugins/agec.lua": """
                return { api = 1, kind = "criterion", name = "agec", version = "0.1.0", description = "t",
                  uses = { "age", "customer_id" }, labels = { "Old", "Young", "Ancient" },
                  assign = function(row) if row.age == nil then return nil end
                    if row.age > 85 then return "Ancient" end
                    if row.age >= 50 then return "Old" end return "Young" end }
                """,
            "segmentations/p.yaml": """
                population: customers
                id: customer_id
                as_of: 2024-12-31
                datasets:
                  customers:
                    file: data/customers.csv
                    schema: { customer_id: { type: string, pii: true }, age: { type: integer, pii: true } }
                criteria:
                  - plugin: agec
                """,
        ])
        defer { ws.remove() }
        let run = try SegProcess.run(["run", ws.root.path], environment: ["SEG_ID_SALT": "abcdefghijklmnopqrstuvwxyz0123456789"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("label 'Ancient' of 'agec'") && run.stdout.contains("age (pii)"), run.stdout)
        let notes = try XCTUnwrap(ws.exportedFiles().first { $0.hasSuffix("notes.txt") })
        let text = try String(contentsOf: ws.root.appendingPathComponent("exports/" + notes), encoding: .utf8)
        // No value of a personal column (its ids, an age, the age range the sweep tried) in the notes; the run's
        // other output holds ids and paths of its own, so the notes' lines are what is checked there.
        let noteLines = run.stdout.split(separator: "\n").filter { $0.contains("note:") }.joined(separator: "\n")
        for raw in ["C00001", "C00002", "C00003", "age = ", "customer_id = ", "age in ", "...111", "-13"] {
            XCTAssertFalse(text.contains(raw) || noteLines.contains(raw), "'\(raw)' leaked: \(text)")
        }
        XCTAssertTrue(text.contains("(it is for age (pii), customer_id (pii))"), text)
    }
}
