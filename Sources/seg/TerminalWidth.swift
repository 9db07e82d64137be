#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import SegworkCore

/// The width `seg diff` lays its summary out for: `COLUMNS` when it is set to a positive number, else the width of
/// the terminal standard output goes to (TIOCGWINSZ), else `TerminalColumns.defaultWidth` (100).
enum TerminalWidth {
    /// The width from `environment` and standard output.
    static func detect(environment: [String: String] = ProcessInfo.processInfo.environment) -> Int {
        if let text = environment["COLUMNS"]?.trimmingCharacters(in: .whitespaces), let n = Int(text), n > 0 { return n }
        if isatty(STDOUT_FILENO) != 0 {
            var size = winsize()
            if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        }
        return TerminalColumns.defaultWidth
    }
}
