import Foundation
import LuaHost
import SegworkData

/// A plan's plugin and module sources, written into a private temporary folder laid out as their libraries (as
/// `StoredPlugins` does for `--verify`), so `seg apply` loads exactly the frozen sources through the same catalog
/// and loader as a run, with the definition's pins and parameter overrides.
struct PlanPlugins {
    /// The plan's libraries (bundled one last).
    let catalog: PluginCatalog
    /// The temporary folder.
    let directory: URL
    private let token: UUID

    init(_ plan: SegmentPlan) throws {
        let fm = FileManager.default
        let directory = fm.temporaryDirectory.appendingPathComponent("segwork-plan-\(UUID().uuidString)", isDirectory: true)
        token = try Interruption.shared.track(directory) {
            try fm.createDirectory(at: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        }
        do { catalog = try Self.fill(directory, plan) } catch {
            Interruption.shared.untrack(token) { try? fm.removeItem(at: directory) }
            throw error
        }
        self.directory = directory
    }

    private static func fill(_ directory: URL, _ plan: SegmentPlan) throws -> PluginCatalog {
        let fm = FileManager.default
        var roots: [String: (url: URL, bundled: Bool)] = [:]
        func write(_ text: String, _ library: String, bundled: Bool, _ path: String) throws {
            // Paths come from the plan: inside a library, never absolute or climbing out.
            guard !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else {
                throw PlanError.badPlan(file: plan.definition, detail: "names the plugin file '\(path)', which is not a path inside a library")
            }
            let root = roots[library]?.url ?? directory.appendingPathComponent("\(roots.count)", isDirectory: true)
            roots[library] = (root, bundled || roots[library]?.bundled == true)
            let url = root.appendingPathComponent(path)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        for p in plan.scorers + plan.criteria {
            try write(p.source, p.library, bundled: p.bundled, p.file)
            for m in p.modules { try write(m.source, m.library, bundled: m.bundled, m.file) }
        }
        let libraries = roots.sorted { ($0.value.bundled ? 1 : 0, $0.key) < ($1.value.bundled ? 1 : 0, $1.key) }.map { name, root in
            PluginLibrary(name: name, version: nil, description: "", apiLevels: PluginLibrary.hostAPILevels, root: root.url,
                          origin: root.bundled ? .bundled : .listed(line: nil), shownRoot: "plan:\(name)")
        }
        return PluginCatalog(libraries: libraries)
    }

    /// Deletes the temporary folder.
    func remove() { Interruption.shared.untrack(token) { try? FileManager.default.removeItem(at: directory) } }
}
