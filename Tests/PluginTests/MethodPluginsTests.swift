import Foundation
import XCTest
import LuaHost

/// The method plugins of docs/METHODS.md, run as a run runs them (column batches with missing values, through
/// `LuaHost`): on rows drawn from each column's edge values (bounds, one either side, missing), the labels a plugin
/// returns are exactly the `labels` it declares — none undeclared (which `seg plugins lint` and the rule-set checks
/// rely on) and none unreachable with the defaults.
final class MethodPluginsTests: XCTestCase {
    typealias F = PluginFixture

    /// A column and the values to draw from (nil: missing).
    private enum Values {
        case ints([Int64?]), doubles([Double?]), bools([Bool?]), strings([String?])
        var count: Int {
            switch self {
            case .ints(let v): v.count
            case .doubles(let v): v.count
            case .bools(let v): v.count
            case .strings(let v): v.count
            }
        }
    }

    /// `rows` rows, each value picked by a fixed-seed generator, so the run is the same every time.
    private func columns(_ spec: [(String, Values)], rows: Int) -> [ColumnInput] {
        var state: UInt64 = 0x9E3779B97F4A7C15
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        var picks = [[Int]](repeating: [], count: spec.count)
        for _ in 0..<rows { for c in spec.indices { picks[c].append(next(spec[c].1.count)) } }
        return spec.enumerated().map { c, column in
            let (name, values) = column
            switch values {
            case .ints(let v): return F.ints(name, picks[c].map { v[$0] })
            case .doubles(let v): return F.doubles(name, picks[c].map { v[$0] })
            case .bools(let v):
                let xs = picks[c].map { v[$0] }
                return ColumnInput(name: name, values: .bool(xs.map { $0 ?? false }), validity: F.validity(xs))
            case .strings(let v):
                let xs = picks[c].map { v[$0] }
                let dictionary = Array(Set(xs.compactMap { $0 })).sorted()
                let codes = xs.map { x in Int32(x.flatMap { dictionary.firstIndex(of: $0) } ?? 0) }
                return ColumnInput(name: name, values: .string(codes: codes, dictionary: dictionary),
                                   validity: F.validity(xs))
            }
        }
    }

    private func assertReturnsExactlyItsLabels(_ name: String, _ spec: [(String, Values)], rows: Int = 3000,
                                               file: StaticString = #filePath, line: UInt = #line) throws {
        let plugin = try F.load("criteria/\(name).lua")
        XCTAssertEqual(plugin.manifest.uses, spec.map(\.0), name, file: file, line: line)
        let input = columns(spec, rows: rows)
        var stats: [String: ColumnStatistics] = [:]
        for (column, values) in zip(input, spec) {
            if case .doubles = values.1, case .double(let xs) = column.values {
                let valid = (0..<xs.count).map { i in column.validity.map { ($0[i / 64] >> UInt64(i % 64)) & 1 == 1 } ?? true }
                stats[values.0] = F.numericStats(zip(xs, valid).map { $1 ? $0 : nil })
            }
        }
        try plugin.prepare(stats: stats)
        let got = Set(F.labels(try plugin.assign(columns: input, rowCount: rows)).compactMap { $0 })
        XCTAssertEqual(got, Set(try XCTUnwrap(plugin.manifest.labels, name)), name, file: file, line: line)
    }

    func testEveryMethodCriterionReturnsExactlyTheLabelsItDeclares() throws {
        let counts: Values = .ints([nil, 0, 1, 2, 3, 4, 5, 7, 9, 10, 12, 30])
        try assertReturnsExactlyItsLabels("life_stage", [
            ("age", .doubles([nil, 18, 34, 34.9, 35, 39, 40, 64, 65, 90])),
            ("household_size", .ints([nil, 1, 2, 4])), ("children", .ints([nil, 0, 1, 3]))])
        try assertReturnsExactlyItsLabels("city_tier", [
            ("city", .strings([nil, "Leeds", "Bath"])),
            ("city_population", .ints([nil, 0, 249_999, 250_000, 999_999, 1_000_000, 9_000_000]))])
        try assertReturnsExactlyItsLabels("purchase_frequency", [("frequency", counts)])
        try assertReturnsExactlyItsLabels("order_value", [
            ("frequency", .ints([nil, 0, 1, 2])), ("monetary", .doubles([nil, 0, 24.99, 25, 74.99, 75, 150, 900]))])
        try assertReturnsExactlyItsLabels("category_breadth", [("n_categories", counts)])
        try assertReturnsExactlyItsLabels("channel_mix", [("online_orders", counts), ("store_orders", counts)])
        try assertReturnsExactlyItsLabels("tech_adoption", [
            ("online_orders", counts), ("store_orders", counts), ("app_user", .bools([nil, true, false]))])
        try assertReturnsExactlyItsLabels("lifecycle_stages", [
            ("recency_days", .ints([nil, 0, 30, 90, 91, 180, 181, 700])), ("frequency", counts),
            ("purchase_gap_days", .ints([nil, 5, 180, 181, 400]))])
        try assertReturnsExactlyItsLabels("engagement", [
            ("sessions", counts), ("email_opens", counts), ("email_clicks", counts)])
        try assertReturnsExactlyItsLabels("csat", [("csat_score", .doubles([nil, 1, 2, 2.5, 3, 3.5, 4, 5]))])
        let spend: Values = .doubles([nil, 0, -5, 10, 50, 50, 120])
        try assertReturnsExactlyItsLabels("dominant_category", ["spend_electronics", "spend_fashion", "spend_home",
                                                                "spend_beauty", "spend_sports"].map { ($0, spend) })
        try assertReturnsExactlyItsLabels("attitudes", (1...6).map { ("likert_\($0)", .ints([nil, 1, 2, 3, 4, 5])) })
        try assertReturnsExactlyItsLabels("value_tier", [("monetary", .doubles([nil, 0, 10, 20, 40, 80, 160, 320]))])
    }

    /// The worked example of METHODS.md's churn_risk section, through the host: 48.5; and the missing-input rules.
    func testChurnRiskDocumentedExample() throws {
        let plugin = try F.load("scorers/churn_risk.lua")
        XCTAssertEqual(plugin.manifest.output, "churn_risk")
        try plugin.prepare(stats: [:])
        let got = F.scores(try plugin.score(columns: [
            F.ints("recency_days", [73, 73, nil, 0]), F.ints("orders_recent", [1, nil, 2, nil]),
            F.ints("orders_previous", [4, nil, 1, nil]), F.ints("sessions", [2, 2, 9, nil]),
        ], rowCount: 4))
        XCTAssertEqual(got.count, 4)
        XCTAssertEqual(try XCTUnwrap(got[0]), 48.5, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(got[1]), 37.1, accuracy: 1e-9, "(0.5 * 20 + 0.2 * 80) / 0.7, one decimal")
        XCTAssertNil(got[2], "never bought: no score")
        XCTAssertEqual(try XCTUnwrap(got[3]), 0, accuracy: 1e-9, "only recency, bought today")
    }
}
