import Foundation
import XCTest

/// Errors of `seg run` and `seg import` that lead the analyst to the fix (QA M1, M3, M4, M6, L2, L10), run as a user
/// runs them.
final class ReadHintCLITests: XCTestCase {
    private func run(_ files: [String: String], _ args: [String] = []) throws -> (status: Int32, stderr: String) {
        let ws = try TempWorkspace(files: files)
        defer { ws.remove() }
        let r = try SegProcess.run(["run", "."] + args, cwd: ws.root)
        return (r.status, r.stderr)
    }

    private func rfm(_ dataset: String, population: String = "population: { from: tx, id: customer_id }") -> String {
        "\(population)\ndatasets:\n  tx: \(dataset)\nfeatures:\n  rfm: { transactions: tx, customer: customer_id, date: order_date, amount: amount }\ncriteria: [rfm]\n"
    }

    /// M1: the thousands separator is named with its line and value, whether the column is inferred or declared.
    func testThousandsSeparatorNamesItsLineAndValue() throws {
        let data = "customer_id;order_date;amount\n002;2024-01-01;12,5\n001;2024-01-01;1.234,50\n"
        var r = try run(["data/tx.csv": data, "segmentations/d.yaml": rfm("{ file: data/tx.csv, decimal: \",\" }")])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("data/tx.csv, line 3, column 'amount': column 'amount' must be numeric but was read as string: '1.234,50' (record 2) is not a number; thousands separators are not supported: remove them (write 1234,50)"), r.stderr)
        r = try run(["data/tx.csv": data,
                     "segmentations/d.yaml": rfm("{ file: data/tx.csv, decimal: \",\", schema: { amount: double } }")])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("data/tx.csv, line 3, column 'amount': '1.234,50' is not a number; thousands separators are not supported: remove them (write 1234,50)"), r.stderr)
        XCTAssertFalse(r.stderr.contains("as string"), r.stderr)
    }

    /// M4: decimal commas read without `decimal: ","` say so, inferred or declared (no advice that loops).
    func testForgottenDecimalCommaSaysToAddIt() throws {
        let data = "customer_id;order_date;amount\n001;2024-01-05;-12,50\n002;2024-01-06;11,50\n"
        for dataset in ["{ file: data/eu.csv, delimiter: \";\" }", "{ file: data/eu.csv, delimiter: \";\", schema: { amount: double } }"] {
            let r = try run(["data/eu.csv": data, "segmentations/d.yaml": rfm(dataset)])
            XCTAssertEqual(r.status, 1)
            XCTAssertTrue(r.stderr.contains("data/eu.csv, line 2, column 'amount': "), r.stderr)
            XCTAssertTrue(r.stderr.contains("'-12,50'") && r.stderr.contains("the values look like decimal commas: add decimal: \",\" to the dataset"), r.stderr)
        }
    }

    /// M4: `header: false` on a file with a header names line 1 as a header.
    func testHeaderlessFileWithAHeaderSaysLineOneLooksLikeAHeader() throws {
        let r = try run(["data/p.csv": "customer_id,order_date,amount\n001,2024-01-01,5\n",
                         "segmentations/d.yaml": rfm("{ file: data/p.csv, header: false, columns: [customer_id, order_date, amount] }")])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("d.yaml:5: features.rfm.date names column 'order_date', which does not hold dates: it was read as string ('order_date' on line 1 of data/p.csv); line 1 looks like a header: remove header: false and columns:"), r.stderr)
    }

    /// M3: the wrong (or no) delimiter with `header: false` names the delimiter that splits line 1; a header line of
    /// values says the file has none.
    func testWrongDelimiterNamesTheOneThatSplitsTheLine() throws {
        let data = "00001 19970313 3 65.09\n00002 19970101 1 1.5\n"
        var r = try run(["data/cdn.txt": data, "segmentations/d.yaml": rfm("{ file: data/cdn.txt, header: false, columns: [customer_id, order_date, quantity, amount] }")])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("data/cdn.txt, line 1: the record has 1 field but columns names 4 (customer_id, order_date, quantity, amount); the delimiter is probably wrong: line 1 splits into 4 fields with delimiter: whitespace; give the dataset delimiter: whitespace"), r.stderr)
        r = try run(["data/cdn.txt": data, "segmentations/d.yaml": rfm("{ file: data/cdn.txt, delimiter: whitespace }")])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("columns: 00001, 19970313, 3, 65.09. The file seems to have no header line"), r.stderr)
        XCTAssertTrue(r.stderr.contains("give the dataset header: false and name its columns with columns: [...]"), r.stderr)
    }

    /// L10: a date option naming a column that holds no dates is the definition's error at its line; the YYYYMMDD
    /// advice only for YYYYMMDD values.
    func testDateOptionsNamingANonDateColumnPointAtTheDefinition() throws {
        let data = "customer_id,order_date,amount\n001,2024-01-01,5\n"
        var r = try run(["data/p.csv": data, "segmentations/d.yaml":
            rfm("{ file: data/p.csv }", population: "population: { from: tx, id: customer_id, date: amount }")])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("d.yaml:1: population.date names column 'amount', which does not hold dates: it was read as integer ('5' on line 2 of data/p.csv); name the column that holds the dates"), r.stderr)
        XCTAssertFalse(r.stderr.contains("%Y%m%d"), r.stderr)
        r = try run(["data/p.csv": data, "segmentations/d.yaml":
            rfm("{ file: data/p.csv }").replacingOccurrences(of: "date: order_date, amount", with: "date: amount, amount")])
        XCTAssertTrue(r.stderr.contains("d.yaml:5: features.rfm.date names column 'amount', which does not hold dates"), r.stderr)
        r = try run(["data/p.csv": "customer_id,order_date,amount\n001,19970101,5\n", "segmentations/d.yaml":
            rfm("{ file: data/p.csv }", population: "population: { from: tx, id: customer_id, date: order_date }")])
        XCTAssertTrue(r.stderr.contains("d.yaml:1: population.date names column 'order_date', which does not hold dates: it was read as integer ('19970101' on line 2 of data/p.csv); the values look like dates written YYYYMMDD: declare the column in the dataset's schema as order_date: { format: \"%Y%m%d\" }"), r.stderr)
    }

    /// L2: a pipe export whose lines end with the delimiter runs; the empty last column is dropped.
    func testTrailingPipeRuns() throws {
        let r = try run(["data/tx.psv": "customer_id|order_date|amount|\n001|2024-05-01|10|\n002|2024-05-03|7|\n",
                         "segmentations/d.yaml": rfm("{ file: data/tx.psv, delimiter: \"|\" }")], ["--as-of", "2024-06-01"])
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    /// M6: `seg import` refuses a file that reads as one column when another delimiter splits its lines evenly, with
    /// the flags to use, as the run-time hint does; `--one-column` imports it as it is.
    func testImportRefusesAOneColumnFileThatSplitsOnAnotherDelimiter() throws {
        let ws = try TempWorkspace(files: ["in/tx.txt": "00001 19970313 3 65.09\n00002 19970101 1 1.5\n",
                                           "in/semi.csv": "customer_id;spend\n01;3\n", "in/names.csv": "name\nAnn\nBob\n"])
        defer { ws.remove() }
        let dir = ws.root.path
        var r = try SegProcess.run(["import", dir, "tx", "in/tx.txt"], cwd: ws.root)
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("in/tx.txt: every line is one field, but the first line splits into 4 fields with delimiter: whitespace; import it with --delimiter whitespace --no-header --columns column1,column2,column3,column4 (with your own names), or pass --one-column"), r.stderr)
        r = try SegProcess.run(["import", dir, "semi", "in/semi.csv"], cwd: ws.root)
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("splits into 2 fields with delimiter: ;; import it with --delimiter ';', or pass --one-column"), r.stderr)
        r = try SegProcess.run(["import", dir, "tx", "in/tx.txt", "--one-column"], cwd: ws.root)
        XCTAssertEqual(r.status, 0, r.stderr)
        r = try SegProcess.run(["import", dir, "names", "in/names.csv"], cwd: ws.root)
        XCTAssertEqual(r.status, 0, "a real one-column file imports: \(r.stderr)")
    }
}
