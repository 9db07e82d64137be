import Foundation
import LuaHost
import XCTest
@testable import SegworkCore
@testable import SegworkData

/// Definition mistakes found only once the data is read (a column name the data lacks, a parameter `prepare`
/// rejects) are reported as definition errors at the line where they were written, with a did-you-mean.
final class DefinitionPlaceTests: XCTestCase {
    private static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    private var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("defplace-\(UUID().uuidString)")
        try write("workspace.yaml", "name: t\nplugins: [plugins, \(Self.repo.appendingPathComponent("plugins").path)]\n")
        try write("data/customers.csv", "customer_id,country\nC1,DE\nC2,FR\nC3,DE\n")
        try write("data/tx.csv", "order_id,customer_id,order_date,amount\n1,C1,2024-01-02,10\n2,C2,2024-02-03,20\n3,C1,2024-03-01,5\n")
        try write("data/survey.csv", "customer_id,score\nC1,9\nC3,4\n")
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: root) }

    private func write(_ path: String, _ text: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    /// A definition over customers, tx and survey with `rfm` features; `extra` replaces the criteria/profile tail.
    private func definition(join: String = "customer_id", amount: String = "amount",
                            tail: String = "criteria:\n  - plugin: rfm\n") -> String {
        """
        population: customers
        id: customer_id
        datasets:
          customers: { file: data/customers.csv }
          tx: { file: data/tx.csv }
          survey:
            file: data/survey.csv
            join: \(join)
        features:
          rfm:
            transactions: tx
            customer: customer_id
            date: order_date
            amount: \(amount)
        \(tail)
        """
    }

    private func runError(_ text: String, file: String = "segmentations/d.yaml") throws -> Error {
        try write(file, text)
        let ws = try Workspace.open(root.path, environment: ["SEG_BUNDLED_PLUGINS": ""])
        do {
            let defs = try ws.definitions(named: [])
            _ = try Runner(workspace: ws).run(defs[0])
        } catch {
            return error
        }
        XCTFail("the run succeeded")
        throw CancellationError()
    }

    func testJoinTypoIsADefinitionErrorAtItsLine() throws {
        let e = try XCTUnwrap(try runError(definition(join: "custmer_id")) as? DefinitionError, "not a definition error")
        XCTAssertEqual(e.line, 8, "\(e)")
        XCTAssertTrue(e.file.hasSuffix("segmentations/d.yaml"), "\(e)")
        XCTAssertTrue(e.message.contains("datasets.survey.join names column 'custmer_id'"), "\(e)")
        XCTAssertTrue(e.message.contains("did you mean 'customer_id'?"), "\(e)")
    }

    func testRFMColumnTypoIsADefinitionErrorAtItsLine() throws {
        let e = try XCTUnwrap(try runError(definition(amount: "amout")) as? DefinitionError, "not a definition error")
        XCTAssertEqual(e.line, 14, "\(e)")
        XCTAssertTrue(e.message.contains("features.rfm.amount names column 'amout', which dataset 'tx' does not have; did you mean 'amount'?"), "\(e)")
        XCTAssertFalse(e.description.contains("data/tx.csv"), "names the data file, not the definition: \(e)")
    }

    func testIdTypoIsADefinitionErrorAtItsLine() throws {
        let text = definition().replacingOccurrences(of: "\nid: customer_id\n", with: "\nid: customerid\n")
        let e = try XCTUnwrap(try runError(text) as? DefinitionError, "not a definition error")
        XCTAssertEqual(e.line, 2, "\(e)")
        XCTAssertTrue(e.file.hasSuffix("segmentations/d.yaml"), "\(e)")
        XCTAssertTrue(e.message.contains("id names column 'customerid', which dataset 'customers' does not have; did you mean 'customer_id'? columns: customer_id, country"), "\(e)")
        XCTAssertEqual(e.exitStatus, .usage)
    }

    func testSchemaTypoIsADefinitionErrorAtItsLine() throws {
        let flow = definition().replacingOccurrences(of: "    join: customer_id\n",
                                                     with: "    join: customer_id\n    schema: { scor: integer }\n")
        let e = try XCTUnwrap(try runError(flow) as? DefinitionError, "not a definition error")
        XCTAssertEqual(e.line, 9, "\(e)")
        XCTAssertTrue(e.message.contains("datasets.survey.schema.scor names column 'scor', which dataset 'survey' (data/survey.csv) does not have; did you mean 'score'? columns: customer_id, score"), "\(e)")
        XCTAssertEqual(e.exitStatus, .usage)
        // Long form: the entry's own line (its key), not the line its mapping starts on; the first typo by line.
        let block = definition().replacingOccurrences(
            of: "    join: customer_id\n",
            with: "    join: customer_id\n    schema:\n      scores:\n        type: integer\n      customer_id: string\n      customer_di: string\n")
        let b = try XCTUnwrap(try runError(block) as? DefinitionError, "not a definition error")
        XCTAssertEqual(b.line, 10, "\(b)")
        XCTAssertTrue(b.message.contains("schema.scores names column 'scores'") && b.message.contains("did you mean 'score'?"), "\(b)")
    }

    func testDaysSinceTypoIsADefinitionErrorAtItsLine() throws {
        let text = definition(tail: "  days_since: { signup_dat: tenure }\ncriteria: [rfm]\n")
        try write("data/customers.csv", "customer_id,country,signup_date\nC1,DE,2023-01-01\nC2,FR,2023-02-01\nC3,DE,2023-03-01\n")
        let e = try XCTUnwrap(try runError(text) as? DefinitionError, "not a definition error")
        XCTAssertEqual(e.line, 15, "\(e)")
        XCTAssertTrue(e.message.contains("did you mean 'signup_date'?"), "\(e)")
    }

    func testProfileTypoHasItsLineAndASuggestion() throws {
        let tail = "criteria: [rfm]\nprofile:\n  numeric: [recency_days,\n            frequncy]\n"
        let e = try XCTUnwrap(try runError(definition(tail: tail)) as? DefinitionError, "not a definition error")
        XCTAssertEqual(e.line, 18, "\(e)")
        XCTAssertTrue(e.message.contains("profile.numeric names column 'frequncy'"), "\(e)")
        XCTAssertTrue(e.message.contains("did you mean 'frequency'?"), "\(e)")
    }

    func testUsesTypoSuggestsTheColumn() throws {
        try write("plugins/criteria/spend.lua", """
        return { api = 1, kind = "criterion", name = "spend", version = "1", description = "d",
                 uses = { "monetry" }, assign = function(row, p) return "x" end }
        """)
        let e = try XCTUnwrap(try runError(definition(tail: "criteria:\n  - plugin: spend\n")) as? DefinitionError)
        XCTAssertEqual(e.line, 16, "\(e)")
        XCTAssertTrue(e.message.contains("plugin 'spend' uses column 'monetry'"), "\(e)")
        XCTAssertTrue(e.message.contains("did you mean 'monetary'?"), "\(e)")
        // Fed through `columns:`, the mistake is on the mapping's line, and the fix is to change the mapping.
        let mapped = definition(tail: "criteria:\n  - plugin: spend\n    columns:\n      monetry: monetory\n")
        let m = try XCTUnwrap(try runError(mapped) as? DefinitionError)
        XCTAssertEqual(m.line, 18, "\(m)")
        XCTAssertTrue(m.message.contains("did you mean 'monetary'?") && m.message.contains("Change the mapping"), "\(m)")
    }

    func testParameterRejectedInPrepareNamesTheLineWhereItIsSet() throws {
        let tail = "criteria:\n  - plugin: rfm\n    params:\n      no_purchase_label: none\n      mode: bogus\n"
        let e = try XCTUnwrap(try runError(definition(tail: tail)) as? DefinitionError, "not a definition error")
        XCTAssertEqual(e.line, 19, "\(e)")
        XCTAssertTrue(e.message.contains("rejected the parameters this definition sets (mode)"), "\(e)")
        XCTAssertTrue(e.message.contains("mode must be \"segment\" or \"scores\""), "\(e)")
    }

    /// An override the plugin does not declare, or of the wrong type, is placed at its own line under `params:`
    /// (QA: it was placed at the `- plugin:` line).
    func testAnUndeclaredOrMistypedOverrideIsPlacedAtItsOwnLine() throws {
        let undeclared = "criteria:\n  - plugin: rfm\n    params:\n      no_purchase_label: none\n      no_purchse_label: x\n"
        let e = try XCTUnwrap(try runError(definition(tail: undeclared)) as? DefinitionError, "not a definition error")
        XCTAssertEqual(e.line, 19, "\(e)")
        XCTAssertTrue(e.message.contains("no_purchse_label") && e.message.contains("did you mean 'no_purchase_label'?"), "\(e)")
        let mistyped = "criteria:\n  - plugin: rfm\n    params:\n      no_purchase_label: 3\n"
        let t = try XCTUnwrap(try runError(definition(tail: mistyped)) as? DefinitionError, "not a definition error")
        XCTAssertEqual(t.line, 18, "\(t)")
    }

    /// What the watchdog says about a stuck criterion's row: the customer and the population's data line.
    func testRowsAreDescribedByCustomerAndDataLine() throws {
        try write("data/gap.csv", "customer_id,country\nC1,DE\n\nC2,FR\n")
        let path = root.appendingPathComponent("data/gap.csv").path
        let table = try DataReader.read(path: path, options: ReadOptions(textColumns: ["customer_id"]))
        let ids = try XCTUnwrap(table["customer_id"])
        XCTAssertEqual(Runner.describeRow(ids, table.rowLines, "data/gap.csv")(1), " for customer C2 (data/gap.csv, line 4)")
        XCTAssertEqual(Runner.describeRow(ids, nil, "data/gap.csv")(0), " for customer C1 (row 1)")
    }

    func testDatasetNamesHaveTheirLineAndASuggestion() throws {
        let population = definition().replacingOccurrences(of: "population: customers", with: "population: customer")
        XCTAssertThrowsError(try Definition.parse(text: population, file: "d.yaml", defaultName: "d")) { error in
            let e = error as? DefinitionError
            XCTAssertEqual(e?.line, 1, "\(error)")
            XCTAssertTrue("\(error)".contains("did you mean 'customers'?"), "\(error)")
        }
        let tx = definition().replacingOccurrences(of: "transactions: tx", with: "transactions: txs")
        XCTAssertThrowsError(try Definition.parse(text: tx, file: "d.yaml", defaultName: "d")) { error in
            let e = error as? DefinitionError
            XCTAssertEqual(e?.line, 11, "\(error)")
            XCTAssertTrue("\(error)".contains("did you mean 'tx'?"), "\(error)")
        }
    }

    /// Editors leave hidden files next to the one being edited (Emacs: `.#name.yaml`, a dangling symlink); they are
    /// not definitions and must not stop a run.
    func testHiddenFilesInSegmentationsAreNotDefinitions() throws {
        try write("segmentations/a.yaml", definition())
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("segmentations/.#a.yaml").path,
                                                   withDestinationPath: "someone@host.4242:1700000000")
        try write("segmentations/.draft.yaml", "population: [\n")
        let ws = try Workspace.open(root.path, environment: ["SEG_BUNDLED_PLUGINS": ""])
        XCTAssertEqual(try ws.definitionFiles().map(\.lastPathComponent), ["a.yaml"])
        let defs = try ws.definitions(named: [])
        XCTAssertEqual(defs.map(\.name), ["a"])
        XCTAssertNoThrow(try Runner(workspace: ws).run(defs[0]))
    }

    func testABrokenDefinitionDoesNotBlockRunsOfTheOthers() throws {
        try write("segmentations/a.yaml", definition())
        try write("segmentations/b.yaml", definition())
        try write("segmentations/c.yaml", "population: [\n")
        let ws = try Workspace.open(root.path, environment: ["SEG_BUNDLED_PLUGINS": ""])
        XCTAssertEqual(try ws.definitions(named: ["a", "b"]).map(\.name), ["a", "b"])
        // All definitions: still refused, naming the broken file.
        XCTAssertThrowsError(try ws.definitions(named: [])) { e in XCTAssertTrue("\(e)".contains("c.yaml"), "\(e)") }
        // Asking for the broken one gives its own error; an unknown name mentions the file that could not be read.
        XCTAssertThrowsError(try ws.definitions(named: ["c"])) { e in XCTAssertTrue("\(e)".contains("c.yaml:"), "\(e)") }
        XCTAssertThrowsError(try ws.definitions(named: ["z"])) { e in
            XCTAssertTrue("\(e)".contains("has no definition named 'z'") && "\(e)".contains("c.yaml"), "\(e)")
        }
    }
}

