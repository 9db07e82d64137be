import Foundation
import LuaHost
import SegworkData

/// `seg plugins lint`: Segwork's own contract checks on each plugin, luacheck's Lua-level warnings, and (for a
/// workspace) the rule-set checks of every definition.
package struct PluginLint {
    /// Everything found, sorted by file and line.
    package var findings: [LintFinding] = []
    /// Plugins looked at.
    package var pluginCount = 0
    /// Definitions run for the rule-set checks.
    package var definitionCount = 0
    /// False when luacheck is not installed (its checks were skipped).
    package var luacheckRan = true

    /// Error-level findings.
    package var errors: Int { findings.filter { $0.severity == .error }.count }
    /// Warnings.
    package var warnings: Int { findings.filter { $0.severity == .warning }.count }

    /// Lints `names` in `scope` (when empty: the scope's own plugins — a workspace's own and listed libraries', or
    /// the library's; the bundled library only when it is the folder); with a workspace and no names, also runs the
    /// rule-set checks of its definitions.
    package init(_ scope: PluginScope, names: [String], useLuacheck: Bool = true) throws {
        let entries = try scope.entries(named: names)
        pluginCount = entries.count
        var luaFiles: [(path: String, shown: String)] = []
        for entry in entries {
            let shown = Self.shown(entry, scope)
            let (found, modules) = Self.check(entry, shown: shown, scope: scope)
            findings += found
            luaFiles.append((entry.file.path, shown))
            for m in modules where !luaFiles.contains(where: { $0.path == m.path }) {
                luaFiles.append((m.path, Self.shownModule(m, entry, scope)))
            }
        }
        if useLuacheck, let lua = try Luacheck.check(luaFiles) { findings += lua } else { luacheckRan = false }
        if let ws = scope.workspace, names.isEmpty {
            for def in try ws.definitions(named: []) {
                definitionCount += 1
                findings += Self.ruleSet(def, ws)
            }
        }
        findings.sort { ($0.file, $0.line ?? 0, $0.code) < ($1.file, $1.line ?? 0, $1.code) }
    }

    /// How findings name a plugin file: its path from the current folder (as `seg plugins list` shows it), so an
    /// editor or a terminal opens it as printed.
    static func shown(_ entry: PluginEntry, _ scope: PluginScope) -> String {
        entry.shown.hasPrefix("./") ? String(entry.shown.dropFirst(2)) : entry.shown
    }

    /// A module file as findings name it: like its library's plugins.
    static func shownModule(_ module: URL, _ entry: PluginEntry, _ scope: PluginScope) -> String {
        let root = entry.library.root.standardizedFileURL.path + "/", p = module.standardizedFileURL.path
        guard p.hasPrefix(root) else { return module.lastPathComponent }
        var e = entry
        e.path = String(p.dropFirst(root.count))
        e.file = module
        return shown(e, scope)
    }

    /// The contract checks of one plugin, and the modules it requires (for luacheck).
    static func check(_ entry: PluginEntry, shown: String, scope: PluginScope) -> ([LintFinding], [URL]) {
        let (name, file) = (entry.name, entry.file)
        var out: [LintFinding] = []
        func add(_ s: LintFinding.Severity, _ line: Int?, _ code: String, _ message: String) {
            out.append(LintFinding(s, file: shown, line: line, code: code, message))
        }
        guard let source = try? String(contentsOf: file, encoding: .utf8) else {
            add(.error, nil, "contract", "cannot be read as UTF-8 text"); return (out, [])
        }
        let scan = PluginSourceScan(source: source)
        let modulePaths = scope.catalog.modulePaths(for: entry)
        let modules = scan.requires.compactMap { name -> URL? in
            let rel = name.replacingOccurrences(of: ".", with: "/") + ".lua"
            return modulePaths.map { URL(fileURLWithPath: $0).appendingPathComponent(rel) }
                .first { FileManager.default.fileExists(atPath: $0.path) }
        }
        let manifest: PluginManifest
        do {
            manifest = try scope.load(entry).manifest
        } catch let e as PluginError {
            var line = e.line
            if line == nil, case .badManifest(let field, _) = e.reason { line = scan.fieldLines[field] }
            add(.error, line, "contract", "does not load: \(ExitStatus.message(for: e))")
            return (out, modules)
        } catch {
            add(.error, nil, "contract", "does not load: \(ExitStatus.message(for: error))"); return (out, modules)
        }
        if manifest.name != name {
            add(.error, scan.fieldLines["name"], "contract",
                "declares name '\(manifest.name)', but definitions find plugins by file name ('\(name)'); rename the file or the name so they match")
        }
        if manifest.kind != .source {
            var reported = Set<String>()
            for read in scan.rowReads where !manifest.uses.contains(read.field) && reported.insert(read.field).inserted {
                add(.error, read.line, "uses",
                    "reads row.\(read.field), but 'uses' does not list '\(read.field)', so it is always nil; add it to uses = { … }")
            }
            // A cleaner may return only the columns it uses: a write to another one fails every run.
            for write in scan.rowWrites where manifest.kind == .cleaner && !manifest.uses.contains(write.field)
                && reported.insert(write.field).inserted {
                add(.error, write.line, "uses",
                    "writes row.\(write.field), but 'uses' does not list '\(write.field)'; clean may only return the columns it uses (a cleaner cannot add columns), so every run would fail: add it to uses or drop the write")
            }
        }
        var mentions = scan.paramMentions
        for m in modules { if let text = try? String(contentsOf: m, encoding: .utf8) { mentions.formUnion(PluginSourceScan.mentions(inModule: text)) } }
        for param in manifest.params.keys.sorted() where !mentions.contains(param) {
            add(.warning, scan.paramLines[param] ?? scan.fieldLines["params"], "unused-param",
                "parameter '\(param)' is declared in params but never read (p.\(param)); remove it or use it")
        }
        // Labels: declared and returned literals that differ only in case or spacing; literals labels does not list.
        let labels = (manifest.labels ?? []).map { l in (l, scan.declaredLabels.first { $0.field == l }?.line ?? scan.fieldLines["labels"]) }
            + scan.returnedLiterals.map { ($0.field, Optional($0.line)) }
        var firstOf: [String: String] = [:]
        var reported = Set<String>()
        for (label, line) in labels {
            let key = label.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            if let first = firstOf[key], first != label, reported.insert(label).inserted {
                add(.warning, line, "label-case", "label '\(label)' differs from '\(first)' only in case or spacing; they make two segments")
            } else if firstOf[key] == nil { firstOf[key] = label }
        }
        if let declared = manifest.labels {
            for lit in scan.returnedLiterals where !declared.contains(lit.field) && reported.insert(lit.field).inserted {
                add(.warning, lit.line, "labels", "assign returns '\(lit.field)', which labels = { … } does not list; add it")
            }
        }
        return (out, modules)
    }

    /// The rule-set checks of one definition: a run that writes nothing.
    static func ruleSet(_ def: Definition, _ ws: Workspace) -> [LintFinding] {
        do {
            let result = try Runner(workspace: ws).run(def)
            return result.ruleSet.map {
                LintFinding(.warning, file: def.file, line: $0.line, code: "rule-set:\($0.kind.rawValue)", $0.message)
            }
        } catch {
            return [LintFinding(.error, file: def.file, line: nil, code: "definition",
                                "the rule-set checks could not run it: \(ExitStatus.message(for: error))")]
        }
    }

    /// The report: one line per finding, then a count.
    package func text() -> String {
        var lines = findings.map(\.text)
        let defs = definitionCount > 0 ? " and \(definitionCount) definition\(definitionCount == 1 ? "" : "s")" : ""
        lines.append("\(pluginCount) plugin\(pluginCount == 1 ? "" : "s")\(defs) checked: \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")")
        return TerminalText.escaped(lines.joined(separator: "\n"), limit: Int.max)
    }

    /// The findings as JSON.
    package func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(findings) + Data("\n".utf8)
    }
}
