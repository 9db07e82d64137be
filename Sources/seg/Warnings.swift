import SegworkData
import Foundation
import LuaHost

/// Prints each line to standard error as `seg: warning: …`, escaped for the terminal (lines can hold file names and
/// plugin text). For what a command goes on despite, such as plugins that differ from plugins.lock on a local run.
func printWarnings<S: Sequence>(_ lines: S) where S.Element == String {
    for line in lines {
        ReadProgress.writeStandardError("seg: warning: \(TerminalText.escaped(line, limit: Int.max))\n")
    }
}
