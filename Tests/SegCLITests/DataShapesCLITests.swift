import Foundation
import XCTest

/// Data as analysts have it, through `seg run` and `seg import`: a CDNOW-style log (whitespace, no header, YYYYMMDD
/// dates, zero-padded ids, no customers file), semicolons with decimal commas, pipes, tabs, header-less CSV.
final class DataShapesCLITests: XCTestCase {
    private var spendCriterion: String { DataShapes.spendCriterion }
    private func membership(_ ws: TempWorkspace) throws -> String { try DataShapes.membership(ws) }

    /// The done-when check of issue 10: workspaces/cdnow-style runs with no source plugin and no customers file and
    /// gives RFM segments, one customer per distinct id with the zero padding kept.
    func testCDNOWStyleWorkspaceRunsWithoutASourcePlugin() throws {
        let example = SegProcess.root.appendingPathComponent("workspaces/cdnow-style")
        let dataText = try String(contentsOf: example.appendingPathComponent("data/transactions.txt"), encoding: .utf8)
        var files = ["data/transactions.txt": dataText,
                     "segmentations/rfm.yaml": try String(contentsOf: example.appendingPathComponent("segmentations/rfm.yaml"), encoding: .utf8)]
        files["workspace.yaml"] = try String(contentsOf: example.appendingPathComponent("workspace.yaml"), encoding: .utf8)
            + "plugins: [\(SegProcess.root.appendingPathComponent("plugins").path)]\n"
        XCTAssertFalse(files["segmentations/rfm.yaml"]!.contains("source:"))
        let ws = try TempWorkspace(files: files)
        defer { ws.remove() }
        // What the file holds, read independently: distinct ids in order of first appearance.
        var ids: [String] = [], seen = Set<String>(), rows = 0
        for line in dataText.split(whereSeparator: \.isNewline) {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard !fields.isEmpty else { continue }
            XCTAssertEqual(fields.count, 4, String(line))
            rows += 1
            if seen.insert(String(fields[0])).inserted { ids.append(String(fields[0])) }
        }
        XCTAssertGreaterThan(rows, 2000)
        XCTAssertLessThan(Set(dataText.split(separator: "\n")).count, dataText.split(separator: "\n").count, "duplicate rows")

        let r = try SegProcess.run(["run", ws.root.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("as of 1998-06-30  \(ids.count) customers"), r.stdout)
        for segment in ["Champions", "Loyal", "Lost", "Hibernating"] { XCTAssertTrue(r.stdout.contains(segment), r.stdout) }
        let lines = try membership(ws).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "customer_id,segment")
        XCTAssertEqual(lines.dropFirst().map { String($0.split(separator: ",")[0]) }, ids, "first-appearance order, padding kept")
        XCTAssertTrue(ids.first!.hasPrefix("0000"))
        // Tied customers (one identical purchase each) share a segment.
        let segmentOf = Dictionary(uniqueKeysWithValues: lines.dropFirst().map { l -> (String, String) in
            let p = l.split(separator: ",", maxSplits: 1); return (String(p[0]), String(p[1]))
        })
        XCTAssertEqual(Set((1001...1010).map { segmentOf[String(format: "%05d", $0)] }).count, 1)
        let profiles = try XCTUnwrap(ws.exportedFiles().first { $0.hasSuffix("profiles.csv") })
        let csv = try String(contentsOf: ws.root.appendingPathComponent("exports/\(profiles)"), encoding: .utf8)
        XCTAssertTrue(csv.contains("(all),tenure_days,count,\(ids.count)"), "first_purchase feeds days_since")
    }

