import XCTest
@testable import SegworkCore

/// `datasets.<name>.postgres` in a definition: what it accepts, and the mistakes it names with their line.
final class PostgresSpecTests: XCTestCase {
    private func parse(_ dataset: String) throws -> Definition {
        try Definition.parse(text: """
            population: customers
            id: customer_id
            datasets:
              customers:
            \(dataset)
            criteria: [{ plugin: x }]
            """, file: "d.yaml", defaultName: "d")
    }

    private func error(_ dataset: String) -> String {
        do { _ = try parse(dataset); return "no error" } catch { return "\(error)" }
    }

    func testTableOrQueryWithTheVariableName() throws {
        let t = try parse("    postgres: { url_env: SEG_PG_URL, table: crm.customers }")
        XCTAssertEqual(t.datasets[0].postgres, PostgresSpec(urlEnv: "SEG_PG_URL", table: "crm.customers"))
        XCTAssertEqual(t.datasets[0].postgres?.select, "SELECT * FROM crm.customers")
        let q = try parse("    postgres: { url_env: PG, query: \"select a from t where note = 'x;y';  \", push_down: false }")
        XCTAssertEqual(q.datasets[0].postgres?.select, "select a from t where note = 'x;y'")
        XCTAssertEqual(q.datasets[0].postgres?.pushDown, false)
        XCTAssertEqual(q.datasets[0].postgres?.shown, "query")
    }

    func testMistakesAreNamedAtTheirLine() {
        XCTAssertTrue(error("    postgres: { url_env: 'postgresql://u:pw@h/db', table: t }").contains("names the environment variable"))
        XCTAssertFalse(error("    postgres: { url_env: 'postgresql://u:pw@h/db', table: t }").contains("pw@h"), "the string is not echoed whole")
        XCTAssertTrue(error("    postgres: { table: t }").contains("needs url_env"))
        XCTAssertTrue(error("    postgres: { url_env: X, table: t, query: select 1 }").contains("exactly one of 'table'"))
        XCTAssertTrue(error("    postgres: { url_env: X }").contains("exactly one of 'table'"))
        XCTAssertTrue(error("    postgres: { url_env: X, table: 't; drop table x' }").contains("must be a table name"))
        XCTAssertTrue(error("    postgres: { url_env: X, tabel: t }").contains("unknown field 'tabel'"), error("    postgres: { url_env: X, tabel: t }"))
        XCTAssertTrue(error("    postgres: { url_env: X, table: t }\n    file: a.csv").contains("exactly one of 'file'"))
        XCTAssertTrue(error("    postgres: { url_env: X, table: t }\n    delimiter: ';'").contains("reads PostgreSQL"),
                      error("    postgres: { url_env: X, table: t }\n    delimiter: ';'"))
        XCTAssertTrue(error("    postgres: { url_env: X, query: '  ;' }").contains("is empty"))
        XCTAssertTrue(error("    postgres: { url_env: X, table: t }").hasPrefix("no error"))
        XCTAssertTrue(error("    postgres: { url_env: X, table: 't; drop table x' }").contains("d.yaml:5"), error("    postgres: { url_env: X, table: 't; drop table x' }"))
    }
}
