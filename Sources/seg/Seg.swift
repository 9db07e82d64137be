import ArgumentParser
import Foundation
import LuaHost
import SegworkCore

/// The `seg` command line: a thin layer over SegworkCore.
@main
struct Seg: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seg",
        abstract: "Segwork: customer segmentation with Lua plugins, reproducible runs and profile exports.",
        discussion: """
        A workspace is a folder with workspace.yaml, data/, segmentations/*.yaml and plugins/. `seg run` reads its \
        datasets, derives features, runs the scorers and criteria the definitions name, and writes profiles and \
        membership to exports/<definition>/<run id>/. See docs/DEFINITIONS.md and docs/PLUGINS.md.

        Exit status: 0 success; 1 the run failed (bad data, a plugin error, a file that could not be written); \
        2 bad usage, or a bad definition or workspace; 3 a gate failed.
        """,
        version: segworkVersion,
        subcommands: [InitCommand.self, ImportCommand.self, RunCommand.self, VersionsCommand.self, ShowCommand.self,
                      ExportCommand.self, DiffCommand.self, CheckCommand.self, PluginsCommand.self, ForgetCommand.self]
    )

    /// Parses, runs, and maps every error to a message on standard error and a documented exit status.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error where ExitStatus.isSegworkError(error) {
            FileHandle.standardError.write(Data("seg: error: \(ExitStatus.message(for: error))\n".utf8))
            Foundation.exit(ExitStatus.for(error).rawValue)
        } catch {
            // ArgumentParser's own outcomes: help and version (status 0), an explicit ExitCode, or a usage error,
            // which it prints with the usage line; usage errors get our documented status 2.
            if error is ExitCode || exitCode(for: error) == .success { Seg.exit(withError: error) }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(ExitStatus.usage.rawValue)
        }
    }
}

/// The documented exit statuses.
enum ExitStatus: Int32 {
    /// Everything worked.
    case ok = 0
    /// The run failed: bad data, a plugin error, a file that could not be written.
    case runFailed = 1
    /// Bad usage, or a bad definition or workspace.
    case usage = 2
    /// A gate failed (`seg run`, `seg check`).
    case gateFailed = 3

    /// Errors of Segwork itself (as opposed to ArgumentParser's).
    static func isSegworkError(_ error: Error) -> Bool {
        error is DefinitionError || error is DataError || error is PluginError || error is ProfileError
            || error is AtomicWriteError || error is TableError || error is StoreError || error is DiffError
    }

    /// The status for a Segwork error. Usage errors (2): a bad definition or workspace, and asking for something
    /// that does not exist — an unknown or ambiguous version, an unknown dataset, a diff across two definitions.
    /// Everything else is a failed run (1).
    static func `for`(_ error: Error) -> ExitStatus {
        switch error {
        case is DefinitionError, StoreError.unknownVersion, StoreError.ambiguousVersion, StoreError.unknownDataset,
             DiffError.differentDefinitions:
            return .usage
        default:
            return .runFailed
        }
    }

    static func message(for error: Error) -> String {
        if let e = error as? LocalizedError, let d = e.errorDescription { return d }
        return String(describing: error)
    }
}
