import Foundation
import XCTest
import LuaHost
@testable import SegworkCore
@testable import SegworkData

/// A cleaner stopped by its instruction budget or by the watchdog is reported at the data file's line of the row.
final class CleanPluginBudgetTests: XCTestCase {
    func testBudgetAndWatchdogStopsNameTheDataLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cleanbudget-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("c.lua").path
        try """
            return { api = 1, kind = "cleaner", name = "spin", version = "1.0", description = "test", uses = { "tel" },
              clean = function(row, p)
                if row.tel == 3 then while true do end end
                return row
              end }
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let yaml = "population: d\nid: id\ncriteria: [x]\ndatasets:\n  d:\n    file: d.csv\n    clean:\n      - plugin: spin\n"
        let def = try Definition.parse(text: yaml, file: "def.yaml", defaultName: "def")
        let table = try DataReader.parseCSV(Array("id,tel\nA,1\n\nB,2\nC,3\n".utf8), origin: "d.csv",
                                            options: ReadOptions(textColumns: ["id"]))
        for limits in [LuaLimits(instructions: 1_000_000), LuaLimits(instructions: 1 << 40, seconds: 0.3)] {
            let plugin = try Plugin.load(path: path, environment: PluginEnvironment(limits: limits))
            try plugin.configure(overrides: [:])
            XCTAssertThrowsError(try Cleaner.run(table, steps: def.datasets[0].clean, dataset: "d", origin: "d.csv",
                                                 definitionFile: "def.yaml", cleaners: [0: plugin])) { error in
                let text = "\(error)"
                XCTAssertTrue(text.hasPrefix("d.csv, line 5: record 3 of dataset 'd' (clean step 1)"), text)
                XCTAssertTrue(text.contains("spin"), text)
            }
        }
    }
}
