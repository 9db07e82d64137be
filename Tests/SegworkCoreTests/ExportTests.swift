import XCTest
import LuaHost
@testable import SegworkCore
@testable import SegworkData

final class ExportTests: XCTestCase {
    static let run = RunInfo(
        definition: "value|tiers", runID: "20240301-0001", asOf: "2024-03-01", segworkVersion: "0.1.0",
        inputs: [InputInfo(name: "orders", file: "data/orders.csv", sha256: String(repeating: "ab", count: 32),
                           rows: 10)],
        plugins: [PluginInfo(name: "tiers", kind: "criterion", version: "1.0.0", file: "plugins/criteria/tiers.lua",
                             sha256: String(repeating: "cd", count: 32),
                             params: ["zeta": .int(3), "alpha": .string("x|y"), "list": .array([.bool(true), .null]),
                                      "ratio": .double(0.25)])],
        combine: "cross", customers: 10)

    private func report(assignment: SegmentAssignment = ProfileFixture.assignment) throws -> ProfileReport {
        let p = try Profiler.profiles(table: ProfileFixture.table(), assignment: assignment,
                                      options: ProfileFixture.options)
        return ProfileReport(run: Self.run, profiles: p)
    }

    private func text(_ d: Data) -> String { String(decoding: d, as: UTF8.self) }

    func testJSONRoundTripsAndHasStableShape() throws {
        let r = try report()
        let data = Exporter.json(r)
        let s = text(data)
        XCTAssertTrue(s.hasSuffix("}\n"))
        XCTAssertFalse(s.contains("NaN"))
        let back = try JSONDecoder().decode(ProfileReport.self, from: data)
        XCTAssertEqual(back, r)
        XCTAssertEqual(back.formatVersion, 2)
        XCTAssertEqual(back.segments.map(\.label), ["Gold", "Silver", "Bronze", "(unassigned)"])
        XCTAssertEqual(back.segments[0].numeric("spend")?.index, 84.8484848485)
        // Every key is written (nil as null); keys are sorted.
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(object.keys.sorted(), ["categoricalColumns", "formatVersion", "monetary", "numericColumns",
                                              "population", "run", "segments"])
        XCTAssertTrue(s.contains("\"formatVersion\" : 2"))
        XCTAssertLessThan(try XCTUnwrap(s.range(of: "\"categorical\"")).lowerBound,
                          try XCTUnwrap(s.range(of: "\"count\"")).lowerBound)
        XCTAssertTrue(s.contains("\"file\" : \"data/orders.csv\""), "slashes are not escaped")
    }