    /// Without `format: "%Y%m%d"` the dates read as integers: the run says what to declare.
    func testCompactDatesWithoutAFormatSayWhatToDeclare() throws {
        let ws = try TempWorkspace(files: [
            "data/tx.txt": "00001 19970101 1 11.77\n00002 19970102 1 12.00\n",
            "segmentations/d.yaml": """
            population: { from: tx, id: customer_id }
            datasets:
              tx: { file: data/tx.txt, delimiter: whitespace, header: false, columns: [customer_id, date, quantity, amount] }
            features:
              rfm: { transactions: tx, customer: customer_id, date: date, amount: amount }
            criteria: [rfm]
            """,
        ])
        defer { ws.remove() }
        let r = try SegProcess.run(["run", ws.root.path])
        XCTAssertEqual(r.status, 2, "the definition names the column: its line")
        XCTAssertTrue(r.stderr.contains("d.yaml:5: features.rfm.date names column 'date', which does not hold dates: it was read as integer ('19970101' on line 1 of "), r.stderr)
        XCTAssertTrue(r.stderr.contains("data/tx.txt); the values look like dates written YYYYMMDD: declare the column in the dataset's schema as date: { format: \"%Y%m%d\" }"), r.stderr)
    }

    /// The derived population's first and last purchase dates, with days_since on both.
    func testDerivedPopulationHasFirstAndLastPurchase() throws {
        let ws = try TempWorkspace(files: [
            "plugins/spend_band.lua": spendCriterion,
            "data/tx.txt": "007 20240105 10\n  7 20240101 1\n007 20240301 4   \n\n008 20240210 2\n",
            "segmentations/d.yaml": """
            population: { from: tx, id: cust, date: day }
            as_of: 2024-03-31
            datasets:
              tx:
                file: data/tx.txt
                delimiter: whitespace
                header: false
                columns: [cust, day, spend]
                schema: { day: { format: "%Y%m%d" } }
            features:
              days_since: { first_purchase: since_first, last_purchase: since_last }
            criteria: [spend_band]
            profile: { numeric: [since_first, since_last] }
            """,
        ])
        defer { ws.remove() }
        // spend is per customer here: the population has only id and dates, so the plugin's column is missing.
        var r = try SegProcess.run(["run", ws.root.path])
        XCTAssertEqual(r.status, 2, r.stdout + r.stderr)
        XCTAssertTrue(r.stderr.contains("plugin 'spend_band' uses column 'spend', which the customer table does not have"), r.stderr)
        XCTAssertTrue(r.stderr.contains("available: cust, first_purchase, last_purchase, since_first, since_last"), r.stderr)
        let def = ws.root.appendingPathComponent("segmentations/d.yaml")
        try String(contentsOf: def, encoding: .utf8).replacingOccurrences(of: "criteria: [spend_band]", with: """
            criteria:
              - plugin: spend_band
                columns: { spend: since_first }
            """).write(to: def, atomically: true, encoding: .utf8)
        r = try SegProcess.run(["run", ws.root.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        // 007: first 2024-01-05, last 2024-03-01 → 86 and 30 days; '7' is another customer; 008: 50 days.
        XCTAssertEqual(try membership(ws), "cust,segment\n007,big\n7,big\n008,big\n")
        let profiles = try XCTUnwrap(ws.exportedFiles().first { $0.hasSuffix("profiles.csv") })
        let csv = try String(contentsOf: ws.root.appendingPathComponent("exports/\(profiles)"), encoding: .utf8)
        XCTAssertTrue(csv.contains("(all),since_first,max,90"), csv)   // '7': 2024-01-01
        XCTAssertTrue(csv.contains("(all),since_last,min,30"), csv)
        XCTAssertTrue(csv.contains("(all),since_last,max,90"), csv)
    }

    /// A customers file joined onto a derived population adds its columns by id, padding kept ('7' is not '007').
    func testJoinOntoADerivedPopulation() throws {
        let ws = try TempWorkspace(files: [
            "plugins/spend_band.lua": spendCriterion,
            "data/tx.csv": "cust,day,amount\n007,2024-01-05,3\n7,2024-01-01,1\n008,2024-02-10,2\n",
            "data/people.csv": "cust,spend\n7,50\n007,1\n008,10\n",
            "segmentations/d.yaml": """
            population: { from: tx, id: cust }
            as_of: 2024-03-31
            datasets:
              tx: { file: data/tx.csv }
              people: { file: data/people.csv, join: cust }
            criteria: [spend_band]
            """,
        ])
        defer { ws.remove() }
        let r = try SegProcess.run(["run", ws.root.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try membership(ws), "cust,segment\n007,small\n7,big\n008,big\n")
    }

    /// The CDNOW file read without its layout: the error says which options read it.
    func testAFileReadWithoutItsLayoutSaysWhichOptionsReadIt() throws {
        let ws = try TempWorkspace(files: [
            "data/tx.txt": "00001 19970101  1  11.77\n00002 19970102  1  12.00\n",
            "segmentations/d.yaml": "population: { from: tx, id: customer_id }\nas_of: 1997-12-31\ndatasets:\n  tx: { file: data/tx.txt }\ncriteria: [rfm]\n",
        ])
        defer { ws.remove() }
        let r = try SegProcess.run(["run", ws.root.path])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("d.yaml:1: population.id names column 'customer_id', which dataset 'tx' does not have; columns: 00001 19970101  1  11.77. The file reads as one column, but its first line splits into 4 fields with delimiter: whitespace: give the dataset delimiter: whitespace, and as that line holds values, not names, header: false and columns: [...]"), r.stderr)
    }

    /// A misspelt population.id, population.date or population.from: the definition's line and a did-you-mean.
    func testDerivedPopulationMistakesNameTheirLine() throws {
        let cases: [(String, String)] = [
            ("{ from: tx, id: cst }", "d.yaml:1: population.id names column 'cst', which dataset 'tx' does not have; did you mean 'cust'? columns: cust, day, amount"),
            ("{ from: tx, id: cust, date: dy }", "d.yaml:1: population.date names column 'dy', which dataset 'tx' does not have; did you mean 'day'?"),
            ("{ from: txs, id: cust }", "d.yaml:1: population 'txs' is not one of the datasets; did you mean 'tx'?"),
            ("{ id: cust }", "d.yaml:1: 'population' needs 'from: <dataset>'"),
            ("{ from: tx, id: cust }\nid: customer", "d.yaml:1: population.id is 'cust' but id is 'customer'"),
        ]
        for (population, expected) in cases {
            let ws = try TempWorkspace(files: [
                "data/tx.csv": "cust,day,amount\n1,2024-01-05,3\n",
                "segmentations/d.yaml": "population: \(population)\nas_of: 2024-03-31\ndatasets:\n  tx: { file: data/tx.csv }\ncriteria: [rfm]\n",
            ])
            defer { ws.remove() }
            let r = try SegProcess.run(["run", ws.root.path])
            XCTAssertEqual(r.status, 2, population)
            XCTAssertTrue(r.stderr.contains(expected), "\(population): \(r.stderr)")
        }
    }

    /// Semicolons with decimal commas, pipes and tabs, each read through a definition.
    func testDelimitersAndDecimalCommaThroughARun() throws {
        let cases: [(String, String, String)] = [
            ("customers.csv", "decimal: \",\"", "customer_id;name;spend\n01;Ann;12,50\n02;Bo, Jr;9,99\n"),
            ("customers.txt", "delimiter: \"|\"", "customer_id|name|spend\n01|Ann|12.5\n02|Bo, Jr|9.99\n"),
            ("customers.txt", "delimiter: tab", "customer_id\tname\tspend\n01\tAnn\t12.5\n02\tBo, Jr\t9.99\n"),
            ("customers.dat", "delimiter: \"\\t\"", "customer_id\tname\tspend\n01\tAnn\t12.5\n02\tBo, Jr\t9.99\n"),
            ("customers.csv", "delimiter: \";\"\n    decimal: \",\"", "customer_id;name;spend\n01;Ann;\"12,5\"\n02;Bo, Jr;9,99\n"),
        ]
        for (file, options, data) in cases {
            let ws = try TempWorkspace(files: [
                "plugins/spend_band.lua": spendCriterion, "data/\(file)": data,
                "segmentations/d.yaml": """
                population: customers
                id: customer_id
                as_of: 2024-12-31
                datasets:
                  customers:
                    file: data/\(file)
                    \(options)
                criteria: [spend_band]
                profile: { numeric: [spend], categorical: [name] }
                """,
            ])
            defer { ws.remove() }
            let r = try SegProcess.run(["run", ws.root.path])
            XCTAssertEqual(r.status, 0, "\(options): \(r.stderr)")
            XCTAssertEqual(try membership(ws), "customer_id,segment\n01,big\n02,small\n", options)
            let profiles = try XCTUnwrap(ws.exportedFiles().first { $0.hasSuffix("profiles.csv") })
            let csv = try String(contentsOf: ws.root.appendingPathComponent("exports/\(profiles)"), encoding: .utf8)
            XCTAssertTrue(csv.contains("(all),spend,max,12.5"), "\(options): \(csv)")
            XCTAssertTrue(csv.contains("(all),name,Bo, Jr") || csv.contains("\"Bo, Jr\""), "\(options): \(csv)")
        }
    }

    func testHeaderlessCSVWithAWrongColumnCountNamesFileAndLine() throws {
        let ws = try TempWorkspace(files: [
            "plugins/spend_band.lua": spendCriterion,
            "data/customers.csv": "01,Ann,12.5\n02,Bo,9\n03,Cy\n",
            "segmentations/d.yaml": """
            population: customers
            id: customer_id
            as_of: 2024-12-31
            datasets:
              customers:
                file: data/customers.csv
                header: false
                columns: [customer_id, name, spend]
            criteria: [spend_band]
            """,
        ])
        defer { ws.remove() }
        let r = try SegProcess.run(["run", ws.root.path])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("data/customers.csv, line 3: the record has 2 fields but columns names 3 (customer_id, name, spend)"), r.stderr)
        XCTAssertTrue(ws.exportedFiles().isEmpty)
    }

    func testDefinitionMistakesInTheOptionsNameTheirLine() throws {
        let cases: [(String, String)] = [
            ("delimiter: \":\"", "d.yaml:7: 'datasets.customers.delimiter' must be one of ',' ';' '|', tab"),
            ("header: false", "d.yaml:6: 'datasets.customers' has header: false but no columns"),
            ("columns: [a, b]", "d.yaml:6: 'datasets.customers' has columns but the file has a header"),
            ("decimal: \";\"", "d.yaml:7: 'datasets.customers.decimal' must be \".\" (the default) or \",\""),
            ("delimters: \";\"", "d.yaml:7: unknown field 'delimters' in 'datasets.customers'; did you mean 'delimiter'?"),
        ]
        for (option, expected) in cases {
            let ws = try TempWorkspace(files: [
                "data/customers.csv": "customer_id\n1\n",
                "segmentations/d.yaml": """
                population: customers
                id: customer_id
                as_of: 2024-12-31
                datasets:
                  customers:
                    file: data/customers.csv
                    \(option)
                criteria: [rfm]
                """,
            ])
            defer { ws.remove() }
            let r = try SegProcess.run(["run", ws.root.path])
            XCTAssertEqual(r.status, 2, option)
            XCTAssertTrue(r.stderr.contains(expected), "\(option): \(r.stderr)")
        }
    }
}

/// What the data-shape tests share.
enum DataShapes {
    /// A criterion on a number column: `big` from 10 up.
    static let spendCriterion = """
    return { api = 1, kind = "criterion", name = "spend_band", version = "1", description = "d", uses = {"spend"},
      assign = function(row, p) if row.spend >= 10 then return "big" else return "small" end end }
    """

    static func membership(_ ws: TempWorkspace) throws -> String {
        let file = try XCTUnwrap(ws.exportedFiles().first { $0.hasSuffix("membership.csv") })
        return try String(contentsOf: ws.root.appendingPathComponent("exports").appendingPathComponent(file), encoding: .utf8)
    }
}
