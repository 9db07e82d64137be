import Foundation
import LuaHost
import SegworkData

/// One module a plugin requires, as a run and the lock record it.
public struct ModuleInfo: Codable, Sendable, Equatable {
    /// The module name given to `require` (`segutil`, `acme.util`).
    public var name: String
    /// The library it was found in.
    public var library: String
    /// Its path inside that library (`lib/segutil.lua`).
    public var file: String
    /// SHA-256 of its bytes, lowercase hex.
    public var sha256: String

    /// Creates module information.
    public init(name: String, library: String, file: String, sha256: String) {
        self.name = name; self.library = library; self.file = file; self.sha256 = sha256
    }
}

/// Reading plugin files and finding the modules a plugin requires.
enum PluginFiles {
    /// The bytes of a plugin or module file; an I/O error names it as the user sees it.
    static func read(_ url: URL, shown: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw StoreError.io(operation: "read the plugin file", path: shown,
                                message: "it could not be read; check that it still exists and is readable")
        }
        return data
    }

    /// The modules a loaded plugin requires: those its load required (dynamic: `plugin.requiredModules`) and those
    /// its text, or its modules' texts, name in a literal `require "x"` / `require("x")` / `require 'x'` anywhere (a
    /// `require` inside `assign` runs later), each found as the sandbox finds it: in the plugin's library's `lib/`,
    /// then the bundled `lib/`. A literal that names no module file is left out (the plugin would fail when it runs).
    static func modules(of plugin: Plugin, entry: PluginEntry, catalog: PluginCatalog) throws -> [(info: ModuleInfo, bytes: Data)] {
        let folders = catalog.modulePaths(for: entry).map { URL(fileURLWithPath: $0) }
        var pending = Set(plugin.requiredModules)
        pending.formUnion(requireLiterals(in: try read(entry.file, shown: entry.shown)))
        var done: [String: (info: ModuleInfo, bytes: Data)] = [:]
        var missing = Set<String>()
        while let name = pending.popFirst() {
            guard done[name] == nil, !missing.contains(name) else { continue }
            guard let (folder, file) = locate(name, in: folders) else { missing.insert(name); continue }
            let library = catalog.libraries.first { $0.moduleFolder.standardizedFileURL.path == folder.standardizedFileURL.path }
            let path = "lib/" + name.replacingOccurrences(of: ".", with: "/") + ".lua"
            let shownModule = ((library?.shownRoot ?? folder.deletingLastPathComponent().path) as NSString).appendingPathComponent(path)
            let bytes = try read(file, shown: shownModule)
            if let line = Plugin.firstNonUTF8Line(bytes) {
                throw PluginError(plugin: entry.name, file: shownModule, line: line, reason: .syntax(
                    "(module '\(name)', required by '\(entry.name)') is not UTF-8 text (the first byte that is not is on this line); save the file as UTF-8: modules are stored and compared as UTF-8 text"))
            }
            done[name] = (ModuleInfo(name: name, library: library?.name ?? entry.library.name, file: path, sha256: SHA256.hex(bytes)), bytes)
            pending.formUnion(requireLiterals(in: bytes).subtracting(done.keys))
        }
        return done.keys.sorted().map { done[$0]! }
    }

    /// Where `require` finds module `name`: the first folder with `<name, dots as slashes>.lua`.
    static func locate(_ name: String, in folders: [URL]) -> (folder: URL, file: URL)? {
        let relative = name.replacingOccurrences(of: ".", with: "/") + ".lua"
        for folder in folders {
            let file = folder.appendingPathComponent(relative)
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: file.path, isDirectory: &isDir), !isDir.boolValue { return (folder, file) }
        }
        return nil
    }

    /// Module names in literal `require` calls of a Lua text — `require "x"`, `require('x')`, `require [[x]]` — (names
    /// the sandbox accepts: letters, digits, `_`, dots). A computed name (`require(prefix .. "x")`) cannot be seen
    /// here; a run records what it really required, and `PluginLock.drifts(recorded:)` compares that with the lock.
    static func requireLiterals(in data: Data) -> Set<String> {
        let text = String(decoding: data, as: UTF8.self)
        var names = Set<String>()
        var rest = text[...]
        while let r = rest.range(of: "require") {
            let before = rest[..<r.lowerBound].last
            var i = r.upperBound
            rest = rest[r.upperBound...]
            if let b = before, b.isLetter || b.isNumber || b == "_" || b == "." || b == ":" { continue }
            while i < text.endIndex, text[i] == " " || text[i] == "\t" || text[i] == "(" { i = text.index(after: i) }
            guard i < text.endIndex else { continue }
            let name: String
            if text[i] == "\"" || text[i] == "'" {
                let quote = text[i]
                let start = text.index(after: i)
                guard let end = text[start...].firstIndex(of: quote) else { continue }
                name = String(text[start..<end])
            } else if text[i] == "[" {
                // A long string: [[name]], [=[name]=], …
                var j = text.index(after: i), level = 0
                while j < text.endIndex, text[j] == "=" { level += 1; j = text.index(after: j) }
                guard j < text.endIndex, text[j] == "[" else { continue }
                let start = text.index(after: j)
                guard let end = text[start...].range(of: "]" + String(repeating: "=", count: level) + "]") else { continue }
                name = String(text[start..<end.lowerBound])
            } else {
                continue
            }
            if !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ".") }) {
                names.insert(name)
            }
        }
        return names
    }
}