/// YAML syntax errors in plain words, with file, line and column.
final class YAMLProblemTests: XCTestCase {
    private func problem(_ text: String) -> DefinitionError? {
        do { _ = try Definition.parse(text: text, file: "s/x.yaml", defaultName: "x") } catch let e as DefinitionError {
            return e
        } catch { XCTFail("\(error)") }
        return nil
    }

    func testTabIndentationSaysTabsCannotIndentYAML() throws {
        let e = try XCTUnwrap(problem("population: customers\ndatasets:\n\tcustomers: { file: a.csv }\n"))
        XCTAssertTrue(e.description.hasPrefix("s/x.yaml:3:1: "), e.description)
        XCTAssertTrue(e.message.contains("tabs cannot indent YAML"), e.description)
        XCTAssertFalse(e.message.contains("cannot start any token"), e.description)
    }

    func testCommonParserErrorsAreInPlainWords() throws {
        let colon = try XCTUnwrap(problem("description: a: b\n"))
        XCTAssertEqual(colon.line, 1)
        XCTAssertTrue(colon.message.contains("quote a value that contains ': '"), colon.description)
        let indent = try XCTUnwrap(problem("population: customers\ndatasets:\n  a: 1\n b: 2\n"))
        XCTAssertEqual(indent.line, 4, indent.description)
        XCTAssertTrue(indent.message.contains("not indented like"), indent.description)
        let open = try XCTUnwrap(problem("criteria: [rfm, lifecycle\n"))
        XCTAssertTrue(open.message.contains("[ … ] list is not closed"), open.description)
        let quote = try XCTUnwrap(problem("description: \"unterminated\n"))
        XCTAssertTrue(quote.message.contains("quoted string"), quote.description)
        for e in [colon, indent, open, quote] {
            XCTAssertNotNil(e.column, e.description)
            XCTAssertFalse(e.message.contains("did not find expected") || e.message.contains("mapping values are not allowed"), e.description)
        }
    }
}
