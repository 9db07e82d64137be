import ArgumentParser
import Foundation
import SegworkCore
import SegworkData

/// `seg plugins new KIND NAME [--library DIR | --in WORKSPACE]`
struct PluginsNewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Write a commented plugin of a kind and a test file that passes as written.",
        discussion: """
            Writes <folder>/<kind folder>/NAME.lua and NAME.test.lua (criteria/, scorers/, sources/ or cleaners/). \
            The folder is --library DIR, else the plugins/ folder of the workspace (--in WORKSPACE, or the current \
            folder when it has workspace.yaml). Never overwrites a file.
            """
    )

    @Argument(help: "criterion, scorer, source or cleaner.")
    var kind: String

    @Argument(help: "The plugin's name: a lower-case letter, then lower-case letters, digits or _.")
    var name: String

    @Option(name: .customLong("library"), help: "The plugin library folder to write into.")
    var library: String?

    @Option(name: .customLong("in"), help: "A workspace: write into its plugins/ folder.")
    var workspace: String?

    func run() throws {
        let folder: URL
        let testTarget: URL
        if let library {
            folder = URL(fileURLWithPath: library, isDirectory: true)
            testTarget = folder
        } else if let ws = workspace ?? (FileManager.default.fileExists(atPath: "workspace.yaml") ? "." : nil) {
            testTarget = try Workspace.open(ws).root
            folder = testTarget.appendingPathComponent("plugins", isDirectory: true)
        } else {
            throw AuthoringError("not in a workspace (no workspace.yaml here): give --library DIR, or --in WORKSPACE")
        }
        let written = try PluginTemplate.create(kind: kind, name: name, in: folder)
        for path in written { print("wrote \(Self.shown(folder.appendingPathComponent(path)))") }
        let target = Self.shown(testTarget)
        print("next: edit \(Self.shown(folder.appendingPathComponent(written[0]))), then run: seg plugins test "
            + (target == "." ? "" : target + " ") + name)
    }

    private static func shown(_ url: URL) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        let p = url.standardizedFileURL.path
        return p == cwd ? "." : p.hasPrefix(cwd + "/") ? String(p.dropFirst(cwd.count + 1)) : p
    }
}
