import LuaHost
import XCTest
@testable import SegworkCore
@testable import SegworkData

/// PII tags in schemas, the refusal to profile them, workspace privacy settings, id hashing and small-group
/// suppression.
final class PrivacyTests: XCTestCase {
    private func definition(schema: String, profile: String = "") -> String {
        """
        population: customers
        id: customer_id
        datasets:
          customers: { file: data/c.csv, schema: \(schema) }
        criteria: [by_domain]
        \(profile)
        """
    }

    func testSchemaLongFormTagsPIIAndShortFormStillWorks() throws {
        let text = definition(schema: "{ age: integer, email: { type: string, pii: true }, phone: { pii: true }, city: { type: string } }")
        let d = try Definition.parse(text: text, file: "d.yaml", defaultName: "d")
        XCTAssertEqual(d.datasets[0].schema, ["age": .integer, "email": .string, "city": .string])
        XCTAssertEqual(d.datasets[0].pii, ["email", "phone"])
        XCTAssertEqual(d.piiColumns, ["email", "phone"])
        let plain = try Definition.parse(text: definition(schema: "{ age: integer }"), file: "d.yaml", defaultName: "d")
        XCTAssertEqual(plain.datasets[0].schema, ["age": .integer])
        XCTAssertEqual(plain.piiColumns, [])
    }

    func testSchemaLongFormRejectsUnknownKeysAndNonBooleans() {
        XCTAssertThrowsError(try Definition.parse(text: definition(schema: "{ email: { type: string, pi: true } }"), file: "d.yaml", defaultName: "d")) {
            XCTAssertTrue("\($0)".contains("pi"), "\($0)")
        }
        XCTAssertThrowsError(try Definition.parse(text: definition(schema: "{ email: { pii: maybe } }"), file: "d.yaml", defaultName: "d")) {
            XCTAssertTrue("\($0)".contains("datasets.customers.schema.email.pii' must be true or false"), "\($0)")
        }
        XCTAssertThrowsError(try Definition.parse(text: definition(schema: "{ email: { type: text } }"), file: "d.yaml", defaultName: "d")) {
            XCTAssertTrue("\($0)".contains("schema.email.type' must be one of"), "\($0)")
        }
    }

    func testProfilingAPIIColumnIsADefinitionErrorNamingIt() {
        let schema = "{ email: { type: string, pii: true }, income: { type: double, pii: true } }"
        for (profile, column, role) in [("profile: { categorical: [city, email] }", "email", "categorical"),
                                        ("profile: { numeric: [income] }", "income", "numeric"),
                                        ("profile: { monetary: income }", "income", "monetary")] {
            XCTAssertThrowsError(try Definition.parse(text: definition(schema: schema, profile: profile), file: "d.yaml", defaultName: "d")) { e in
                guard let e = e as? DefinitionError else { return XCTFail("\(e)") }
                XCTAssertEqual(e.file, "d.yaml")
                XCTAssertTrue(e.message.contains("profile.\(role) names column '\(column)'"), e.message)
                XCTAssertTrue(e.message.contains("pii: true"), e.message)
            }
        }
        // The id column may be personal; it is never profiled anyway.
        XCTAssertNoThrow(try Definition.parse(text: definition(schema: "{ customer_id: { pii: true } }", profile: "profile: { categorical: [city] }"),
                                              file: "d.yaml", defaultName: "d"))
    }

