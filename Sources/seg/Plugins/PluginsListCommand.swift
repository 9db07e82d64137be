import ArgumentParser
import Foundation
import LuaHost
import SegworkCore
import SegworkData

/// `seg plugins list WORKSPACE`
struct PluginsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the plugins a workspace can use, with kind, version and description.",
        discussion: "Loads every plugin in the workspace's plugin paths (in its sandbox) and lists it; a plugin that fails to load is listed with its error, and the exit status is then 1."
    )

    @Argument(help: "The workspace folder.")
    var workspace: String

    func run() throws {
        let ws = try Workspace.open(workspace)
        let catalog = PluginCatalog(paths: ws.pluginPaths)
        var rows: [[String]] = [["NAME", "KIND", "VERSION", "DESCRIPTION"]]
        var failures: [String] = []
        let env = PluginEnvironment(limits: ws.limits, libraryPaths: ws.libraryPaths, fileRoot: ws.root.path)
        for (name, twins) in catalog.ambiguous.sorted(by: { $0.key < $1.key }) {
            failures.append("plugin '\(name)' is ambiguous: \(twins.map { ws.display($0) }.joined(separator: " and ")); rename or remove one")
        }
        for name in catalog.names {
            let file = catalog.files[name]!
            do {
                let m = try Plugin.load(path: file.path, environment: env).manifest
                rows.append([m.name, m.kind.rawValue, m.version, m.description])
                if m.name != name {
                    failures.append("\(ws.display(file)): declares name '\(m.name)', but definitions find plugins by file name ('\(name)'); rename the file or the name so they match")
                }
            } catch {
                rows.append([name, "?", "?", "failed to load (see below)"])
                failures.append("\(ws.display(file)): \(ExitStatus.message(for: error))")
            }
        }
        print(TextTable.render(rows))
        print("searched: \(ws.pluginPaths.map { ws.display($0) }.joined(separator: ", "))")
        if !failures.isEmpty {
            FileHandle.standardError.write(Data((failures.joined(separator: "\n") + "\n").utf8))
            throw ExitCode(ExitStatus.runFailed.rawValue)
        }
    }
}
