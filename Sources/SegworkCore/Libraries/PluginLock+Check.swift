import Foundation
import SegworkData

/// A way the plugins a workspace uses now differ from its `plugins.lock`.
public struct LockDrift: Sendable, Equatable, CustomStringConvertible {
    /// The plugin.
    public var plugin: String
    /// What differs, with both hashes where bytes differ.
    public var description: String
}

/// Plugins that differ from `plugins.lock` under CI (`--ci` / `CI=true`): the run is refused (exit 2).
public struct LockMismatch: SegworkError, CustomStringConvertible {
    /// The lock file as the user sees it.
    public var file: String
    /// What differs.
    public var drifts: [LockDrift]
    public var exitStatus: ExitStatus { .usage }
    public var description: String {
        "\(file): the plugins differ from the lock, and CI runs only locked plugins: "
            + drifts.map(\.description).joined(separator: "; ")
            + ". If the change is meant, run `seg plugins lock` and commit plugins.lock; otherwise restore the plugin files"
    }
}

extension PluginLock {
    /// How the plugins `definitions` use now differ from the lock (empty when they match). Plugins the lock lists
    /// that these definitions do not use are not differences.
    public func drifts(from now: PluginLock) -> [LockDrift] {
        var out: [LockDrift] = []
        for e in now.entries {
            let at = "\(e.library):\(e.path)"
            guard let locked = entries.first(where: { $0.name == e.name && $0.library == e.library }) else {
                if let other = entries.first(where: { $0.name == e.name }) {
                    out.append(LockDrift(plugin: e.name, description: "plugin '\(e.name)' now comes from \(at) (sha256 \(e.sha256)); the lock has it from \(other.library):\(other.path) (sha256 \(other.sha256))"))
                } else {
                    out.append(LockDrift(plugin: e.name, description: "plugin '\(e.name)' (\(at), sha256 \(e.sha256)) is not in the lock"))
                }
                continue
            }
            if locked.path != e.path {
                out.append(LockDrift(plugin: e.name, description: "plugin '\(e.name)' of \(e.library) is now at \(e.path); the lock has \(locked.path)"))
            }
            if locked.version != e.version {
                out.append(LockDrift(plugin: e.name, description: "plugin '\(e.name)' (\(at)) is version \(e.version); the lock has \(locked.version)"))
            }
            if locked.sha256 != e.sha256 {
                out.append(LockDrift(plugin: e.name, description: "plugin '\(e.name)' (\(at)) has other bytes than the lock: sha256 \(e.sha256) now, \(locked.sha256) locked"))
            }
            for m in e.modules {
                if let lm = locked.modules.first(where: { $0.name == m.name }) {
                    if lm.sha256 != m.sha256 || lm.library != m.library || lm.file != m.file {
                        out.append(LockDrift(plugin: e.name, description: "module '\(m.name)' required by '\(e.name)' (\(m.library):\(m.file)) differs from the lock: sha256 \(m.sha256) now, \(lm.sha256) locked (\(lm.library):\(lm.file))"))
                    }
                } else {
                    out.append(LockDrift(plugin: e.name, description: "plugin '\(e.name)' now requires module '\(m.name)' (\(m.library):\(m.file), sha256 \(m.sha256)), which the lock does not list"))
                }
            }
            for lm in locked.modules where !e.modules.contains(where: { $0.name == lm.name }) {
                out.append(LockDrift(plugin: e.name, description: "plugin '\(e.name)' no longer requires module '\(lm.name)' (locked sha256 \(lm.sha256))"))
            }
        }
        return out
    }

    /// How the plugins and modules a run really used (its record) differ from the lock: catches a module required at
    /// run time under a name no static look could find, and a file changed while the run read it.
    public func drifts(recorded plugins: [PluginInfo]) -> [LockDrift] {
        var out: [LockDrift] = []
        for p in plugins {
            guard let library = p.library, let locked = entries.first(where: { $0.name == p.name && $0.library == library }) else { continue }
            if locked.sha256 != p.sha256 {
                out.append(LockDrift(plugin: p.name, description: "plugin '\(p.name)' (\(library):\(p.file)) ran with other bytes than the lock: sha256 \(p.sha256) ran, \(locked.sha256) locked"))
            }
            for m in p.modules ?? [] {
                if let lm = locked.modules.first(where: { $0.name == m.name }) {
                    if lm.sha256 != m.sha256 {
                        out.append(LockDrift(plugin: p.name, description: "module '\(m.name)' required by '\(p.name)' (\(m.library):\(m.file)) ran with other bytes than the lock: sha256 \(m.sha256) ran, \(lm.sha256) locked"))
                    }
                } else {
                    out.append(LockDrift(plugin: p.name, description: "plugin '\(p.name)' required module '\(m.name)' (\(m.library):\(m.file), sha256 \(m.sha256)) while it ran, which the lock does not list (a require the lock cannot see, such as a computed name); require it at the top of the plugin, then run `seg plugins lock`"))
                }
            }
        }
        return out
    }

    /// Compares the plugins `definitions` use with `workspace`'s lock. No lock: nothing to say. Under `strict` (CI) a
    /// difference throws `LockMismatch` (exit 2); otherwise the differences come back as warnings to show.
    public static func enforce(_ workspace: Workspace, definitions: [Definition], strict: Bool) throws -> [String] {
        guard let lock = try read(workspace) else { return [] }
        return try lock.enforce(workspace, definitions: definitions, strict: strict)
    }

    /// `enforce` with this lock, already read.
    public func enforce(_ workspace: Workspace, definitions: [Definition], strict: Bool) throws -> [String] {
        let drifts = drifts(from: try Self.current(workspace, definitions: definitions))
        if drifts.isEmpty { return [] }
        let file = workspace.display(workspace.root.appendingPathComponent(Self.fileName))
        if strict { throw LockMismatch(file: file, drifts: drifts) }
        return drifts.map { "\(file): \($0) (under CI this is refused; run `seg plugins lock` if the change is meant)" }
    }
}
