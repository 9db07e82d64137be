import Foundation
import LuaHost

/// The text `seg plugins test` prints: a line per case, expected and actual under a failure, a closing count.
package enum PluginTestOutput {
    /// The lines for one plugin: `PASS plugin › case`, `FAIL plugin › case` with `expected:` / `actual:` lines,
    /// `ERROR plugin › message` for a test file that does not load, `no tests: file` for a plugin without tests.
    /// Everything from a plugin or a test file is escaped for the terminal.
    package static func lines(_ s: PluginTestSuite, requireTests: Bool) -> [String] {
        let name = TerminalText.cell(s.plugin)
        if !s.hasTests {
            return [(requireTests ? "FAIL \(name) › " : "") + "no tests: \(TerminalText.cell(s.file))"
                + (requireTests ? " (add \(TerminalText.cell(s.testFile)))" : "")]
        }
        var out: [String] = []
        if let e = s.error { out.append("ERROR \(name) › \(TerminalText.escaped(e))") }
        for c in s.cases {
            guard let f = c.failure else { out.append("PASS \(name) › \(TerminalText.cell(c.name))"); continue }
            out.append("FAIL \(name) › \(TerminalText.cell(c.name))")
            out.append("    expected: \(TerminalText.escaped(f.expected, keepNewlines: false))")
            out.append("    actual:   \(TerminalText.escaped(f.actual, keepNewlines: false))")
        }
        return out
    }

    /// How many failed in all: failed cases, test files that do not load, and with `requireTests` plugins without tests.
    package static func failed(_ suites: [PluginTestSuite], requireTests: Bool) -> Int {
        suites.reduce(0) { $0 + $1.failed + (requireTests && !$1.hasTests ? 1 : 0) }
    }

    /// `N passed, M failed`, plus how many plugins have no tests when some have none.
    package static func summary(_ suites: [PluginTestSuite], requireTests: Bool) -> String {
        let passed = suites.reduce(0) { $0 + $1.passed }
        let untested = suites.filter { !$0.hasTests }.count
        return "\(passed) passed, \(failed(suites, requireTests: requireTests)) failed"
            + (untested == 0 ? "" : " (\(untested) plugin\(untested == 1 ? "" : "s") without tests)")
    }
}
