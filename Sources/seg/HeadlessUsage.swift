import Foundation
import SegworkCore

/// Usage errors (caught by the argument parser, before any command runs) in headless mode: the JSON summary a CI
/// job reads is printed on stdout all the same, with status 2 and the parser's message, so the job never finds
/// stdout empty. It goes to stdout even with `--summary FILE`: a command line that was not understood is no
/// basis for writing a file.
enum HeadlessUsage {
    static func report(_ message: String) {
        let info = ProcessInfo.processInfo
        guard CISummary.isHeadless(arguments: Array(CommandLine.arguments.dropFirst()), environment: info.environment) else { return }
        FileHandle.standardOutput.write(CISummary.usageError(message).json())
    }
}
