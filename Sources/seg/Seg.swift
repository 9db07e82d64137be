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
        A workspace is a folder with workspace.yaml, data/, segmentations/*.yaml and plugins/.
        `seg run` reads its datasets, derives features, runs the scorers and criteria the definitions name,
        and writes profiles and membership to exports/<definition>/<run id>/.

        Exit status: 0 success; 1 the run failed (bad data, a plugin error); 2 bad usage or a bad
        definition or workspace; 3 reserved for failed gates.
        """,
        version: segworkVersion,
        subcommands: [RunCommand.self, PluginsCommand.self]
    )

    /// Parses, runs, and maps every error to a message on standard error and a documented exit status.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let e as ExitCode {
            Foundation.exit(e.rawValue)
        } catch let e as CleanExit {
            Seg.exit(withError: e)
        } catch {
            let status = ExitStatus.for(error)
            if status == .usage, !(error is DefinitionError) {
                // Argument errors: let ArgumentParser print its message and usage, but with our status.
                FileHandle.standardError.write(Data((Seg.fullMessage(for: error) + "\n").utf8))
            } else {
                FileHandle.standardError.write(Data("seg: error: \(ExitStatus.message(for: error))\n".utf8))
            }
            Foundation.exit(status.rawValue)
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
    /// A gate failed (reserved).
    case gateFailed = 3

    static func `for`(_ error: Error) -> ExitStatus {
        switch error {
        case is DefinitionError: return .usage
        case is DataError, is PluginError, is ProfileError: return .runFailed
        default:
            // ArgumentParser's own errors (unknown option, missing argument, validation) are usage errors.
            return Seg.exitCode(for: error) == .success ? .ok : (isArgumentError(error) ? .usage : .runFailed)
        }
    }

    private static func isArgumentError(_ error: Error) -> Bool {
        String(reflecting: type(of: error)).contains("ArgumentParser") || error is ValidationError
    }

    static func message(for error: Error) -> String {
        if let e = error as? LocalizedError, let d = e.errorDescription { return d }
        return String(describing: error)
    }
}
