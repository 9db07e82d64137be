import Foundation
import LuaHost
import XCTest
@testable import SegworkCore
@testable import SegworkData

final class ReaderSourceTests: XCTestCase {
    private let declared = [
        SourceColumn(name: "id", type: "integer"), SourceColumn(name: "spend", type: "double"),
        SourceColumn(name: "vip", type: "bool"), SourceColumn(name: "joined", type: "date"),
        SourceColumn(name: "code", type: "string"),
    ]

    func testTypesEachDeclaredColumn() throws {
        let out = SourceOutput(names: ["id", "spend", "vip", "joined", "code"], values: [
            [.int(1), .double(2.0), .string("3"), .null],
            [.double(1.5), .int(2), .string("2.25"), .string("")],
            [.bool(true), .string("false"), .null, .bool(false)],
            [.string("2024-01-31"), .string("2024-02-01T09:30:00Z"), .null, .string("")],
            [.string("A"), .int(7), .double(0.5), .bool(true)],
        ])
        let t = try DataReader.table(from: out, declared: declared, origin: "plugin legacy_pipe")
        XCTAssertEqual(t.columnNames, ["id", "spend", "vip", "joined", "code"])
        XCTAssertEqual(t.columns.map(\.type), [.integer, .double, .bool, .date, .string])
        XCTAssertEqual(texts(t, "id"), ["1", "2", "3", nil])
        XCTAssertEqual(texts(t, "spend"), ["1.5", "2", "2.25", nil], "an empty string is missing in a number column")
        XCTAssertEqual(texts(t, "vip"), ["true", "false", nil, "false"])
        XCTAssertEqual(texts(t, "joined"), ["2024-01-31", "2024-02-01", nil, nil])
        XCTAssertEqual(texts(t, "code"), ["A", "7", "0.5", "true"])
    }

    func testDeclaredButNeverEmittedIsMissing() throws {
        let out = SourceOutput(names: ["id"], values: [[.int(1), .int(2)]])
        let t = try DataReader.table(from: out, declared: [SourceColumn(name: "id", type: "integer"),
                                                           SourceColumn(name: "note", type: "string")],
                                     origin: "plugin p")
        XCTAssertEqual(t.rowCount, 2)
        XCTAssertEqual(texts(t, "note"), [nil, nil])
    }

    func testValuesThatDoNotFitNameRecordAndColumn() {
        func run(_ type: String, _ values: [PluginValue]) throws -> Table {
            try DataReader.table(from: SourceOutput(names: ["x"], values: [values]),
                                 declared: [SourceColumn(name: "x", type: type)], origin: "plugin legacy_pipe")
        }
        assertDataError(try run("integer", [.int(1), .int(2), .string("forty")]), line: nil, column: "x",
                        "plugin legacy_pipe, column 'x': record 3: 'forty' is not an integer")
        assertDataError(try run("integer", [.double(1.5)]), line: nil, "record 1: 1.5 is not an integer")
        assertDataError(try run("double", [.bool(true)]), line: nil, "record 1: true is not a number")
        assertDataError(try run("bool", [.int(1)]), line: nil, "1 is not true or false")
        assertDataError(try run("date", [.string("31/01/2024")]), line: nil, "'31/01/2024' is not a date")
        assertDataError(try run("date", [.int(19_000)]), line: nil, "is not a date")
        assertDataError(try run("string", [.array([.int(1)])]), line: nil, "an array is not text")
        assertDataError(try run("string", [.null, .object([:])]), line: nil, "record 2: a table")
        assertDataError(try run("decimal", []), line: nil, "'decimal' is not one of integer, double, bool, date, string")
    }

    func testOutputThatDoesNotMatchTheDeclaration() {
        let declared = [SourceColumn(name: "a", type: "integer")]
        assertDataError(try DataReader.table(from: SourceOutput(names: ["a", "b"], values: [[.int(1)], [.int(2)]]),
                                             declared: declared, origin: "plugin p"),
                        line: nil, column: "b", "does not declare it")
        assertDataError(try DataReader.table(from: SourceOutput(names: ["a"], values: [[.int(1)]]),
                                             declared: declared + declared, origin: "plugin p"),
                        line: nil, column: "a", "twice")
    }
}

final class ReaderFileTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("segwork-reader-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(at: dir)
    }

    private func write(_ name: String, _ text: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func testReadsByExtension() throws {
        let c = try DataReader.read(path: try write("a.CSV", "x,y\n1,2\n"))
        XCTAssertEqual(texts(c, "y"), ["2"])
        let t = try DataReader.read(path: try write("a.tsv", "x\ty\n1,5\t2\n"))
        XCTAssertEqual(texts(t, "x"), ["1,5"], "a .tsv file is split at tabs")
        let semi = try DataReader.read(path: try write("a.txt", "x;y\n1;2\n"), options: ReadOptions(delimiter: UInt8(ascii: ";")))
        XCTAssertEqual(texts(semi, "y"), ["2"])
        let j = try DataReader.read(path: try write("a.ndjson", "{\"x\": 1}\n"))
        XCTAssertEqual(texts(j, "x"), ["1"])
        let j2 = try DataReader.read(path: try write("b.jsonl", "{\"x\": \"s\"}\n"))
        XCTAssertEqual(texts(j2, "x"), ["s"])
    }

    func testFileErrors() throws {
        let xlsx = try write("a.xlsx", "x")
        assertDataError(try DataReader.read(path: xlsx), line: nil, "'.xlsx' is not supported", ".csv", ".jsonl")
        assertDataError(try DataReader.read(path: try write("noext", "x")), line: nil, "no extension")
        let missing = dir.appendingPathComponent("nope.csv").path
        assertDataError(try DataReader.read(path: missing), line: nil, missing, "cannot be read", "check the path")
        assertDataError(try DataReader.readCSV(path: dir.path), line: nil, "is a directory")
        let bad = try write("bad.csv", "a,b\n1,2\n3\n")
        assertDataError(try DataReader.read(path: bad), line: 3, "\(bad), line 3")
    }
}

/// A source plugin cannot put NaN or an infinity into a double column, neither as a number nor as text.
final class ReaderSourceFiniteTests: XCTestCase {
    func testNaNAndInfinityAreRefusedNamingTheRecord() throws {
        let declared = [SourceColumn(name: "x", type: "double")]
        for bad in [PluginValue.double(.nan), .double(.infinity), .string("inf"), .string("NaN"), .string("1e309")] {
            let output = SourceOutput(names: ["x"], values: [[.double(1.5), bad]])
            XCTAssertThrowsError(try DataReader.table(from: output, declared: declared, origin: "plugin 'p'")) { error in
                let text = "\(error)"
                XCTAssertTrue(text.hasPrefix("plugin 'p', column 'x': record 2:"), text)
            }
        }
        let ok = SourceOutput(names: ["x"], values: [[.double(1.5), .string("2.5"), .int(3)]])
        XCTAssertEqual(try DataReader.table(from: ok, declared: declared, origin: "plugin 'p'")["x"]?.double(at: 1), 2.5)
    }
}
