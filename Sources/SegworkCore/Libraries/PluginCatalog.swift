import Foundation
import LuaHost
import SegworkData

/// One plugin file of a library.
public struct PluginEntry: Sendable, Equatable {
    /// The plugin's name: its file's base name (the `name` field must match).
    public var name: String
    /// The file.
    public var file: URL
    /// The library it is in.
    public var library: PluginLibrary
    /// Its path inside the library, with `/` (`criteria/nps.lua`): what runs and the lock record.
    public var path: String
    /// How Lua names the file in messages, when not the usual (`PluginLoader.chunkName`): a stored version's plugin
    /// re-executed from a copy keeps the name it had.
    public var chunkName: String?

    /// How messages and listings show the file: `<library folder>/<path>`.
    public var shown: String { (library.shownRoot as NSString).appendingPathComponent(path) }
}

/// A plugin that hides another of the same name further down the precedence order.
public struct PluginShadow: Sendable, Equatable {
    /// The plugin that is used.
    public var winner: PluginEntry
    /// The plugin it hides.
    public var hidden: PluginEntry

    /// "plugin 'nps' in workspace plugins (plugins/nps.lua) shadows the one in bundled library segwork (…/nps.lua)".
    public var message: String {
        "plugin '\(winner.name)' of \(winner.library.name) (\(winner.shown)) shadows the one of \(hidden.library.name) (\(hidden.shown)); definitions that name no library get the first; write `library: \(hidden.library.name)` to use the other"
    }
}

/// The plugins a workspace (or a library on its own) can use: every `*.lua` file of its libraries, in precedence
/// order — the workspace's own folders, the libraries workspace.yaml lists, `SEG_PLUGIN_PATH`, the bundled library.
/// A name found in several libraries is taken from the first; the others are shadowed, and reported.
/// Not plugins: files under `lib/` (modules for `require`), `types/` (editor definitions), `tests/` and `fixtures/`,
/// hidden files, and tests (`*.test.lua`).
public struct PluginCatalog: Sendable {
    /// The libraries, in precedence order.
    public let libraries: [PluginLibrary]
    /// Name → every plugin of that name, in precedence order (the first is used unless a definition names a library).
    public private(set) var candidates: [String: [PluginEntry]] = [:]
    /// Names found more than once inside one library (e.g. `criteria/x.lua` and `scorers/x.lua`): ambiguous.
    public private(set) var ambiguous: [String: [URL]] = [:]

    /// Folders named like this are not scanned for plugins.
    package static let skippedFolders: Set<String> = ["lib", "types", "tests", "fixtures"]

    /// Scans the libraries.
    public init(libraries: [PluginLibrary]) {
        self.libraries = libraries
        for library in libraries {
            var here: [String: PluginEntry] = [:]
            for (file, path) in Self.pluginFiles(in: library.root) {
                let name = file.deletingPathExtension().lastPathComponent
                if let first = here[name] {
                    ambiguous[name, default: [first.file]].append(file)
                    continue
                }
                let entry = PluginEntry(name: name, file: file, library: library, path: path)
                here[name] = entry
                candidates[name, default: []].append(entry)
            }
        }
    }

    /// Sets each entry's chunk name to what `name` gives for it (nil: the usual).
    mutating func rename(_ name: (PluginEntry) -> String?) {
        for key in candidates.keys { candidates[key] = candidates[key]!.map { var e = $0; e.chunkName = name(e); return e } }
    }

    /// Plugin names, sorted.
    public var names: [String] { candidates.keys.sorted() }

    /// The plugin used for `name` when a definition names no library.
    public func entry(_ name: String) -> PluginEntry? { candidates[name]?.first }

    /// Every shadowing: for each name found in several libraries, the winner and each plugin it hides.
    public var shadows: [PluginShadow] {
        names.flatMap { name in
            let all = candidates[name]!
            return all.dropFirst().map { PluginShadow(winner: all[0], hidden: $0) }
        }
    }

    /// The bundled library, when there is one.
    public var bundled: PluginLibrary? { libraries.first(where: \.isBundled) }

    /// The folders `require` searches for a plugin of `entry`'s library: that library's `lib/`, then the bundled
    /// `lib/`. Never another library's: a plugin cannot depend on a module its own library does not ship.
    public func modulePaths(for entry: PluginEntry) -> [String] {
        var paths = [entry.library.moduleFolder.path]
        if let bundled, bundled.root != entry.library.root { paths.append(bundled.moduleFolder.path) }
        return paths
    }

