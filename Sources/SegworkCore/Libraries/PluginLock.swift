import Foundation
import LuaHost
import SegworkData
import Yams

/// `plugins.lock`: for every plugin a workspace's definitions use, the library, version and path it comes from and
/// the SHA-256 of its file and of every module it requires. Written by `seg plugins lock`; `seg run`, `--verify` and
/// `seg check` compare the workspace against it (`PluginLock.check`). See docs/LIBRARIES.md.
///
/// The file is text that diffs well, sorted by plugin name then library, with paths inside libraries (never absolute
/// or machine-specific) and hashes of the files' bytes: the same bytes on any OS give the same lock, and writing it
/// again when nothing changed leaves the file untouched.
public struct PluginLock: Sendable, Equatable {
    /// One locked plugin.
    public struct Entry: Sendable, Equatable {
        /// Plugin name.
        public var name: String
        /// `criterion`, `scorer`, `source` or `cleaner`.
        public var kind: String
        /// Declared version.
        public var version: String
        /// The library's name.
        public var library: String
        /// Its path inside the library.
        public var path: String
        /// SHA-256 of the file's bytes.
        public var sha256: String
        /// The modules it requires, sorted by name.
        public var modules: [ModuleInfo]
    }

    /// The entries, sorted by name then library.
    public var entries: [Entry]

    /// The lock file's name, in the workspace folder.
    public static let fileName = "plugins.lock"
    /// The format's version (`lock_version:`).
    static let formatVersion = 1

    /// The lock as it should be now: every plugin any definition of `workspace` uses, resolved as a run resolves it
    /// (precedence, `library:`, version pins — a pin the plugin does not meet is the usual definition error).
    public static func current(_ workspace: Workspace, definitions: [Definition]? = nil) throws -> PluginLock {
        let catalog = workspace.catalog
        var found: [String: Entry] = [:]
        for def in try definitions ?? workspace.definitions(named: []) {
            for use in PluginUses.all(in: def) {
                let entry = try catalog.resolve(use.name, pin: use.pin, usedIn: def.file, line: use.line)
                let key = entry.library.name + "\u{0}" + entry.name
                if found[key] != nil { continue }
                let env = PluginEnvironment(limits: workspace.limits, fileRoot: workspace.root.path)
                let plugin = try PluginLoader.load(entry, catalog: catalog, expecting: use.kind, use: use.name, pin: use.pin,
                                                   params: use.params, definition: def, line: use.line, environment: env)
                var sources: [String: Data] = [:]
                let info = try PluginLoader.record(plugin, entry: entry, params: [:], catalog: catalog, sources: &sources)
                found[key] = Entry(name: entry.name, kind: use.kind.rawValue, version: plugin.manifest.version,
                                   library: entry.library.name, path: entry.path, sha256: info.sha256, modules: info.modules ?? [])
            }
        }
        return PluginLock(entries: found.values.sorted { ($0.name, $0.library) < ($1.name, $1.library) })
    }

    /// The file's text.
    public var text: String {
        var out = """
        # plugins.lock: the plugins this workspace's definitions use, with the library, version and path each comes
        # from and the SHA-256 of its file and of every module it requires. Written by `seg plugins lock`; commit it.
        # `seg run`, `seg run --verify` and `seg check` compare the workspace against it: under CI they refuse a
        # difference, locally they warn. Do not edit it by hand: run `seg plugins lock` again.
        lock_version: \(Self.formatVersion)
        plugins:

        """
        if entries.isEmpty { out = String(out.dropLast()) + " []\n" }
        for e in entries {
            out += "  - name: \(Self.quoted(e.name))\n    kind: \(e.kind)\n    library: \(Self.quoted(e.library))\n"
            out += "    version: \(Self.quoted(e.version))\n    path: \(Self.quoted(e.path))\n    sha256: \(e.sha256)\n"
            if !e.modules.isEmpty {
                out += "    modules:\n"
                for m in e.modules {
                    out += "      - name: \(Self.quoted(m.name))\n        library: \(Self.quoted(m.library))\n"
                    out += "        path: \(Self.quoted(m.file))\n        sha256: \(m.sha256)\n"
                }
            }
        }
        return out
    }

    /// A YAML double-quoted string (every value is quoted, so `1.10` stays text and nothing depends on YAML's
    /// guessing).
    static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where u.value < 0x20 || u.value == 0x7F: out += String(format: "\\x%02X", u.value)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    /// Writes the lock into `workspace` unless the file already holds exactly these bytes (then it is not touched:
    /// its time stays, and nothing shows as changed). Returns whether it wrote.
    @discardableResult
    public func write(to workspace: Workspace) throws -> Bool {
        if isWritten(in: workspace) { return false }
        let url = workspace.root.appendingPathComponent(Self.fileName)
        do { try AtomicWriter.replaceFile(Data(text.utf8), at: url) } catch {
            // The writer's own message names its temporary file; the user's file is the lock.
            throw StoreError.io(operation: "write the lock file", path: workspace.display(url),
                                message: FileManager.default.isWritableFile(atPath: workspace.root.path)
                                    ? "check that the disk has room and that \(Self.fileName) is not a folder"
                                    : "the workspace folder is not writable (permission denied); run it where you may write, or ask for write access")
        }
        return true
    }

