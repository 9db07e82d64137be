import Foundation
import LuaHost
import SegworkData

/// What `seg plugins info NAME` shows: the plugin's description, kind, version, library and file, its parameters
/// with their defaults and the comment written beside each, `uses`, what it outputs, the labels it declares, what it
/// shadows, and how many test cases its test file holds.
public struct PluginInfoPage: Sendable {
    /// The listing line (name, kind, version, library, path, shadows).
    public var listing: PluginListing
    /// The loaded manifest.
    public var manifest: PluginManifest
    /// Parameter name → the comment written beside its default in `params = { … }` (`-- this score and above`).
    public var paramDocs: [String: String]
    /// Test cases in `<name>.test.lua`, nil when there is no test file; the test file's error when it does not load.
    public var testCount: Int?
    /// Why the test file could not be read, when it could not.
    public var testError: String?

    /// The page for `name` in `scope`.
    public static func make(_ name: String, in scope: PluginScope) throws -> PluginInfoPage {
        let entry = try scope.entries(named: [name])[0]
        let plugin = try scope.load(entry)
        let text = (try? String(contentsOf: entry.file, encoding: .utf8)) ?? ""
        var page = PluginInfoPage(listing: PluginListing.listing(entry, in: scope), manifest: plugin.manifest,
                                  paramDocs: Self.paramComments(in: text, names: Set(plugin.manifest.params.keys)))
        let test = entry.file.deletingPathExtension().appendingPathExtension("test").appendingPathExtension("lua")
        if FileManager.default.fileExists(atPath: test.path) {
            do {
                let value = try PluginDataFile.load(path: test.path, environment: scope.environment(for: entry),
                                                    chunkName: String(entry.path.dropLast(4)) + ".test.lua")
                page.testCount = try PluginTestFileParser(file: test.lastPathComponent, kind: plugin.manifest.kind).cases(from: value).count
            } catch {
                page.testError = ExitStatus.message(for: error)
            }
        }
        return page
    }

    /// The text of the page.
    public var text: String {
        let m = manifest
        // Every value is one line, escaped: a description or a comment cannot add lines that look like the page's.
        func one(_ s: String) -> String { TerminalText.escaped(s, limit: Int.max, keepNewlines: false) }
        var lines = ["\(m.name) \(m.version) — \(one(m.description))",
                     "  kind:     \(m.kind.rawValue)",
                     "  library:  \(listing.library)\(listing.libraryVersion.map { " \($0)" } ?? "")",
                     "  file:     \(one(listing.path))"]
        if m.kind != .source { lines.append("  uses:     \(m.uses.isEmpty ? "(none)" : m.uses.joined(separator: ", "))") }
        switch m.kind {
        case .scorer: lines.append("  output:   column \(m.output ?? m.name) (a number per customer)")
        case .criterion: lines.append("  output:   a segment label per customer" + (m.labels.map { ": \(one($0.joined(separator: ", ")))" } ?? ""))
        case .cleaner: lines.append("  output:   the cleaned row (columns in uses), or nil to drop it")
        case .source: lines.append("  columns:  " + m.columns.map { "\($0.name) (\($0.type))" }.joined(separator: ", "))
        }
        if m.params.isEmpty {
            lines.append("  params:   (none)")
        } else {
            lines.append("  params:")
            let width = m.params.keys.map { one($0).count }.max() ?? 0
            for key in m.params.keys.sorted() {
                let name = one(key)
                let value = Self.lua(m.params[key]!)
                let doc = paramDocs[key].map { "  -- \(one($0))" } ?? ""
                lines.append("    \(name.padding(toLength: width, withPad: " ", startingAt: 0)) = \(one(value))\(doc)")
            }
        }
        if m.hasPrepare { lines.append("  prepare:  yes (runs once on the statistics of its uses columns)") }
        lines.append("  tests:    " + (testError.map { "the test file does not load: \($0)" }
                                       ?? testCount.map { "\($0) case\($0 == 1 ? "" : "s") in \(String(listing.path.dropLast(4))).test.lua" }
                                       ?? "none (add \(String(listing.file.dropLast(4))).test.lua; see docs/PLUGINS.md, Testing plugins)"))
        for s in listing.shadows { lines.append("  shadows:  \(s.library) \(s.version ?? "?") (\(one(s.path)))") }
        return lines.joined(separator: "\n")
    }

    /// A default as Lua would write it.
    static func lua(_ v: PluginValue) -> String {
        switch v {
        case .null: return "nil"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return formatDouble(d)
        case .string(let s): return "\"\(s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\""
        case .array(let a): return "{ " + a.map(lua).joined(separator: ", ") + " }"
        case .object(let o): return "{ " + o.keys.sorted().map { "\($0) = \(lua(o[$0]!))" }.joined(separator: ", ") + " }"
        }
    }

    /// The `-- comment` at the end of the line where each parameter's default is written (`name = value, -- doc`),
    /// or on the line just above it, inside the `params = { … }` of the plugin text. Parameters without one are left
    /// out. A plain text scan: a default spread over several lines takes the comment of its first line.
    static func paramComments(in text: String, names: Set<String>) -> [String: String] {
        guard let start = text.range(of: "params") else { return [:] }
        var out: [String: String] = [:]
        var above: String?
        for raw in text[start.lowerBound...].split(separator: "\n", omittingEmptySubsequences: false).prefix(200) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("--") { above = String(line.dropFirst(2)).trimmingCharacters(in: .whitespaces); continue }
            let name = String(line.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
            if !name.isEmpty, names.contains(name), line.dropFirst(name.count).trimmingCharacters(in: .whitespaces).hasPrefix("="), out[name] == nil {
                if let comment = line.range(of: "--") {
                    out[name] = line[comment.upperBound...].trimmingCharacters(in: .whitespaces)
                } else if let above, !above.isEmpty {
                    out[name] = above
                }
            }
            above = nil
            if out.count == names.count { break }
        }
        return out
    }
}
