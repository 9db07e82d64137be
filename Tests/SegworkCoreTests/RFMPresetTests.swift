import XCTest
@testable import SegworkCore
@testable import SegworkData

/// Each `features.rfm` preset against the package it reproduces: Tests/Fixtures/rfm/expected_<preset>.csv was
/// written by the package itself (generate.py, generate.R) from transactions.csv, ties included. Every customer's
/// recency, frequency, monetary, three scores and composite must agree.
final class RFMPresetTests: XCTestCase {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/rfm")

    /// The preset's columns for the fixture's population (customers.csv), keyed by customer id.
    private func run(_ preset: RFMPreset, asOf: CivilDate? = nil, definitionAsOf: CivilDate? = nil,
                     configure: (inout RFMOptions) -> Void = { _ in }) throws -> [String: [String]] {
        let population = try DataReader.read(path: Self.folder.appendingPathComponent("customers.csv").path)
        let tx = try DataReader.read(path: Self.folder.appendingPathComponent("transactions.csv").path)
        var spec = RFMSpec(transactions: "tx", customer: "customer_id", order: "order_id", date: "date", amount: "amount")
        spec.options.preset = preset
        configure(&spec.options)
        let ids = population["customer_id"]!
        let r = try RFMFeature.compute(ids: ids, idOrigin: "customers.csv", transactions: tx, origin: "transactions.csv",
                                       spec: spec, asOf: asOf, definitionAsOf: definitionAsOf)
        XCTAssertEqual(r.columns.map(\.name), RFMFeature.outputs + RFMScores.outputs)
        var out: [String: [String]] = [:]
        for i in 0..<ids.count {
            out[ids.string(at: i)!] = r.columns.map { c in c.double(at: i).map { fmt($0) } ?? c.string(at: i) ?? "" }
        }
        return out
    }

    private func fmt(_ d: Double) -> String { d == d.rounded() ? String(Int64(d)) : String(d) }

    /// expected_<name>.csv: customer id → recency, frequency, monetary, r, f, m, rfm_score (numbers normalised).
    private func expected(_ name: String) throws -> [String: [String]] {
        let text = try String(contentsOf: Self.folder.appendingPathComponent("expected_\(name).csv"), encoding: .utf8)
        var out: [String: [String]] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            out[f[0]] = f[1...7].map { Double($0).map(fmt) ?? $0 }
        }
        return out
    }

    private func assertAgrees(_ got: [String: [String]], _ want: [String: [String]], _ name: String) {
        XCTAssertEqual(want.count, 60, "\(name): the fixture has 60 buyers")
        var differ: [String] = []
        for (id, row) in want.sorted(by: { $0.key < $1.key }) where got[id] != row {
            differ.append("\(id): Segwork \(got[id] ?? []) vs package \(row)")
        }
        XCTAssertEqual(differ, [], "\(name): customers that disagree")
        // Customers who never bought are not scored (the packages never see them).
        for id in ["C061", "C062", "C063"] { XCTAssertEqual(got[id], ["", "", "", "", "", "", ""], id) }
    }

    func testPyPIRFMAgreesWithThePackage() throws {
        assertAgrees(try run(.pypiRFM), try expected("pypi_rfm"), "pypi_rfm")
    }

    func testCRANRFMAgreesWithThePackage() throws {
        // rfm_table_order(analysis_date = 2025-01-01): the package takes the date as given, as_of: here.
        assertAgrees(try run(.cranRFM, definitionAsOf: CivilDate(iso: "2025-01-01")), try expected("cran_rfm"), "cran_rfm")
    }

    func testPymcMarketingAgreesWithThePackage() throws {
        assertAgrees(try run(.pymcMarketing), try expected("pymc_marketing"), "pymc_marketing")
    }

    func testRFGridAgreesWithThePandasRecipe() throws {
        assertAgrees(try run(.rfGrid), try expected("rf_grid"), "rf_grid")
    }

    func testTheTieRuleMatters() throws {
        // The same preset with ties in population order instead of id order scores some customers differently,
        // so the comparisons above do test the tie rule.
        let byRow = try run(.rfGrid) { $0.ties = .first }
        let want = try expected("rf_grid")
        XCTAssertTrue(want.contains { byRow[$0.key] != $0.value })
    }

    func testReferencePrecedence() throws {
        // --as-of beats features.rfm.reference, which beats as_of:, which beats the preset's (day_after for rf_grid).
        let asOf = CivilDate(iso: "2025-02-01"), given = CivilDate(iso: "2025-01-11"), def = CivilDate(iso: "2025-01-21")
        func recency(_ r: [String: [String]]) -> String { r["C021"]![0] }  // C021 bought on the last day, 2024-12-31
        XCTAssertEqual(recency(try run(.rfGrid)), "1")
        XCTAssertEqual(recency(try run(.pypiRFM)), "0")
        XCTAssertEqual(recency(try run(.rfGrid, definitionAsOf: def)), "21")
        XCTAssertEqual(recency(try run(.rfGrid, definitionAsOf: def) { $0.reference = .date(given!) }), "11")
        XCTAssertEqual(recency(try run(.rfGrid, asOf: asOf, definitionAsOf: def) { $0.reference = .date(given!) }), "32")
    }

    func testOptionsNextToAPresetOverrideIt() throws {
        let r = try run(.cranRFM, definitionAsOf: CivilDate(iso: "2025-01-01")) { $0.compose = .sum; $0.monetary = .mean }
        let cran = try expected("cran_rfm")
        // C040: rfm_score becomes R + F + M; monetary the mean per row.
        let c = cran["C040"]!
        XCTAssertEqual(r["C040"]![6], String(Int(c[3])! + Int(c[4])! + Int(c[5])!))
        XCTAssertEqual(Double(r["C040"]![2])!, Double(c[2])! / Double(c[1])!, accuracy: 1e-9)
    }
}
