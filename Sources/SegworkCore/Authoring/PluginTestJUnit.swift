import Foundation
import LuaHost
import SegworkData

/// JUnit XML for CI systems: one `<testsuite>` per plugin, one `<testcase>` per case, `<failure message=…>` with
/// the expected and actual values. A test file that does not load is a testcase named `(test file)` that failed; a
/// plugin without tests is a suite with a skipped testcase `(no tests)`, or a failed one with `requireTests`.
package enum PluginTestJUnit {
    /// The XML document for `suites`.
    package static func xml(_ suites: [PluginTestSuite], requireTests: Bool) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let total = suites.reduce(0) { $0 + $1.cases.count + ($1.error == nil ? 0 : 1) + ($1.hasTests ? 0 : 1) }
        let failures = suites.reduce(0) { $0 + $1.failed + (!$1.hasTests && requireTests ? 1 : 0) }
        out += "<testsuites name=\"seg plugins test\" tests=\"\(total)\" failures=\"\(failures)\">\n"
        for s in suites {
            let tests = s.cases.count + (s.error == nil ? 0 : 1) + (s.hasTests ? 0 : 1)
            let failed = s.failed + (!s.hasTests && requireTests ? 1 : 0)
            out += "  <testsuite name=\"\(attr(s.plugin))\" file=\"\(attr(s.file))\" tests=\"\(tests)\" failures=\"\(failed)\">\n"
            if !s.hasTests {
                out += "    <testcase classname=\"\(attr(s.plugin))\" name=\"(no tests)\">\n"
                out += requireTests
                    ? "      <failure message=\"no tests: \(attr(s.file))\">no test file \(text(s.testFile))</failure>\n"
                    : "      <skipped message=\"no tests: \(attr(s.file))\"/>\n"
                out += "    </testcase>\n"
            }
            if let error = s.error {
                out += "    <testcase classname=\"\(attr(s.plugin))\" name=\"(test file)\">\n"
                out += "      <failure message=\"\(attr(error))\">\(text(error))</failure>\n    </testcase>\n"
            }
            for c in s.cases {
                out += "    <testcase classname=\"\(attr(s.plugin))\" name=\"\(attr(c.name))\""
                guard let f = c.failure else { out += "/>\n"; continue }
                let message = "expected \(f.expected), got \(f.actual)"
                out += ">\n      <failure message=\"\(attr(message))\">expected: \(text(f.expected))\nactual: \(text(f.actual))</failure>\n"
                out += "    </testcase>\n"
            }
            out += "  </testsuite>\n"
        }
        return out + "</testsuites>\n"
    }

    /// Writes the XML to `url` atomically (a temporary file beside it, then a rename): a CI job never reads half a file.
    package static func write(_ suites: [PluginTestSuite], requireTests: Bool, to url: URL) throws {
        let shown = Workspace.display(url)
        var isDirectory: ObjCBool = false
        if url.lastPathComponent.isEmpty || (FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue) {
            throw AuthoringError("--junit \(shown): is a folder; give the report's file name, e.g. \(shown)/plugin-tests.xml")
        }
        if url.pathExtension == "lua" {
            throw AuthoringError("--junit \(shown): a Lua file would be overwritten; give the report an .xml name")
        }
        do {
            try AtomicWriter.replaceFile(Data(xml(suites, requireTests: requireTests).utf8), at: url)
        } catch {
            throw AuthoringError("--junit \(shown): the report could not be written (\(String(cString: strerror(errno)))); check that its folder exists and is writable", status: .runFailed)
        }
    }

    /// Text for XML: markup characters escaped, control characters (which XML 1.0 cannot hold) as `\u{…}`.
    static func text(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\n", "\t": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// Text for an attribute value in double quotes (line breaks kept as character references).
    static func attr(_ s: String) -> String {
        text(s).replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "\n", with: "&#10;")
            .replacingOccurrences(of: "\t", with: "&#9;")
    }
}
