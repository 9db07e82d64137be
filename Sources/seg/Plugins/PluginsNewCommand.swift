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
            let opened = try Workspace.open(ws)
            testTarget = opened.root
            // The workspace's first own plugin folder (`plugins:` in workspace.yaml, default plugins/).
            folder = opened.libraries.first { $0.origin == .workspace }?.root
                ?? testTarget.appendingPathComponent("plugins", isDirectory: true)
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
        let path = Workspace.display(url)
        // Quoted when a shell would split it, so the printed next step can be pasted as it is.
        return path.contains(where: { " '\"$`\\".contains($0) }) ? "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'" : path
    }
}
