import Foundation
import XCTest
@testable import SegworkCore
@testable import SegworkData

/// `History.run` is the one entry point for a run, used by `seg run` and by apps that embed the library: these
/// tests call it the way such an app would, and check the all-or-nothing promise and the error statuses.
final class RunTransactionTests: XCTestCase {
    private func workspace(definitions: [String: String]) throws -> Workspace {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("runtx-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        for sub in ["data", "segmentations", "plugins"] {
            try FileManager.default.createDirectory(at: dir.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        try "name: t\n".write(to: dir.appendingPathComponent("workspace.yaml"), atomically: true, encoding: .utf8)
        try "customer_id,country\nc1,DE\nc2,FR\nc3,DE\n".write(to: dir.appendingPathComponent("data/customers.csv"),
                                                               atomically: true, encoding: .utf8)
        try """
        return { api = 1, kind = "criterion", name = "by_country", version = "1.0.0", description = "country",
          uses = { "country" }, assign = function(row, p) return row.country end }
        """.write(to: dir.appendingPathComponent("plugins/by_country.lua"), atomically: true, encoding: .utf8)
        for (name, text) in definitions {
            try text.write(to: dir.appendingPathComponent("segmentations/\(name).yaml"), atomically: true, encoding: .utf8)
        }
        return try Workspace.open(dir.path, environment: ["SEG_BUNDLED_PLUGINS": ""])
    }

    private let good = """
    population: customers
    id: customer_id
    as_of: 2024-01-01
    datasets:
      customers: { file: data/customers.csv }
    criteria:
      - plugin: by_country
    profile: { categorical: [country] }

    """

    func testRunStoresEachDefinitionAndWritesItsFolder() throws {
        let ws = try workspace(definitions: ["a": good, "b": good])
        let outcomes = try History.run(ws, RunRequest(holder: "test"))
        XCTAssertEqual(outcomes.map(\.version.definition), ["a", "b"])
        XCTAssertEqual(outcomes.map(\.version.customers), [3, 3])
        XCTAssertTrue(outcomes.allSatisfy(\.gatesPassed))
        for o in outcomes {
            XCTAssertEqual(o.result.exportDirectory, ws.exportDirectory(definition: o.version.definition, folder: o.version.runID))
            let membership = try Data(contentsOf: o.result.exportDirectory.appendingPathComponent("membership.csv"))
            XCTAssertEqual(membership, o.version.membershipCSV)
        }
        let history = try History(workspace: ws, create: false)
        XCTAssertEqual(try history.store.versionSummaries(definition: nil).count, 2)
    }

    func testAFailingDefinitionStoresAndWritesNothingForAnyOfThem() throws {
        let broken = good.replacingOccurrences(of: "by_country", with: "no_such_plugin")
        let ws = try workspace(definitions: ["a": good, "z": broken])
        XCTAssertThrowsError(try History.run(ws, RunRequest(holder: "test"))) { error in
            XCTAssertEqual((error as? SegworkError)?.exitStatus, .usage, "\(error)")
            XCTAssertTrue("\(error)".contains("no_such_plugin"), "\(error)")
        }
        let exports = (try? FileManager.default.contentsOfDirectory(atPath: ws.exportsDirectory.path)) ?? []
        XCTAssertTrue(exports.isEmpty, "nothing exported: \(exports)")
        let history = try History(workspace: ws, create: true)
        XCTAssertEqual(try history.store.versionSummaries(definition: nil).count, 0)
    }

    func testExportWritesTheStoredBytesAgain() throws {
        let ws = try workspace(definitions: ["a": good])
        let v = try XCTUnwrap(try History.run(ws, RunRequest(definitions: ["a"], holder: "test")).first?.version)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("runtx-out-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: out) }
        let (dir, files) = try History(workspace: ws, create: false).export(v, formats: [.json], hashIDs: false, to: out)
        XCTAssertEqual(dir, out)
        // The run's notes come with every format (the store keeps them); here the scorecard's small-segment note.
        XCTAssertEqual(files, ["membership.csv", "notes.txt", "profiles.json"])
        XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent("profiles.json")), v.profilesJSON)
    }
}

/// Each error carries its own exit status (the command line keeps no list of types).
final class ExitStatusTests: XCTestCase {
    func testErrorsCarryTheirDocumentedStatus() {
        XCTAssertEqual(ExitStatus.of(DefinitionError(file: "d.yaml", line: 3, "bad")), .usage)
        XCTAssertEqual(ExitStatus.of(DataError(file: "x.csv", line: 2, message: "bad")), .runFailed)
        XCTAssertEqual(ExitStatus.of(StoreError.unknownVersion("v9", available: [])), .usage)
        XCTAssertEqual(ExitStatus.of(StoreError.ambiguousVersion("ab", matches: [])), .usage)
        XCTAssertEqual(ExitStatus.of(StoreError.busy(holder: "pid 1")), .runFailed)
        XCTAssertEqual(ExitStatus.of(DiffError.differentDefinitions(fromVersion: "v1", fromDefinition: "a", toVersion: "v2", toDefinition: "b")), .usage)
        XCTAssertEqual(ExitStatus.of(DiffError.invalidLabelMatch(reason: "x")), .runFailed)
        XCTAssertEqual(ExitStatus.of(TableError.duplicateColumn("a")), .runFailed)
        XCTAssertEqual(ExitStatus.of(AtomicWriteError.io(operation: "write", path: "p", message: "m")), .runFailed)
    }

    func testAnErrorThatIsNotSegworksFailsTheRunInsteadOfLookingLikeUsage() {
        let foreign = CocoaError(.fileReadNoSuchFile)
        XCTAssertFalse(foreign is SegworkError)
        XCTAssertEqual(ExitStatus.of(foreign), .runFailed)
        XCTAssertFalse(ExitStatus.message(for: foreign).isEmpty)
    }

    func testMessagesAreTheErrorsOwnDescription() {
        let e = DefinitionError(file: "d.yaml", line: 3, "bad thing")
        XCTAssertEqual(ExitStatus.message(for: e), e.description)
        XCTAssertEqual(ExitStatus.message(for: TableError.duplicateColumn("a")), TableError.duplicateColumn("a").description)
    }
}
