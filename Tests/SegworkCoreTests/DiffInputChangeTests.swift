import XCTest
import LuaHost
@testable import SegworkCore
@testable import SegworkData

final class DiffInputChangeTests: XCTestCase {
    private typealias F = DiffFixture
    private let csv = "id,segment\na,X\n"

    private func changes(_ to: VersionRecord) throws -> [InputChange] {
        try DiffEngine.diff(from: F.record(1, csv), to: to, includeMovers: false).inputChanges
    }

    private func plugin(version: String = "1.0.0", sha: String = F.sha2, params: [String: PluginValue]) -> PluginInfo {
        PluginInfo(name: "tiers", kind: "criterion", version: version, file: "plugins/criteria/tiers.lua",
                   sha256: sha, params: params)
    }

    func testNothingChangedGivesAnEmptyList() throws {
        XCTAssertEqual(try changes(F.record(2, csv)), [])
        // A double parameter with an integral value equals the same integer (as the JSON exports write it).
        let same = F.record(2, csv, plugins: [plugin(params: ["min": .double(3), "label": .string("gold")])])
        XCTAssertEqual(try changes(same), [])
    }

    func testDefinitionAsOfAndSegworkVersion() throws {
        let to = F.record(2, csv, definitionText: "name: tiers\nas_of: 2024-04-01\n", asOf: "2024-04-01",
                          segworkVersion: "0.2.0")
        XCTAssertEqual(try changes(to), [
            InputChange(kind: .definition, name: "tiers", field: "sha256", before: SHA256.hex("name: tiers\n"),
                        after: SHA256.hex("name: tiers\nas_of: 2024-04-01\n")),
            InputChange(kind: .run, name: "", field: "as_of", before: "2024-03-01", after: "2024-04-01"),
            InputChange(kind: .run, name: "", field: "segwork_version", before: "0.1.0", after: "0.2.0"),
        ])
    }

    func testDatasetChangesAddedAndRemoved() throws {
        let to = F.record(2, csv, inputs: [
            InputInfo(name: "visits", file: "data/visits.csv", sha256: F.sha2, rows: 4),
            InputInfo(name: "orders", file: "data/orders.csv", sha256: F.sha2, rows: 12),
        ])
        let from = F.record(1, csv, inputs: [
            InputInfo(name: "orders", file: "data/orders.csv", sha256: F.sha1, rows: 10),
            InputInfo(name: "customers", file: "data/customers.csv", sha256: F.sha1, rows: 3),
        ])
        let c = try DiffEngine.diff(from: from, to: to, includeMovers: false).inputChanges
        XCTAssertEqual(c, [
            InputChange(kind: .dataset, name: "customers", field: "removed", before: F.sha1, after: nil),
            InputChange(kind: .dataset, name: "orders", field: "sha256", before: F.sha1, after: F.sha2),
            InputChange(kind: .dataset, name: "orders", field: "rows", before: "10", after: "12"),
            InputChange(kind: .dataset, name: "visits", field: "added", before: nil, after: F.sha2),
        ])
    }

    func testPluginVersionShaAndEachChangedParameterByName() throws {
        let to = F.record(2, csv, plugins: [
            plugin(version: "1.1.0", sha: F.sha1,
                   params: ["min": .int(4), "label": .string("gold"), "weights": .object(["b": .int(1), "a": .null])]),
            PluginInfo(name: "aging", kind: "scorer", version: "2.0.0", file: "plugins/scorers/aging.lua",
                       sha256: F.sha1, params: [:]),
        ])
        XCTAssertEqual(try changes(to), [
            InputChange(kind: .plugin, name: "aging", field: "added", before: nil, after: "2.0.0"),
            InputChange(kind: .plugin, name: "tiers", field: "version", before: "1.0.0", after: "1.1.0"),
            InputChange(kind: .plugin, name: "tiers", field: "sha256", before: F.sha2, after: F.sha1),
            InputChange(kind: .plugin, name: "tiers", field: "param", param: "min", before: "3", after: "4"),
            InputChange(kind: .plugin, name: "tiers", field: "param", param: "weights", before: nil,
                        after: "{\"a\": null, \"b\": 1}"),
        ])
        let relabelled = F.record(2, csv, plugins: [plugin(params: ["min": .int(3), "label": .string("platinum")])])
        XCTAssertEqual(try changes(relabelled), [
            InputChange(kind: .plugin, name: "tiers", field: "param", param: "label", before: "\"gold\"",
                        after: "\"platinum\""),
        ])
        let removed = F.record(2, csv, plugins: [])
        XCTAssertEqual(try changes(removed), [
            InputChange(kind: .plugin, name: "tiers", field: "removed", before: "1.0.0", after: nil),
        ])
    }
}