    func testJSONWritesNullForUndefinedStatistics() throws {
        let assignment = SegmentAssignment(codes: Array(repeating: 0, count: 10), labels: ["Everyone"])
        let r = try report(assignment: assignment)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Exporter.json(r)) as? [String: Any])
        let segments = try XCTUnwrap(object["segments"] as? [[String: Any]])
        let unassigned = try XCTUnwrap(segments.last)
        XCTAssertEqual(unassigned["label"] as? String, "(unassigned)")
        XCTAssertEqual(unassigned["unassigned"] as? Bool, true)
        let spend = try XCTUnwrap((unassigned["numeric"] as? [[String: Any]])?.first)
        for key in ["mean", "median", "p25", "p75", "min", "max", "index"] {
            XCTAssertTrue(spend[key] is NSNull, "\(key) should be null, is \(String(describing: spend[key]))")
        }
        let noMonetary = ProfileReport(run: Self.run, profiles: try Profiler.profiles(
            table: ProfileFixture.table(), assignment: assignment, options: ProfileOptions()))
        let o2 = try XCTUnwrap(JSONSerialization.jsonObject(with: Exporter.json(noMonetary)) as? [String: Any])
        XCTAssertTrue(o2["monetary"] is NSNull)
    }

    func testCSVIsTidy() throws {
        let r = try report()
        let lines = text(Exporter.csv(r)).split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.first, "segment,column,statistic,value,text")
        XCTAssertEqual(lines.last, "", "ends with a newline")
        // 5 groups × (count, share, revenue, revenue_share + 2 numeric columns × 10)
        // + 5 × 3 categorical rows + 4 rows per top value (2 + 2 + 1 + 2 + 2 = 9 top values).
        XCTAssertEqual(lines.count - 2, 5 * (4 + 20) + 5 * 3 + 4 * 9)
        let rows = Set(lines.map(String.init))
        for expected in ["(all),,count,10,", "(all),spend,revenue,220,", "Gold,,share,0.3,",
                         "Gold,spend,median,20,", "Gold,spend,index,84.8484848485,", "Gold,spend,sd,15.2752523165,",
                         "Gold,spend,revenue_share,0.318181818182,", "Silver,spend,missing,1,",
                         "Silver,city,top1,,B", "Silver,city,top1_lift,2.22222222222,",
                         "Bronze,city,top2,,C", "Bronze,city,top2_count,1,", "(unassigned),age,p25,47.5,",
                         "(unassigned),,count,2,"] {
            XCTAssertTrue(rows.contains(expected), "missing row \(expected)")
        }
        XCTAssertFalse(rows.contains("Silver,city,top2,,"), "no rows for ranks a group does not have")
        XCTAssertEqual(lines[1], "(all),,count,10,", "population first")
        XCTAssertEqual(lines[lines.count - 2], "(unassigned),city,top2_lift,2.5,", "unassigned last")
    }

    func testCSVQuotesLabelsAndWritesEmptyForUndefined() throws {
        let assignment = SegmentAssignment(codes: Array(repeating: 0, count: 10), labels: ["big, \"loyal\""])
        let s = text(Exporter.csv(try report(assignment: assignment)))
        XCTAssertTrue(s.contains("\n\"big, \"\"loyal\"\"\",,count,10,\n"))
        XCTAssertTrue(s.contains("\n(unassigned),spend,mean,,\n"))
        XCTAssertTrue(s.contains("\n(unassigned),city,missing_share,,\n"))
    }

    func testMarkdownReport() throws {
        let assignment = SegmentAssignment(codes: [1, 1, 1, 0, 0, 0, 2, 2, -1, -1], labels: ["Silver", "Gold|A", "Bronze"])
        let s = text(Exporter.markdown(try report(assignment: assignment)))
        XCTAssertTrue(s.hasPrefix("# Segment profile: value\\|tiers\n"))
        XCTAssertTrue(s.contains("- run: 20240301-0001\n"))
        XCTAssertTrue(s.contains("| segment | customers | share | revenue | revenue share | mean spend | mean age |\n"))
        XCTAssertTrue(s.contains("| (all) | 10 | 100.0% | 220.00 | 100.0% | 27.50 | 43.00 |\n"))
        XCTAssertTrue(s.contains("| Gold\\|A | 3 | 30.0% | 70.00 | 31.8% | 23.33 | 30.00 |\n"), s)
        XCTAssertTrue(s.contains("### Gold\\|A\n"))
        XCTAssertTrue(s.contains("| spend | 23.33 | 20.00 | 15.00 | 30.00 | 10.00 | 40.00 | 15.28 | 0 | 85 |\n"))
        XCTAssertTrue(s.contains("| B | 2 | 66.7% | 2.22 |\n"))
        XCTAssertTrue(s.contains("| (unassigned) | 2 | 20.0% | 30.00 | 13.6% | 30.00 | 50.00 |\n"))
        XCTAssertTrue(s.contains("\"alpha\": \"x\\|y\", \"list\": \\[true, null\\], \"ratio\": 0.25, \"zeta\": 3"), s)
        XCTAssertTrue(s.contains("| orders | data/orders.csv | 10 | "))
        XCTAssertTrue(s.hasSuffix("\n"))
    }

    func testMarkdownShowsDateStatisticsAsDates() throws {
        let p = try Profiler.profiles(table: ProfileFixture.table(), assignment: ProfileFixture.assignment,
                                      options: ProfileOptions(numeric: ["since"]))
        let s = text(Exporter.markdown(ProfileReport(run: Self.run, profiles: p)))
        // Gold: days 0, 10, 20 → mean 1970-01-11, p25 day 5.
        XCTAssertTrue(s.contains("| since | 1970-01-11 | 1970-01-11 | 1970-01-06 | 1970-01-16 | 1970-01-01 | 1970-01-21 | 10.00 | 0 | 22 |"), s)
        XCTAssertEqual(MarkdownText.fixed(-0.001, decimals: 2), "0.00")
        XCTAssertEqual(MarkdownText.percent(nil), "-")
    }

    func testSameInputsGiveIdenticalBytes() throws {
        // Same data with the labels listed in another order: the exports must not change at all.
        let reordered = SegmentAssignment(codes: [0, 0, 0, 2, 2, 2, 1, 1, -1, -1], labels: ["Gold", "Bronze", "Silver"])
        let a = try report(), b = try report(), c = try report(assignment: reordered)
        for export in [Exporter.json, Exporter.csv, Exporter.markdown] {
            XCTAssertEqual(export(a), export(b))
            XCTAssertEqual(export(a), export(c))
        }
    }

    func testMembershipCSV() throws {
        let ids = Column(name: "customer_id", storage: .string(codes: [0, 1, 2, 3],
                                                               dictionary: ["a,1", "b\"2", "c", "line\nbreak"]))
        let score = Column(name: "score", storage: .double([1.5, 0, 2, 0.1]), validity: Bitmap([true, false, true, true]))
        let rank = Column(name: "rank", storage: .integer([1, 2, 3, 4]))
        let assignment = SegmentAssignment(codes: [0, -1, 1, 1], labels: ["X", "Y, z"])
        let s = text(Exporter.membership(ids: ids, assignment: assignment, scores: [score, rank]))
        XCTAssertEqual(s, """
            customer_id,segment,score,rank
            "a,1",X,1.5,1
            "b""2",,,2
            c,"Y, z",2,3
            "line
            break","Y, z",0.1,4

            """)
        let plain = Exporter.membership(ids: Column(name: "id", storage: .integer([7])),
                                        assignment: SegmentAssignment(codes: [-1], labels: []), scores: [])
        XCTAssertEqual(text(plain), "id,segment\n7,\n")
    }
}
