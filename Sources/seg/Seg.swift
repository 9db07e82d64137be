import ArgumentParser
import Foundation
import LuaHost
import SegworkCore
import SegworkData

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
                      ExportCommand.self, ReportCommand.self, DiffCommand.self, CheckCommand.self, ApproveCommand.self, PluginsCommand.self, TryCommand.self, PlanCommand.self, ApplyCommand.self,
                      ForgetCommand.self]
    )

    /// Parses, runs, and maps every error to a message on standard error and a documented exit status: a
    /// `SegworkError` carries its own; ArgumentParser's usage errors exit 2 in its format; anything else exits 1.
    static func main() {
        MemoryPolicy.apply()
        var command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            // Help and version (status 0) go through ArgumentParser; a usage error gets our documented status 2.
            if exitCode(for: error) == .success { Seg.exit(withError: error) }
            ReadProgress.writeStandardError((fullMessage(for: error) + "\n"))
            HeadlessUsage.report(message(for: error))
            Foundation.exit(ExitStatus.usage.rawValue)
        }
        do {
            try command.run()
        } catch let error as SegworkError {
            ReadProgress.writeStandardError("seg: error: \(TerminalText.escaped(ExitStatus.message(for: error), limit: Int.max))\n")
            Foundation.exit(error.exitStatus.rawValue)
        } catch let error as ExitCode {
            Foundation.exit(error.rawValue)
        } catch where error is ValidationError || exitCode(for: error) == .success {
            if exitCode(for: error) == .success { Seg.exit(withError: error) }
            ReadProgress.writeStandardError((fullMessage(for: error) + "\n"))
            Foundation.exit(ExitStatus.usage.rawValue)
        } catch {
            // Not one of ours: still a failed run, said plainly (never ArgumentParser's usage format).
            ReadProgress.writeStandardError("seg: error: \(TerminalText.escaped(ExitStatus.message(for: error), limit: Int.max))\n")
            Foundation.exit(ExitStatus.runFailed.rawValue)
        }
    }
}
