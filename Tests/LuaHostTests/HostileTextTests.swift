import Foundation
import XCTest
@testable import LuaHost

/// Text a hostile plugin sends to the terminal (error messages, `seg.log`/`print`) and the labels it returns:
/// escaped, cut, prefixed, normalised and bounded at the host (issue 8, "Hardening").
final class HostileTextTests: XCTestCase {
    var folder: PluginFolder!
    override func setUpWithError() throws { folder = try PluginFolder() }
    override func tearDown() { folder = nil }

    /// Lua text with escape sequences, a right-to-left override, NUL, CR, BEL and CI workflow commands.
    static let hostile = #""\27[31mred\27]0;title\7\r\0 \226\128\174gnp.exe\n::error::fake annotation\n  ::warning::x ##vso[task.setvariable]""#

    /// No raw control character (other than the line feed) and no bidi override; no line starting with `::`.
    private func assertPrintable(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        for s in text.unicodeScalars where s != "\n" {
            XCTAssertFalse(TerminalText.isControl(s.value), "raw U+\(String(s.value, radix: 16)) in \(text.debugDescription)",
                           file: file, line: line)
        }
        for l in text.split(separator: "\n") {
            XCTAssertFalse(l.drop { $0 == " " }.hasPrefix("::"), "line starts a CI command: \(l)", file: file, line: line)
        }
        XCTAssertFalse(text.contains("##vso["), file: file, line: line)
    }

