import Foundation
import XCTest

/// `features.rfm` with `preset:` and the bundled `rfm_segments` criterion, end to end through `seg run`: every
/// customer's segment in membership.csv is the one the package gave (Tests/Fixtures/rfm/expected_<preset>.csv),
/// and the profiles show the segments and the scores.
final class RFMPresetCLITests: XCTestCase {
    static let fixtures = SegProcess.root.appendingPathComponent("Tests/Fixtures/rfm")

    /// The package's segment per customer.
    private func expected(_ preset: String) throws -> [String: String] {
        let text = try String(contentsOf: Self.fixtures.appendingPathComponent("expected_\(preset).csv"), encoding: .utf8)
        var out: [String: String] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            out[String(f[0])] = String(f[8])
        }
        return out
    }

    /// A workspace with the fixture's customers, its transactions as `transactions` (a function of the fixture's
    /// CSV lines) and `definition` as segmentations/rfm.yaml; runs it and returns the membership by customer.
    private func run(definition: String, transactions: (String) -> String) throws -> (membership: [String: String], stdout: String, ws: TempWorkspace) {
        let tx = try String(contentsOf: Self.fixtures.appendingPathComponent("transactions.csv"), encoding: .utf8)
        let customers = try String(contentsOf: Self.fixtures.appendingPathComponent("customers.csv"), encoding: .utf8)
        let ws = try TempWorkspace(files: ["data/customers.csv": customers, "data/transactions.csv": transactions(tx),
                                           "segmentations/rfm.yaml": definition])
        let r = try SegProcess.run(["run", ws.root.path, "rfm"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let file = try XCTUnwrap(ws.exportedFiles().first { $0.hasSuffix("membership.csv") })
        let csv = try String(contentsOf: ws.root.appendingPathComponent("exports/" + file), encoding: .utf8)
        var membership: [String: String] = [:]
        for line in csv.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",", maxSplits: 1)
            membership[String(f[0])] = f.count > 1 ? String(f[1]) : ""
        }
        return (membership, r.stdout, ws)
    }

    func testPymcPresetOnACDNOWShapedLog() throws {
        // CDNOW's shape: customer, date, number of CDs, dollar amount; no order id (pymc counts distinct days).
        let (membership, stdout, ws) = try run(definition: """
            population: customers
            id: customer_id
            datasets:
              customers: { file: data/customers.csv }
              transactions: { file: data/transactions.csv, schema: { date: date, amount: double } }
            features:
              rfm: { transactions: transactions, customer: customer_id, date: date, amount: amount, preset: pymc_marketing }
            criteria:
              - plugin: rfm_segments
                params: { segments: pymc }
            profile:
              numeric: [recency_days, frequency, monetary, r_score, f_score, m_score]
              categorical: [rfm_score]
            exports: [csv, json, md]
            """) { tx in
            tx.split(separator: "\n").enumerated().map { i, line in
                let f = line.split(separator: ",")
                return i == 0 ? "customer_id,date,cds,amount" : "\(f[1]),\(f[2]),\(1 + i % 3),\(f[3])"
            }.joined(separator: "\n") + "\n"
        }
        defer { ws.remove() }
        let want = try expected("pymc_marketing")
        XCTAssertEqual(want.count, 60)
        for (id, segment) in want { XCTAssertEqual(membership[id], segment, id) }
        for id in ["C061", "C062", "C063"] { XCTAssertEqual(membership[id], "No Purchase", id) }
        XCTAssertTrue(stdout.contains("Premium Customer") && stdout.contains("Inactive Customer"), stdout)
        let profile = try XCTUnwrap(ws.exportedFiles().first { $0.hasSuffix("profiles.md") })
        let md = try String(contentsOf: ws.root.appendingPathComponent("exports/" + profile), encoding: .utf8)
        XCTAssertTrue(md.contains("mean r_score") && md.contains("| Top Spender |"), md)
        // monetary is the mean spend per day here, not revenue: the profiles do not add it up as revenue.
        XCTAssertFalse(md.contains("revenue share"), md)
    }

    func testRFGridPresetWithRenamedLabels() throws {
        let (membership, _, ws) = try run(definition: """
            population: customers
            id: customer_id
            datasets:
              customers: { file: data/customers.csv }
              transactions: { file: data/transactions.csv, schema: { date: date, amount: double } }
            features:
              rfm:
                transactions: transactions
                customer: customer_id
                order: order_id
                date: date
                amount: amount
                preset: rf_grid
            criteria:
              - plugin: rfm_segments
                labels: { Lost: Inactive }
            exports: [csv]
            """) { $0 }
        defer { ws.remove() }
        let want = try expected("rf_grid")
        XCTAssertTrue(want.values.contains("Lost"))
        for (id, segment) in want { XCTAssertEqual(membership[id], segment == "Lost" ? "Inactive" : segment, id) }
    }

    func testABadOptionIsADefinitionErrorAtItsLine() throws {
        let ws = try TempWorkspace(files: [
            "data/customers.csv": "customer_id\nC1\n",
            "data/transactions.csv": "customer_id,date,amount\nC1,2024-01-01,5\n",
            "segmentations/rfm.yaml": """
                population: customers
                id: customer_id
                datasets:
                  customers: { file: data/customers.csv }
                  transactions: { file: data/transactions.csv }
                features:
                  rfm:
                    transactions: transactions
                    customer: customer_id
                    date: date
                    amount: amount
                    preset: rf_grdi
                criteria: [rfm_segments]
                """,
        ])
        defer { ws.remove() }
        let r = try SegProcess.run(["run", ws.root.path, "rfm"])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("rfm.yaml:12") && r.stderr.contains("did you mean 'rf_grid'?"), r.stderr)
    }
}
