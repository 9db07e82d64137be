import ArgumentParser
import Foundation
import LuaHost
import SegworkCore
import SegworkData

/// `seg plugins list [FOLDER] [--json]`
struct PluginsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the plugins a workspace or library can use: name, kind, version, library, file, and what each shadows.",
        discussion: """
        Loads every plugin in reach (in its sandbox). In a workspace that is its own plugins/, the libraries \
        workspace.yaml lists, SEG_PLUGIN_PATH and the bundled library, in that order of precedence: a plugin hides \
        any of the same name further down, and the listing says which. A plugin that fails to load is listed with \
        its error, and the exit status is then 1.
        """
    )

    @Argument(help: "A workspace folder or a plugin library folder (default: the current folder).")
    var folder: String = "."

    @Flag(help: "Print JSON (an array, one object per plugin) instead of a table.")
    var json = false

    func run() throws {
        // `list` is the default subcommand, so `seg plugins tset` lands here with a "folder" named like a command.
        if !folder.contains("/"), !FileManager.default.fileExists(atPath: folder) {
            let commands = PluginsCommand.configuration.subcommands.map { $0._commandName }
            if let near = commands.min(by: { editDistance($0, folder) < editDistance($1, folder) }), editDistance(near, folder) <= 2 {
                throw ValidationError("'\(folder)' is neither a folder nor a `seg plugins` command; did you mean `seg plugins \(near)`? (commands: \(commands.joined(separator: ", ")))")
            }
        }
        let scope = try PluginScope.open(folder)
        let listings = PluginListing.all(in: scope)
        if json {
            FileHandle.standardOutput.write(JSONOutput.file(listings, what: "the plugin list"))
        } else {
            var rows: [[String]] = [["NAME", "KIND", "VERSION", "LIBRARY", "FILE", "SHADOWS"]]
            for l in listings {
                rows.append([l.name, l.kind ?? "?", l.version ?? "?", l.library, l.path,
                             l.shadows.map { "\($0.library) \($0.version ?? "?") (\($0.path))" }.joined(separator: "; ")])
            }
            print(TextTable.render(rows))
            print("searched, first wins: \(scope.catalog.libraries.map { "\($0.name) (\($0.shownRoot))" }.joined(separator: ", "))")
        }
        // File names and messages come from the plugin folders: one line each, escaped for the terminal.
        let failures = listings.compactMap { l in l.error.map { TerminalText.cell(l.path) + ": " + TerminalText.escaped($0, limit: Int.max, keepNewlines: false) } }
        if !failures.isEmpty {
            FileHandle.standardError.write(Data((failures.joined(separator: "\n") + "\n").utf8))
            throw ExitCode(ExitStatus.runFailed.rawValue)
        }
    }
}
