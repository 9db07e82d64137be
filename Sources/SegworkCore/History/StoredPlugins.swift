import Foundation
import LuaHost
import SegworkData

/// The plugins and modules a stored version ran with, written from the store into a private temporary folder laid
/// out as their libraries, so `--verify` runs the version with them rather than with today's files.
struct StoredPlugins {
    /// The version's plugins, in their libraries (the bundled one last, for the modules its `lib/` gave).
    let catalog: PluginCatalog
    /// Plugins and modules whose files in the workspace differ from what the version ran (or are gone), said for
    /// the user.
    let edited: [String]
    /// The temporary folder.
    let directory: URL
    /// Its `Interruption` token: SIGINT/SIGTERM during the re-run remove it.
    private let token: UUID

    init(version v: VersionRecord, store: VersionStore, workspace: Workspace) throws {
        let fm = FileManager.default
        let directory = fm.temporaryDirectory.appendingPathComponent("segwork-verify-\(UUID().uuidString)", isDirectory: true)
        token = try Interruption.shared.track(directory) {
            // Not with intermediate folders: a missing TMPDIR is reported, not created.
            try fm.createDirectory(at: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        }
        do {
            (catalog, edited) = try Self.fill(directory, version: v, store: store, workspace: workspace)
        } catch {
            Interruption.shared.untrack(token) { try? fm.removeItem(at: directory) }
            throw error
        }
        self.directory = directory
    }

    /// Writes the version's plugin and module sources under `directory`, one folder per library, and returns the
    /// catalog over them and what was edited since.
    private static func fill(_ directory: URL, version v: VersionRecord, store: VersionStore,
                             workspace: Workspace) throws -> (PluginCatalog, [String]) {
        let fm = FileManager.default
        let current = workspace.catalog
        let bundledName = current.bundled?.name ?? "segwork"
        var changes: [String] = []
        var roots: [String: URL] = [:]
        var chunkNames: [String: String] = [:]
        func root(_ library: String) throws -> URL {
            if let r = roots[library] { return r }
            let r = directory.appendingPathComponent("\(roots.count)", isDirectory: true)
            try fm.createDirectory(at: r, withIntermediateDirectories: true)
            roots[library] = r
            return r
        }
        func write(_ text: String, _ library: String, _ path: String) throws {
            // Paths come from the version's record: inside a library, never absolute or climbing out.
            guard !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else {
                throw StoreError.corrupted(path: ".seg/store.sqlite", detail: "\(v.id) records the plugin file '\(path)', which is not a path inside a library")
            }
            let url = try root(library).appendingPathComponent(path)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        func source(_ sha: String, what: String) throws -> String {
            guard let text = try store.pluginSource(sha256: sha) else {
                throw StoreError.corrupted(path: ".seg/store.sqlite", detail: "the source of \(what) (sha256 \(sha.prefix(12))…) used by \(v.id) is not stored")
            }
            return text
        }
        for p in v.plugins {
            let hereNow = (current.candidates[p.name] ?? []).first { p.library == nil || $0.library.name == p.library }
            let library = p.library ?? hereNow?.library.name ?? "workspace"
            try write(try source(p.sha256, what: "plugin '\(p.name)'"), library, p.file)
            if let hereNow {
                chunkNames[library + "\u{0}" + p.file] = PluginLoader.chunkName(
                    PluginEntry(name: p.name, file: hereNow.library.root.appendingPathComponent(p.file), library: hereNow.library, path: p.file),
                    PluginEnvironment(fileRoot: workspace.root.path))
                let now = try? SHA256.hex(fileAt: hereNow.library.root.appendingPathComponent(p.file).path)
                if now != p.sha256 {
                    // A version recorded before libraries does not say which library its plugin came from: today's
                    // may be another library's plugin of that name, not an edit.
                    let change = p.library == nil ? "as found today has other bytes than \(v.id) ran"
                        : "was edited since \(v.id)"
                    changes.append("plugin '\(p.name)' (\(hereNow.library.shownRoot)/\(p.file)) " + (now.map { "\(change): sha256 \(p.sha256.prefix(12))… → \($0.prefix(12))…" } ?? "is gone")
                                  + "; \(v.id) was re-executed with the source stored with it")
                }
            } else {
                changes.append("plugin '\(p.name)' of \(library) is no longer in the workspace's libraries; \(v.id) was re-executed with the source stored with it")
            }
            guard let modules = p.modules else {
                // Recorded before modules were: their folders as they are now stand in (linked, not copied).
                if let hereNow {
                    try? fm.createSymbolicLink(at: try root(library).appendingPathComponent("lib"), withDestinationURL: hereNow.library.moduleFolder)
                }
                if let bundled = current.bundled {
                    try? fm.createSymbolicLink(at: try root(bundledName).appendingPathComponent("lib"), withDestinationURL: bundled.moduleFolder)
                }
                continue
            }
            for m in modules {
                let into = m.library == library ? library : bundledName
                try write(try source(m.sha256, what: "module '\(m.name)' of plugin '\(p.name)'"), into, m.file)
                let lib = current.libraries.first { $0.name == m.library }
                let now = lib.flatMap { try? SHA256.hex(fileAt: $0.root.appendingPathComponent(m.file).path) }
                if now != m.sha256 {
                    changes.append("module '\(m.name)' (\(lib.map { "\($0.shownRoot)/" } ?? "")\(m.file)) required by '\(p.name)' " + (now.map { "was edited since \(v.id): sha256 \(m.sha256.prefix(12))… → \($0.prefix(12))…" } ?? "is gone")
                                  + "; \(v.id) was re-executed with the source stored with it")
                }
            }
        }
        _ = try root(bundledName)
        var libraries: [PluginLibrary] = []
        // Precedence as the workspace has it today (a library it no longer lists just before the bundled one, which
        // is last): a definition that names a plugin two libraries hold, without `library:`, gets the same one.
        func rank(_ name: String) -> (Int, String) {
            if name == bundledName { return (Int.max, name) }
            return (current.libraries.firstIndex { $0.name == name && !$0.isBundled } ?? (Int.max - 1), name)
        }
        for (name, url) in roots.sorted(by: { rank($0.key) < rank($1.key) }) {
            let now = current.libraries.first { $0.name == name }
            libraries.append(PluginLibrary(name: name, version: now?.version, description: "", apiLevels: PluginLibrary.hostAPILevels,
                                           root: url, origin: name == bundledName ? .bundled : .listed(line: nil),
                                           shownRoot: "\(v.id):\(name)"))
        }
        var stored = PluginCatalog(libraries: libraries)
        stored.rename { entry in chunkNames[entry.library.name + "\u{0}" + entry.path] }
        return (stored, Array(Set(changes)).sorted())
    }

    /// Deletes the temporary folder.
    func remove() { Interruption.shared.untrack(token) { try? FileManager.default.removeItem(at: directory) } }
}