    private func workspace(_ yaml: String, environment: [String: String] = [:]) throws -> Workspace {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("privacy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        try yaml.write(to: dir.appendingPathComponent("workspace.yaml"), atomically: true, encoding: .utf8)
        return try Workspace.open(dir.path, environment: environment.merging(["SEG_BUNDLED_PLUGINS": ""]) { a, _ in a })
    }

    func testWorkspacePrivacySettings() throws {
        XCTAssertEqual(try workspace("name: t\n").privacy, PrivacySettings())
        XCTAssertEqual(try workspace("name: t\nprivacy: { suppress_small_groups: true }\n").privacy.minGroupSize, 5)
        XCTAssertEqual(try workspace("name: t\nprivacy: { min_group_size: 11 }\n").privacy.minGroupSize, 11)
        XCTAssertNil(try workspace("name: t\nprivacy: { suppress_small_groups: false, min_group_size: 3 }\n").privacy.minGroupSize)
        let ws = try workspace("name: t\nprivacy: { hash_ids: true, salt_env: MY_SALT }\n", environment: ["MY_SALT": "s3", "SEG_ID_SALT": "other"])
        XCTAssertTrue(ws.privacy.hashIDs)
        XCTAssertEqual(ws.privacy.salt, "s3")
        XCTAssertEqual(try workspace("name: t\n", environment: ["SEG_ID_SALT": "x"]).privacy.salt, "x")
        XCTAssertThrowsError(try workspace("name: t\nprivacy: { min_group_size: 0 }\n")) {
            XCTAssertTrue("\($0)".contains("at least 1"), "\($0)")
        }
        let unsalted = try workspace("name: t\nprivacy: { salt_env: NOPE_SALT }\n", environment: ["NOPE_SALT": ""])
        XCTAssertThrowsError(try unsalted.privacy.hasher(file: "w/workspace.yaml")) {
            XCTAssertTrue("\($0)".contains("NOPE_SALT"), "\($0)")
        }
    }

    func testHMACMatchesRFC4231AndHashesAreDeterministicPerSalt() {
        // RFC 4231 test case 2.
        XCTAssertEqual(IDHasher(salt: "Jefe").hmac(Array("what do ya want for nothing?".utf8)),
                       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        let a = IDHasher(salt: "salt-one"), a2 = IDHasher(salt: "salt-one"), b = IDHasher(salt: "salt-two")
        XCTAssertEqual(a.hash("c42"), a2.hash("c42"))
        XCTAssertNotEqual(a.hash("c42"), b.hash("c42"))
        XCTAssertNotEqual(a.hash("c42"), a.hash("c43"))
        XCTAssertEqual(a.hash("c42").count, IDHasher.hexLength)
        XCTAssertTrue(a.hash("c42").allSatisfy { "0123456789abcdef".contains($0) })
        let long = IDHasher(salt: String(repeating: "k", count: 200))
        XCTAssertEqual(long.hash("x"), IDHasher(salt: String(repeating: "k", count: 200)).hash("x"))
        XCTAssertNotEqual(long.hash("x"), IDHasher(salt: String(repeating: "k", count: 199)).hash("x"))
    }

    func testMembershipHashingRewritesOnlyTheIDField() {
        let h = IDHasher(salt: "s")
        let csv = "customer_id,segment,score\nc1,Gold,1.5\n\"a,\"\"b\",\"multi\nline\",\nc3,,\n"
        let out = String(decoding: h.hashMembership(Data(csv.utf8)), as: UTF8.self)
        XCTAssertEqual(out, "customer_id,segment,score\n\(h.hash("c1")),Gold,1.5\n\(h.hash("a,\"b")),\"multi\nline\",\n\(h.hash("c3")),,\n")
    }

    func testMoversAreHashedAndReorderedWithinEachPair() {
        let h = IDHasher(salt: "s")
        let movers = [Mover(customerID: "a", from: "X", to: "Y"), Mover(customerID: "b", from: "X", to: "Y"),
                      Mover(customerID: "c", from: "Y", to: "X")]
        let d = VersionDiff(formatVersion: 1, definition: "d",
                            from: VersionRef(id: "v1", runID: "r", asOf: "2024-01-01", createdAt: "", customers: 3),
                            to: VersionRef(id: "v2", runID: "r", asOf: "2024-01-01", createdAt: "", customers: 3),
                            labels: [], matrix: MigrationMatrix(rows: []), segments: [], entered: 0, left: 0, moved: 3, stayed: 0,
                            drift: 1, inputChanges: [], movers: movers)
        let out = h.hashMovers(d).movers!
        XCTAssertEqual(out.map(\.from), ["X", "X", "Y"])
        XCTAssertEqual(Set(out.prefix(2).map(\.customerID)), [h.hash("a"), h.hash("b")])
        XCTAssertLessThan(out[0].customerID, out[1].customerID)
        XCTAssertEqual(out[2].customerID, h.hash("c"))
    }

    private func profiles(k: Int) throws -> ProfileSet {
        let p = try Profiler.profiles(table: ProfileFixture.table(), assignment: ProfileFixture.assignment,
                                      options: ProfileFixture.options)
        return Suppression.apply(p, k: k)
    }

