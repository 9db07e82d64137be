import Foundation
import XCTest

/// Two ways the packages' ties could be lost (QA, issue 10): amounts summed in file order (75.25 + 0.1 + 0.1 is not
/// 75.45 in plain floating point, while pandas and R sum with compensation), and integer ids ranked as text (pandas
/// reads them as integers, so its recipe breaks ties 9 before 10).
final class RFMTieOrderCLITests: XCTestCase {
    /// Runs `preset` on `transactions` (the population derived from them) and returns membership rows by id:
    /// [segment, monetary, r_score, f_score, m_score].
    private func run(_ transactions: String, preset: String = "rf_grid", segments: String = "rf_grid") throws -> [String: [String]] {
        let ws = try TempWorkspace(files: [
            "data/tx.csv": transactions,
            "segmentations/rfm.yaml": """
                population: { from: tx, id: customer_id }
                datasets:
                  tx: { file: data/tx.csv, schema: { date: date, amount: double } }
                features:
                  rfm: { transactions: tx, customer: customer_id, order: order_id, date: date, amount: amount, preset: \(preset) }
                criteria:
                  - plugin: rfm_segments
                    params: { segments: \(segments) }
                membership:
                  columns: [monetary, r_score, f_score, m_score]
                """,
        ])
        defer { ws.remove() }
        let r = try SegProcess.run(["run", ws.root.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let file = try XCTUnwrap(ws.exportedFiles().first { $0.hasSuffix("membership.csv") })
        var out: [String: [String]] = [:]
        for line in try String(contentsOf: ws.root.appendingPathComponent("exports/" + file), encoding: .utf8).split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            out[f[0]] = Array(f.dropFirst())
        }
        return out
    }

    func testAmountsEqualToTheCentAreEqualTotalsInAnyRowOrder() throws {
        let rows = ["A1,2,2024-01-01,75.25", "A2,2,2024-01-02,0.1", "A3,2,2024-01-03,0.1", "B1,1,2024-01-03,75.45"]
        let header = "order_id,customer_id,date,amount\n"
        let forward = try run(header + rows.joined(separator: "\n") + "\n")
        XCTAssertEqual(forward["1"]?[1], "75.45"); XCTAssertEqual(forward["2"]?[1], "75.45", "not 75.44999999999999")
        // pandas: equal totals, ties by id: customer 1 ranks first (M 1), customer 2 second (M 5).
        XCTAssertEqual(forward["1"]?[4], "1"); XCTAssertEqual(forward["2"]?[4], "5")
        let backward = try run(header + rows.reversed().joined(separator: "\n") + "\n")
        XCTAssertEqual(backward, forward, "the same transactions in another order give the same result")
    }

    func testIntegerIDsBreakTiesInNumericOrderAsPandasDoes() throws {
        let out = try run("order_id,customer_id,date,amount\nA1,9,2024-08-15,25.0\nB1,10,2024-08-15,25.0\n")
        // pandas (ids read as int64): 9 ranks before 10 on every tie, so 9 gets R 5 F 1 M 1 and 10 gets R 1 F 5 M 5.
        XCTAssertEqual(out["9"].map { Array($0[2...4]) }, ["5", "1", "1"])
        XCTAssertEqual(out["10"].map { Array($0[2...4]) }, ["1", "5", "5"])
    }

    /// pypi_rfm ranks ids as text (the package converts them with astype(str)), so "10" comes before "9"; PyPI rfm
    /// 1.0.9 on this file gives 10 → 5 1 1 "New Active Accounts", 9 → 1 5 5 "At Risk" (run by hand, pandas 1.5.3).
    func testPypiPresetKeepsTextOrderForIntegerIDs() throws {
        let out = try run("order_id,customer_id,date,amount\nA1,9,2024-08-15,25.0\nB1,10,2024-08-15,25.0\n", preset: "pypi_rfm",
                          segments: "pypi")
        XCTAssertEqual(out["10"].map { [$0[0]] + Array($0[2...4]) }, ["New Active Accounts", "5", "1", "1"])
        XCTAssertEqual(out["9"].map { [$0[0]] + Array($0[2...4]) }, ["At Risk", "1", "5", "5"])
    }

    /// The rf_grid map is for five bins: with four, the best recency would read as "Promising" (QA); it is refused.
    func testTheGridRefusesScoresOnAnotherScale() throws {
        let rows = (1...25).map { "O\($0),\($0),2024-01-\(String(format: "%02d", $0)),\($0).5" }
        let ws = try TempWorkspace(files: [
            "data/tx.csv": "order_id,customer_id,date,amount\n" + rows.joined(separator: "\n") + "\n",
            "segmentations/rfm.yaml": """
                population: { from: tx, id: customer_id }
                datasets:
                  tx: { file: data/tx.csv, schema: { date: date, amount: double } }
                features:
                  rfm: { transactions: tx, customer: customer_id, order: order_id, date: date, amount: amount, preset: rf_grid, bins: 4 }
                criteria:
                  - plugin: rfm_segments
                """,
        ])
        defer { ws.remove() }
        let r = try SegProcess.run(["run", ws.root.path])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("segments \"rf_grid\" reads scores 1 to 5, but r_score goes up to 4"), r.stderr)
        XCTAssertTrue(ws.exportedFiles().isEmpty)
    }
}