    /// How `require`'s messages name each of `modulePaths(for:)`: the library's folder as the user sees it followed by
    /// `/lib`, or `bundled:lib` for Segwork's own library (an internal path).
    public func moduleLabels(for entry: PluginEntry) -> [String] {
        func label(_ l: PluginLibrary) -> String { l.isBundled ? "bundled:lib" : (l.shownRoot as NSString).appendingPathComponent("lib") }
        var labels = [label(entry.library)]
        if let bundled, bundled.root != entry.library.root { labels.append(label(bundled)) }
        return labels
    }

    /// The plugin a definition means by `name` and `pin` (used in `definition` at `line`), or a definition error
    /// that says what is available and where it was looked for. The pin's version is checked once the plugin is
    /// loaded (`PluginLoader.load`).
    public func resolve(_ name: String, pin: PluginPin = PluginPin(), usedIn definition: String, line: Int?) throws -> PluginEntry {
        if let library = pin.library {
            guard libraries.contains(where: { $0.name == library }) else {
                let known = libraries.map(\.name)
                let hint = closest(library, known).map { "did you mean '\($0)'? " } ?? ""
                throw DefinitionError(file: definition, line: pin.libraryLine ?? line,
                                      "plugin '\(name)' is asked for from library '\(library)', which this workspace does not use; \(hint)libraries: \(known.joined(separator: ", ")) (list a library under `libraries:` in workspace.yaml)")
            }
            if let twins = ambiguous[name], twins.contains(where: { f in candidates[name]?.contains { $0.file == f && $0.library.name == library } ?? false }) {
                throw ambiguity(name, twins, definition, line)
            }
            guard let entry = candidates[name]?.first(where: { $0.library.name == library }) else {
                let elsewhere = (candidates[name] ?? []).map { "\($0.library.name) (\($0.shown))" }
                throw DefinitionError(file: definition, line: pin.libraryLine ?? line,
                                      "library '\(library)' has no plugin '\(name)'" + (elsewhere.isEmpty ? "" : "; it is in \(elsewhere.joined(separator: ", "))"))
            }
            return entry
        }
        if let twins = ambiguous[name], let first = entry(name), twins.contains(first.file) {
            throw ambiguity(name, twins, definition, line)
        }
        if let first = entry(name) { return first }
        let hint = closest(name, names).map { "did you mean '\($0)'? " } ?? ""
        throw DefinitionError(file: definition, line: line,
                              "unknown plugin '\(name)'; \(hint)available: \(names.isEmpty ? "(none)" : names.map(TerminalText.cell).joined(separator: ", ")) (searched \(libraries.map(\.shownRoot).joined(separator: ", ")))")
    }

    private func ambiguity(_ name: String, _ twins: [URL], _ definition: String, _ line: Int?) -> DefinitionError {
        let shown = twins.map { file -> String in
            let path = file.standardizedFileURL.path
            guard let library = libraries.first(where: { path.hasPrefix($0.root.standardizedFileURL.path + "/") }) else { return Workspace.display(file) }
            return (library.shownRoot as NSString).appendingPathComponent(String(path.dropFirst(library.root.standardizedFileURL.path.count + 1)))
        }
        return DefinitionError(file: definition, line: line,
                               "plugin '\(name)' is ambiguous: \(shown.joined(separator: " and ")) are both in one library; rename or remove one")
    }

    /// `*.lua` plugin files under `root` with their paths inside it, sorted by path: in the folder itself and in its
    /// folders one level down (`criteria/x.lua`), not deeper, so a library's own tooling or a misconfigured path (a
    /// home folder in `SEG_PLUGIN_PATH`) is not read as plugins.
    static func pluginFiles(in root: URL) -> [(URL, String)] {
        let base = root.standardizedFileURL.path
        guard let e = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isDirectoryKey]) else { return [] }
        var out: [(URL, String)] = []
        for case let url as URL in e {
            let last = url.lastPathComponent
            if last.hasPrefix(".") || skippedFolders.contains(last) { e.skipDescendants(); continue }
            let p = url.standardizedFileURL.path
            let relative = p.hasPrefix(base + "/") ? String(p.dropFirst(base.count + 1)) : last
            if (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true {
                if relative.split(separator: "/").count >= 2 { e.skipDescendants() }
                continue
            }
            guard url.pathExtension == "lua", !last.hasSuffix(".test.lua") else { continue }
            out.append((url, relative))
        }
        return out.sorted { $0.1 < $1.1 }
    }
}
