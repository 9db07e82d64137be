import SegworkData

extension CISummary {
    /// Whether a command line asks for headless output: `--ci` or `--summary` among `arguments`, or the
    /// environment variable `CI` set to `true`, `1` or `yes`. Used where the command line may not have been parsed
    /// (a usage error), so the arguments are looked at as text: anything after `--` is an argument, not an option.
    public static func isHeadless(arguments: [String], environment: [String: String]) -> Bool {
        let options = arguments.prefix { $0 != "--" }
        if options.contains(where: { $0 == "--ci" || $0 == "--summary" || $0.hasPrefix("--summary=") }) { return true }
        return Headless.requested(by: environment)
    }

    /// The summary of a command line that was not understood: status 2, the message, no runs.
    public static func usageError(_ message: String) -> CISummary {
        CISummary(status: ExitStatus.usage.rawValue, error: message, runs: [])
    }
}
