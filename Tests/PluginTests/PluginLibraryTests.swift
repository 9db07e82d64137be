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
        XCTAssertEqual(names.sorted(), ["clusters", "demographic_bands", "legacy_pipe", "lifecycle", "nps", "phone_e164", "rfm",
                                        "value_score"])
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
        ]
        for (name, uses) in expected.sorted(by: { $0.key < $1.key }) {
            XCTAssertEqual(try F.load("criteria/\(name).lua").manifest.uses, uses, name)
        }
    }
}
