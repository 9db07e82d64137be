import ArgumentParser
import Foundation
import LuaHost
import SegworkCore
import SegworkData

/// `seg plugins info NAME [FOLDER]`
struct PluginsInfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Describe one plugin: kind, version, library and file, params with defaults and their comments, uses, output, labels, tests.",
        discussion: "NAME is resolved as a definition that names no library would resolve it (what it shadows is listed)."
    )

    @Argument(help: "The plugin's name.")
    var name: String

    @Argument(help: "A workspace folder or a plugin library folder (default: the current folder).")
    var folder: String = "."

    func run() throws {
        let page = try PluginInfoPage.make(name, in: try PluginScope.open(folder))
        print(TerminalText.escaped(page.text, limit: Int.max, keepNewlines: true))
    }
}
