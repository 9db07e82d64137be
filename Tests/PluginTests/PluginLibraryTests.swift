import Foundation
import XCTest
import LuaHost

/// The library as a whole: every bundled plugin loads, is named after its file, sits in the folder of
/// its kind, and is listed in plugins/README.md.
final class PluginLibraryTests: XCTestCase {
    typealias F = PluginFixture

    /// Folder -> the kind every plugin in it must have.
    let folders: [(String, PluginKind)] = [("criteria", .criterion), ("scorers", .scorer), ("sources", .source),
                                            ("cleaners", .cleaner)]

    private func pluginFiles(in folder: String) throws -> [URL] {
        let dir = F.pluginsDir.appendingPathComponent(folder)
        return try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "lua" && !$0.lastPathComponent.hasSuffix(".test.lua") }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// Issue 9: every bundled plugin has its own tests in Lua beside it (`make test` runs them).
    func testEveryPluginHasATestFile() throws {
        for (folder, _) in folders {
            for file in try pluginFiles(in: folder) {
                let tests = file.deletingPathExtension().appendingPathExtension("test.lua")
                XCTAssertTrue(FileManager.default.fileExists(atPath: tests.path), "no \(folder)/\(tests.lastPathComponent)")
            }
        }
    }

    func testEveryPluginLoadsAndIsNamedAfterItsFile() throws {
        var names: [String] = []
        for (folder, kind) in folders {
            let files = try pluginFiles(in: folder)
            XCTAssertFalse(files.isEmpty, "no plugins in plugins/\(folder)")
            for file in files {
                let plugin = try F.load("\(folder)/\(file.lastPathComponent)",
                                        fileRoot: FileManager.default.temporaryDirectory.path)
                let base = file.deletingPathExtension().lastPathComponent
                XCTAssertEqual(plugin.manifest.name, base, "\(folder)/\(file.lastPathComponent)")
                XCTAssertEqual(plugin.manifest.kind, kind, "\(folder)/\(file.lastPathComponent)")
                XCTAssertEqual(plugin.manifest.api, 1)
                XCTAssertFalse(plugin.manifest.version.isEmpty)
                XCTAssertFalse(plugin.manifest.description.isEmpty)
                names.append(base)
            }
        }
        XCTAssertEqual(names.sorted(), ["attitudes", "category_affinity", "category_breadth", "channel_mix",
                                        "churn_risk", "city_tier", "clusters", "csat", "demographic_bands", "dominant_category",
                                        "engagement", "firmographic", "geo_region", "legacy_pipe", "life_stage",
                                        "lifecycle", "lifecycle_stages", "nps", "order_value", "phone_e164",
                                        "purchase_frequency", "rfm", "rfm_segments", "tech_adoption", "value_score", "value_tier"])
    }

    func testEveryPluginIsListedInTheReadme() throws {
        let readme = try String(contentsOf: F.pluginsDir.appendingPathComponent("README.md"), encoding: .utf8)
        for (folder, _) in folders {
            for file in try pluginFiles(in: folder) {
                XCTAssertTrue(readme.contains("`\(folder)/\(file.lastPathComponent)`"),
                              "plugins/README.md does not list \(folder)/\(file.lastPathComponent)")
            }
        }
    }

    func testCriteriaDeclareTheColumnsTheyRead() throws {
        let expected: [String: [String]] = [
            "rfm": ["recency_days", "frequency", "monetary"],
            "lifecycle": ["tenure_days", "recency_days"],
            "nps": ["nps_score"],
            "demographic_bands": ["age", "income"],
            "life_stage": ["age", "household_size", "children"],
            "geo_region": ["country"],
            "city_tier": ["city", "city_population"],
            "firmographic": ["industry", "employees", "revenue"],
            "purchase_frequency": ["frequency"],
            "order_value": ["frequency", "monetary"],
            "category_breadth": ["n_categories"],
            "channel_mix": ["online_orders", "store_orders"],
            "tech_adoption": ["online_orders", "store_orders", "app_user"],
            "lifecycle_stages": ["recency_days", "frequency", "purchase_gap_days"],
            "engagement": ["sessions", "email_opens", "email_clicks"],
            "csat": ["csat_score"],
            "dominant_category": ["spend_electronics", "spend_fashion", "spend_home", "spend_beauty", "spend_sports"],
            "category_affinity": ["spend_electronics", "spend_fashion", "spend_home", "spend_beauty", "spend_sports"],
            "attitudes": ["likert_1", "likert_2", "likert_3", "likert_4", "likert_5", "likert_6"],
            "value_tier": ["monetary"],
        ]
        for (name, uses) in expected.sorted(by: { $0.key < $1.key }) {
            XCTAssertEqual(try F.load("criteria/\(name).lua").manifest.uses, uses, name)
        }
    }
}