    /// Whether the workspace's lock file holds exactly this lock: the same bytes, or the same but for CRLF line ends
    /// (a checkout with Git's `core.autocrlf`), which are not rewritten.
    public func isWritten(in workspace: Workspace) -> Bool {
        guard let data = FileManager.default.contents(atPath: workspace.root.appendingPathComponent(Self.fileName).path) else { return false }
        let expected = Data(text.utf8)
        if data == expected { return true }
        return Data(data.filter { $0 != 13 }) == expected && !data.isEmpty
    }

    /// The lock file of `workspace`, or nil when it has none. A file that does not parse is a definition error
    /// naming it and the line.
    public static func read(_ workspace: Workspace) throws -> PluginLock? {
        let url = workspace.root.appendingPathComponent(fileName)
        let shown = workspace.display(url)
        // Anything at that name is a lock: a folder, a dangling link or an unreadable file must not read as "no lock",
        // which would let CI run unlocked plugins.
        guard (try? FileManager.default.attributesOfItem(atPath: url.path)) != nil else { return nil }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue,
              let data = FileManager.default.contents(atPath: url.path) else {
            let what = !FileManager.default.fileExists(atPath: url.path) ? "is a symbolic link to nothing"
                : isDirectory.boolValue ? "is a folder" : "cannot be read (permission denied?)"
            throw DefinitionError(file: shown, "\(what); it must be the lock file `seg plugins lock` writes: remove it and run `seg plugins lock` again")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw DefinitionError(file: shown, "is not UTF-8 text; write it again with `seg plugins lock`") }
        let y = YAMLFields(file: shown)
        var lock = PluginLock(entries: [])
        let fields = try y.mapping(try y.root(text), "lock", known: ["lock_version", "plugins"])
        guard fields.contains(where: { $0.key == "lock_version" }) else {
            throw DefinitionError(file: shown, "has no lock_version; it is not a lock `seg plugins lock` wrote: run `seg plugins lock` again")
        }
        for (key, node) in fields {
            if key == "lock_version" {
                let v = try y.int(node, key)
                guard v == formatVersion else {
                    throw y.error(node, "lock_version \(v) is not one this Segwork (\(segworkVersion)) reads (it reads \(formatVersion)); upgrade Segwork, or write the lock again with `seg plugins lock`")
                }
                continue
            }
            for (i, item) in try y.sequence(node, "plugins").enumerated() {
                let p = "plugins[\(i)]"
                var f: [String: String] = [:]
                var modules: [ModuleInfo] = []
                for (k, v) in try y.mapping(item, p, known: ["name", "kind", "library", "version", "path", "sha256", "modules"]) {
                    if k != "modules" { f[k] = try y.string(v, "\(p).\(k)"); continue }
                    for (j, m) in try y.sequence(v, "\(p).modules").enumerated() {
                        var g: [String: String] = [:]
                        for (mk, mv) in try y.mapping(m, "\(p).modules[\(j)]", known: ["name", "library", "path", "sha256"]) {
                            g[mk] = try y.string(mv, "\(p).modules[\(j)].\(mk)")
                        }
                        guard let n = g["name"], let l = g["library"], let pa = g["path"], let s = g["sha256"] else {
                            throw y.error(m, "'\(p).modules[\(j)]' needs name, library, path and sha256; write the lock again with `seg plugins lock`")
                        }
                        modules.append(ModuleInfo(name: n, library: l, file: pa, sha256: s))
                    }
                }
                guard let n = f["name"], let k = f["kind"], let l = f["library"], let v = f["version"], let pa = f["path"], let s = f["sha256"] else {
                    throw y.error(item, "'\(p)' needs name, kind, library, version, path and sha256; write the lock again with `seg plugins lock`")
                }
                let hex = { (h: String) in h.count == 64 && h.allSatisfy { $0.isHexDigit && !$0.isUppercase } }
                guard hex(s), modules.allSatisfy({ hex($0.sha256) }) else {
                    throw y.error(item, "'\(p)' has a sha256 that is not 64 lower-case hex digits; write the lock again with `seg plugins lock`")
                }
                if lock.entries.contains(where: { $0.name == n && $0.library == l }) {
                    throw y.error(item, "'\(p)' locks plugin '\(n)' of \(l) a second time; write the lock again with `seg plugins lock`")
                }
                lock.entries.append(Entry(name: n, kind: k, version: v, library: l, path: pa, sha256: s, modules: modules))
            }
        }
        return lock
    }
}