    func testAGroupOfKIsShownAndOfKMinusOneSuppressed() throws {
        // Gold has 3 customers.
        let shown = try XCTUnwrap(try profiles(k: 3).segments.first { $0.label == "Gold" })
        XCTAssertNil(shown.suppressed)
        XCTAssertEqual(shown.revenue, 70)
        XCTAssertEqual(shown.numeric("age")?.mean, 30)
        XCTAssertNil(shown.numeric("age")?.suppressed)
        let hidden = try XCTUnwrap(try profiles(k: 4).segments.first { $0.label == "Gold" })
        XCTAssertEqual(hidden.suppressed, true)
        XCTAssertEqual(hidden.count, 3, "segment sizes stay")
        XCTAssertNotNil(hidden.share)
        XCTAssertNil(hidden.revenue)
        XCTAssertNil(hidden.revenueShare)
        for s in hidden.numeric {
            XCTAssertEqual(s.suppressed, true)
            XCTAssertEqual([s.mean, s.median, s.p25, s.p75, s.min, s.max, s.index].compactMap { $0 }, [])
        }
        XCTAssertEqual(hidden.categorical("city")?.top, [])
        XCTAssertEqual(hidden.categorical("city")?.suppressed, true)
    }

    func testSmallStatisticsInsideLargeGroupsAreSuppressed() throws {
        let p = try profiles(k: 3)
        // Silver has 3 customers but only 2 spend values.
        let silver = try XCTUnwrap(p.segments.first { $0.label == "Silver" })
        XCTAssertNil(silver.suppressed)
        XCTAssertEqual(silver.numeric("spend")?.suppressed, true)
        XCTAssertNil(silver.numeric("spend")?.mean)
        XCTAssertEqual(silver.numeric("age")?.mean, 60)
        // The population's top cities: A (4 customers) stays at k = 4, B (3) goes.
        let population = try profiles(k: 4).population
        XCTAssertEqual(population.categorical("city")?.top.map(\.value), ["A"])
        XCTAssertEqual(population.categorical("city")?.suppressedValues, 1)
        XCTAssertEqual(try profiles(k: 3).population.categorical("city")?.top.map(\.value), ["A", "B"])
        XCTAssertNil(try profiles(k: 3).population.categorical("city")?.suppressedValues)
        // The population itself (10 customers) follows the same rule.
        XCTAssertNil(try profiles(k: 10).population.suppressed)
        XCTAssertEqual(try profiles(k: 11).population.suppressed, true)
    }

    func testSuppressedReportsSayItInEveryFormatAndUnsuppressedOnesAreUnchanged() throws {
        let run = RunInfo(definition: "d", runID: "r", asOf: "2024-01-01", segworkVersion: "t", inputs: [], plugins: [],
                          combine: "cross", customers: 10, privacy: PrivacyInfo(piiColumns: ["email"], hashedIDs: false, minGroupSize: 4))
        let report = ProfileReport(run: run, profiles: try profiles(k: 4))
        let json = String(decoding: Exporter.json(report), as: UTF8.self)
        XCTAssertTrue(json.contains("\"suppressed\" : true"))
        XCTAssertEqual(try JSONDecoder().decode(ProfileReport.self, from: Exporter.json(report)), report)
        let csv = String(decoding: Exporter.csv(report), as: UTF8.self)
        XCTAssertTrue(csv.contains("Gold,,suppressed,,true\n"), csv)
        XCTAssertTrue(csv.contains("(all),city,top_suppressed,1,\n"), csv)
        let md = String(decoding: Exporter.markdown(report), as: UTF8.self)
        XCTAssertTrue(md.contains("### Gold\n\n3 customers (30.0%); spend: - (- of revenue) (suppressed: fewer than 4 customers)\n"), md)
        XCTAssertTrue(md.contains("personal (pii) columns, never profiled: email"), md)
        // Without suppression or pii the report has no privacy keys at all (earlier exports keep their bytes).
        var plainRun = run
        plainRun.privacy = nil
        let plain = String(decoding: Exporter.json(ProfileReport(run: plainRun, profiles: try Profiler.profiles(
            table: ProfileFixture.table(), assignment: ProfileFixture.assignment, options: ProfileFixture.options))), as: UTF8.self)
        XCTAssertFalse(plain.contains("suppress") || plain.contains("privacy"), plain)
    }
}
