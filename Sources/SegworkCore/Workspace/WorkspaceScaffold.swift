import Foundation
import SegworkData

/// Creates a new workspace folder (`seg init`): `workspace.yaml`, `data/`, `segmentations/`, `plugins/`, a
/// `.gitignore` that keeps what runs produce (`exports/`, `.seg/`) out of git, the editor files (`.luarc.json` and
/// a schema line atop each YAML file; see `EditorSupport`), and an example definition on a tiny
/// sample dataset (`WorkspaceExample`), so `seg init DIR && seg run DIR` works at once. Never overwrites a file: the
/// example is written only when none of its three files exists.
public enum WorkspaceScaffold {
    /// The files created, relative to the workspace.
    public static func create(at path: String) throws -> [String] {
        let root = URL(fileURLWithPath: path).standardizedFileURL
        let fm = FileManager.default
        if fm.fileExists(atPath: root.appendingPathComponent("workspace.yaml").path) {
            throw DefinitionError(file: (path as NSString).appendingPathComponent("workspace.yaml"),
                                  "already exists: \(path) is a workspace already")
        }
        let name = root.lastPathComponent
        let editor = EditorSupport.scaffold(root: root)
        var files: [(String, String)] = [
            ("workspace.yaml", editor.workspaceComment + """
            # Segwork workspace. See docs/DEFINITIONS.md in the Segwork sources.
            name: \(name)
            # This workspace's own plugin folders: searched first. A plugin here shadows any of the same name below.
            plugins: [plugins]
            # Shared plugin libraries (folders with a library.yaml), searched next, in this order; the bundled
            # library comes last. Pin versions in definitions and lock them with `seg plugins lock` (docs/LIBRARIES.md).
            # libraries:
            #   - ../team-plugins
            # Limits for every call into a plugin (these are the defaults).
            limits:
              instructions: 100000000
              memory_mb: 64
              seconds: 2

            """),
            (".gitignore", "# What runs produce; definitions, data and plugins stay in git.\nexports/\n.seg/\n"),
            ("data/README.md", "Input files (CSV, TSV, JSON Lines) that definitions read with `file:`, or that you snapshot with `seg import`.\n"),
            ("segmentations/README.md", "One segmentation definition per `*.yaml` file; see docs/DEFINITIONS.md.\n"),
            ("plugins/README.md", "Workspace plugins (`*.lua`), searched before the bundled library; see docs/PLUGINS.md.\n"),
        ]
        if !WorkspaceExample.files.contains(where: { fm.fileExists(atPath: root.appendingPathComponent($0.0).path) }) {
            files += WorkspaceExample.files.map { rel, text in
                (rel, rel.hasSuffix(".yaml") ? editor.definitionComment + text : text)
            }
        }
        if let luarc = editor.luarc { files.append(luarc) }
        var created: [String] = []
        do {
            for (rel, text) in files {
                let url = root.appendingPathComponent(rel)
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                if fm.fileExists(atPath: url.path) { continue }
                try Data(text.utf8).write(to: url, options: .withoutOverwriting)
                created.append(rel)
            }
        } catch {
            throw DefinitionError(file: path, "cannot create the workspace: \(error.localizedDescription)")
        }
        return created
    }
}
