import ArgumentParser
import Foundation
import SegworkCore
import SegworkData

/// `seg init DIR`
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a workspace: workspace.yaml, data/, segmentations/, plugins/ and a .gitignore.",
        discussion: "Never overwrites a file; fails (status 2) when DIR already has a workspace.yaml."
    )

    @Argument(help: "The folder to create (may exist).")
    var directory: String

    func run() throws {
        let created = try WorkspaceScaffold.create(at: directory)
        print("created workspace \(directory): \(created.joined(separator: ", "))")
    }
}
