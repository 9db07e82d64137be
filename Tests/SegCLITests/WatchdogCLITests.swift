import Foundation
import XCTest

/// A criterion stuck inside one library call (a pattern that backtracks for ever) is ended by the watchdog after
/// its 10 s floor; the message names the plugin, the customer and the population's data line. (Takes ~10 s.)
final class WatchdogCLITests: XCTestCase {
    func testStuckCriterionNamesTheCustomerAndDataLine() throws {
        let stuck = """
        return { api = 1, kind = "criterion", name = "stuck", version = "1", description = "d", uses = { "age" },
          assign = function(row, p)
            if row.age == 50 then string.find(string.rep("a", 40), string.rep("a?", 40) .. string.rep("a", 40)) end
            return "ok"
          end }
        """
        let ws = try TempWorkspace(files: [
            "data/customers.csv": "customer_id,age\nC1,30\n\nC2,40\nC3,50\n",
            "plugins/criteria/stuck.lua": stuck,
            "segmentations/s.yaml": """
            population: customers
            id: customer_id
            as_of: 2024-12-31
            datasets: { customers: { file: data/customers.csv } }
            criteria: [stuck]
            """,
        ], limits: "limits: { seconds: 0.5 }\n")
        defer { ws.remove() }
        let r = try SegProcess.run(["run", ws.root.path])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("made no progress for"), r.stderr)
        XCTAssertTrue(r.stderr.contains(" for customer C3 (\(ws.root.path)/data/customers.csv, line 5): it is stuck"), r.stderr)
        XCTAssertEqual(ws.exportedFiles(), [])
    }
}
