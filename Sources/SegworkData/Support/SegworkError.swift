import Foundation
import LuaHost

/// The exit statuses `seg` documents (README, `seg --help`), and that an app embedding Segwork can use the same way.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// Everything worked.
    case ok = 0
    /// The run failed: bad data, a plugin error, a file that could not be written or read.
    case runFailed = 1
    /// Bad usage, or a bad definition or workspace; also asking for something that does not exist (an unknown
    /// version or dataset).
    case usage = 2
    /// A gate failed (`seg run`, `seg check`).
    case gateFailed = 3
}

/// An error of Segwork's own: it carries the message a user can act on (`errorDescription`) and the exit status
/// that reports it. Every error type the library throws to its callers conforms, so the command line maps errors
/// to statuses through this one protocol rather than a list of types.
public protocol SegworkError: LocalizedError {
    /// The status a command exits with when this error ends it.
    var exitStatus: ExitStatus { get }
}

extension SegworkError where Self: CustomStringConvertible {
    /// The message shown to the user: the error's description.
    public var errorDescription: String? { description }
}

extension ExitStatus {
    /// The status for any error: a `SegworkError`'s own, else `runFailed` (an unexpected error, such as a file
    /// system error that escaped without context, still fails the run rather than looking like a usage mistake).
    public static func of(_ error: Error) -> ExitStatus {
        (error as? SegworkError)?.exitStatus ?? .runFailed
    }

    /// The message for any error: its `errorDescription`, else its description.
    public static func message(for error: Error) -> String {
        if let e = error as? LocalizedError, let d = e.errorDescription { return d }
        return String(describing: error)
    }
}

extension PluginError: SegworkError {
    /// A plugin that cannot be loaded, or fails while it runs, fails the run.
    public var exitStatus: ExitStatus { .runFailed }
}

/// The environment's say on how `seg` should behave.
public enum Headless {
    /// True when the environment asks for headless output: `CI` set to true, 1 or yes (any case), as CI systems do.
    public static func requested(by environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        ["true", "1", "yes"].contains(environment["CI"]?.lowercased() ?? "")
    }
}
