import Foundation
import XCTest
import LuaHost

/// cleaners/phone_e164.lua: the rules in its header, value by value.
final class PhoneE164PluginTests: XCTestCase {
    typealias F = PluginFixture

    /// Cleans `values` (nil = missing) and returns the phone column after (nil = missing, "DROPPED" = row dropped).
    private func clean(_ values: [String?], overrides: [String: PluginValue] = [:]) throws -> [String?] {
        let plugin = try F.load("cleaners/phone_e164.lua", overrides: overrides)
        try plugin.prepare(stats: [:])
        var dictionary: [String] = []
        let codes: [Int32] = values.map { v in
            guard let v else { return 0 }
            if let i = dictionary.firstIndex(of: v) { return Int32(i) }
            dictionary.append(v)
            return Int32(dictionary.count - 1)
        }
        let column = ColumnInput(name: "phone", values: .string(codes: codes, dictionary: dictionary),
                                 validity: F.validity(values))
        let out = try plugin.clean(columns: [column], rowCount: values.count)
        guard case .string(let outCodes, let outDictionary) = out.columns[0].values else {
            XCTFail("phone is not text"); return []
        }
        return values.indices.map { i in
            guard out.keep[i] else { return "DROPPED" }
            return out.columns[0].valid[i] ? outDictionary[Int(outCodes[i])] : nil
        }
    }

    func testFormatsBecomeE164() throws {
        XCTAssertEqual(try clean(["07700 900123", "+44 7700 900123", "0044 7700 900123", "(0)20-7946 0018",
                                  "7700.900.123", "+1 (202) 555-0123 ext. 45", "020 7946 0018 x12", nil]),
                       ["+447700900123", "+447700900123", "+447700900123", "+442079460018",
                        "+447700900123", "+12025550123", "+442079460018", nil])
    }

    func testInvalidValuesBecomeMissingOrAreDroppedOrKept() throws {
        let bad: [String?] = ["n/a", "12", "+0123456789", "07700 900123", "44+12345678"]
        XCTAssertEqual(try clean(bad), [nil, nil, nil, "+447700900123", nil])
        XCTAssertEqual(try clean(bad, overrides: ["invalid": .string("drop")]),
                       ["DROPPED", "DROPPED", "DROPPED", "+447700900123", "DROPPED"])
        XCTAssertEqual(try clean(bad, overrides: ["invalid": .string("keep")]),
                       ["n/a", "12", "+0123456789", "+447700900123", "44+12345678"])
    }

    func testNorthAmericanSettings() throws {
        let us: [String: PluginValue] = ["default_country": .string("1"), "trunk_prefix": .string(""),
                                         "international_prefix": .string("011")]
        XCTAssertEqual(try clean(["(202) 555-0123", "011 44 7700 900123", "+1 202 555 0123"], overrides: us),
                       ["+12025550123", "+447700900123", "+12025550123"])
    }

    func testPrepareRejectsBadParameters() throws {
        for (name, value) in [("default_country", PluginValue.string("044")), ("invalid", .string("ignore")),
                              ("min_digits", .double(2.5)), ("international_prefix", .string(""))] {
            let plugin = try F.load("cleaners/phone_e164.lua", overrides: [name: value])
            XCTAssertThrowsError(try plugin.prepare(stats: [:]), name) { error in
                XCTAssertTrue("\(error)".contains("phone_e164: \(name)"), "\(error)")
            }
        }
    }
}

/// The extension is cut by one scan from the end of the value: long runs of white space take linear time (the
/// pattern it replaces was retried at every position and tripped the watchdog at 40,000 spaces).
final class PhoneE164LinearTimeTests: XCTestCase {
    func testHundredThousandSpacesFinishWithinTheNormalBudget() throws {
        let plugin = try PluginFixture.load("cleaners/phone_e164.lua")
        try plugin.prepare(stats: [:])
        let spaces = String(repeating: " ", count: 100_000)
        let values = ["07700 900123" + spaces + "x", spaces + "x" + spaces + "12",
                      "020 7946 0018" + spaces + "ext." + spaces + "12" + spaces, spaces + "x", "x12", "0800 EXT 5"]
        let column = ColumnInput(name: "phone", values: .string(codes: (0..<Int32(values.count)).map { $0 }, dictionary: values),
                                 validity: nil)
        // Within the default limits (100 million instructions, a 2 s watchdog per call): the old pattern tripped them.
        let out = try plugin.clean(columns: [column], rowCount: values.count)
        guard case .string(let codes, let dictionary) = out.columns[0].values else { return XCTFail("phone is not text") }
        let result = values.indices.map { out.columns[0].valid[$0] ? dictionary[Int(codes[$0])] : nil }
        XCTAssertEqual(result, [nil, nil, "+442079460018", nil, nil, nil])
    }

    func testExtensionsAreCutAsBefore() throws {
        let plugin = try PluginFixture.load("cleaners/phone_e164.lua")
        try plugin.prepare(stats: [:])
        let values = ["020 7946 0018 x12", "020 7946 0018ext.12", "020 7946 0018 EXT 12 ", "020 7946 0018 e x12",
                      "020 7946 0018 t12", "020 7946 0018\tX\t9"]
        let column = ColumnInput(name: "phone", values: .string(codes: (0..<Int32(values.count)).map { $0 }, dictionary: values),
                                 validity: nil)
        let out = try plugin.clean(columns: [column], rowCount: values.count)
        guard case .string(let codes, let dictionary) = out.columns[0].values else { return XCTFail("phone is not text") }
        let result = values.indices.map { out.columns[0].valid[$0] ? dictionary[Int(codes[$0])] : nil }
        XCTAssertEqual(result, ["+442079460018", "+442079460018", "+442079460018", nil, nil, "+442079460018"])
    }
}