    func testErrorTextIsEscapedPrefixedPerLineAndCut() throws {
        let plugin = try folder.load("evil.lua", criterion("evil", body: """
        if row.x == 2 then error(\(Self.hostile) .. string.rep("A", 100000), 0) end
        return "ok"
        """))
        let error = try XCTUnwrap(assignError(plugin, columns: [intColumn([1, 2])], rows: 2))
        let text = error.description
        assertPrintable(text)
        XCTAssertTrue(text.hasPrefix("plugin 'evil' (\(plugin.path)"), text)
        XCTAssertTrue(text.contains("): \\u{1B}[31mred\\u{1B}]0;title\\u{7}\\u{D}\\u{0} \\u{202E}gnp.exe"), text)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.count, 3, text)
        guard lines.count == 3 else { return }
        XCTAssertEqual(lines[1], "[evil] \\u{3A}:error::fake annotation")
        XCTAssertTrue(lines[2].hasPrefix("[evil]   \\u{3A}:warning::x \\u{23}#vso[task.setvariable]AAA"), String(lines[2]))
        // 100 kB of plugin text is cut to the limit, saying how much was cut, and still ends with the row.
        XCTAssertLessThan(text.utf8.count, TerminalText.messageLimit + 300)
        XCTAssertTrue(text.contains(" more bytes cut) for row 2"), String(text.suffix(80)))
    }

    func testLogAndPrintAreEscapedCutAndEveryLinePrefixed() throws {
        final class Lines: @unchecked Sendable { var all: [(String, String)] = []; let lock = NSLock() }
        let seen = Lines()
        let env = PluginEnvironment(log: { plugin, message in seen.lock.lock(); seen.all.append((plugin, message)); seen.lock.unlock() })
        let plugin = try folder.load("talk.lua", criterion("talk", body: """
        seg.log(\(Self.hostile))
        print("bad byte \\255 and", string.rep("B", 50000))
        return "ok"
        """), environment: env)
        _ = try plugin.assign(columns: [intColumn([1])], rowCount: 1)
        XCTAssertEqual(seen.all.count, 2)
        for (name, message) in seen.all {
            XCTAssertEqual(name, "talk")
            assertPrintable(message)
            XCTAssertLessThan(message.utf8.count, TerminalText.messageLimit + 100)
        }
        XCTAssertTrue(seen.all[1].1.hasPrefix("bad byte \\xFF and BBB"), seen.all[1].1)
        XCTAssertTrue(seen.all[1].1.hasSuffix(" … (\("bad byte X and ".utf8.count + 50000 - TerminalText.messageLimit) more bytes cut)"), seen.all[1].1)
        // What the default log writes: `[talk] ` before every line, so no line can pass for the host's or CI's.
        let printed = TerminalText.pluginLines(seen.all[0].1, plugin: "talk")
        assertPrintable(printed)
        XCTAssertTrue(printed.split(separator: "\n").allSatisfy { $0.hasPrefix("[talk] ") }, printed)
    }

    /// GitHub's runner trims every Unicode white space character before it looks for `::`, so `::` after a
    /// no-break space, an ideographic space or a zero-width character is a command too, and is defused.
    func testWorkflowCommandsAfterUnicodeWhiteSpaceAreDefused() {
        for lead in ["\u{A0}", "\u{3000}", "\u{2003}", " \u{A0}\t", "\u{200B}", "\u{FEFF}"] {
            for text in [lead + "::error file=x.swift,line=1::Injected", "ok\n" + lead + "::add-mask::x"] {
                let shown = TerminalText.escaped(text)
                for line in shown.split(separator: "\n") {
                    let trimmed = line.drop { c in c.unicodeScalars.allSatisfy { $0.properties.isWhitespace || $0.properties.generalCategory == .format } }
                    XCTAssertFalse(trimmed.hasPrefix("::"), "\(Array(lead.unicodeScalars)): \(shown)")
                }
                XCTAssertFalse(TerminalText.cell(text).drop { $0.isWhitespace || $0 == "\u{200B}" || $0 == "\u{FEFF}" }.hasPrefix("::"), TerminalText.cell(text))
            }
        }
    }

    func testLabelsAreNFCSoBothFormsAreOneSegment() throws {
        let plugin = try folder.load("cafe.lua", criterion("cafe", body: """
        if row.x == 1 then return "caf\\u{E9}" elseif row.x == 2 then return "cafe\\u{301}" end
        return "plain"
        """))
        let result = try plugin.assign(columns: [intColumn([2, 3, 1, 2])], rowCount: 4)
        XCTAssertEqual(result.labels.map { Array($0.utf8) }, [Array("caf\u{E9}".utf8), Array("plain".utf8)])
        XCTAssertEqual(result.codes, [0, 1, 0, 0])
    }

    func testControlCharactersInLabelsAreRefusedWithTheRow() throws {
        for (lua, shown) in [("'A\\0B'", "U+0000"), ("'\\27[31mRed'", "U+001B"), ("'Gold\\r'", "U+000D"),
                             ("'x\\u{202E}y'", "U+202E"), ("'tab\\there'", "U+0009")] {
            let plugin = try folder.load("ctl.lua", criterion("ctl", body: "if row.x == 3 then return \(lua) end return 'ok'"))
            let error = try XCTUnwrap(assignError(plugin, columns: [intColumn([1, 3, 3])], rows: 3))
            XCTAssertEqual(error.row, 1, lua)
            guard case .badReturn(let field, let expected, let got) = error.reason else { return XCTFail("\(error.reason)") }
            XCTAssertEqual(field, "assign")
            XCTAssertTrue(expected.contains("without control characters") && got.contains(shown), "\(expected) / \(got)")
            XCTAssertTrue(error.description.hasPrefix("plugin 'ctl' (\(plugin.path)) returned a label"), error.description)
            assertPrintable(error.description)
        }
    }

    func testLongLabelsAreRefusedWithTheRow() throws {
        let plugin = try folder.load("long.lua", criterion("long", body: """
        if row.x == 2 then return string.rep("é", \(LabelRules.maxLength + 1)) end
        return string.rep("é", \(LabelRules.maxLength))
        """))
        let error = try XCTUnwrap(assignError(plugin, columns: [intColumn([1, 1, 2])], rows: 3))
        XCTAssertEqual(error.row, 2)
        XCTAssertEqual(error.reason, .badReturn(field: "assign", expected: "a label of at most 200 characters",
                                                got: "label of 201 characters (\"\(String(repeating: "é", count: 40))…\")"))
    }

    func testDistinctLabelsAreCappedByLimitsSegments() throws {
        let source = criterion("ids", body: "return 'customer ' .. row.x")
        let rows = 2000
        let values = (0..<Int64(rows)).map { $0 }
        let capped = try folder.load("ids.lua", source)
        let error = try XCTUnwrap(assignError(capped, columns: [intColumn(values)], rows: rows))
        XCTAssertEqual(error.reason, .tooManyLabels(limit: 1000, label: "customer 1000"))
        XCTAssertEqual(error.row, 1000)
        var named = error
        named.customerID = "C1001"
        XCTAssertTrue(named.description.hasPrefix("plugin 'ids' (\(capped.path)) gave more than 1000 distinct labels; "
            + "the next one, 'customer 1000', was given for customer C1001 (row 1001)."), named.description)
        XCTAssertTrue(named.description.hasSuffix("raise limits.segments in workspace.yaml"), named.description)
        // The limit is the workspace's to set.
        let raised = try folder.load("ids2.lua", source,
                                     environment: PluginEnvironment(limits: LuaLimits(segments: rows)))
        XCTAssertEqual(try raised.assign(columns: [intColumn(values)], rowCount: rows).labels.count, rows)
    }
}
